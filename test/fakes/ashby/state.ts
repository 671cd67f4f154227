/** The Ashby fake's world: jobs with interview plans (incl. Archived/Hired stages), candidates, applications. */
import { createSeededRng, type SeededRng, syntheticPerson } from '../common/seeded-rng.js';

export interface AbStage {
  id: string;
  title: string;
  type: 'Lead' | 'PreInterviewScreen' | 'Active' | 'Offer' | 'Hired' | 'Archived';
  orderInInterviewPlan: number;
  interviewPlanId: string;
}

export interface AbJob {
  id: string;
  title: string;
  status: 'Draft' | 'Open' | 'Closed' | 'Archived';
  employmentType: 'FullTime' | 'PartTime' | 'Intern' | 'Contract' | 'Temporary';
  interviewPlanId: string;
  location: { id: string; name: string; isRemote: boolean; workplaceType: 'OnSite' | 'Remote' | 'Hybrid' };
  departmentId: string;
  createdAt: number;
  updatedAt: number;
}

/** Locations and departments by fixed ids (no draw from the seeded generator, so the other data stays put). */
export const AB_LOCATIONS: AbJob['location'][] = [
  { id: 'loc-berlin', name: 'Berlin', isRemote: false, workplaceType: 'Hybrid' },
  { id: 'loc-remote', name: 'Remote (EU)', isRemote: true, workplaceType: 'Remote' },
  { id: 'loc-paris', name: 'Paris', isRemote: false, workplaceType: 'OnSite' },
];

export interface AbCandidate {
  id: string;
  name: string;
  email: string;
  phone: string;
  createdAt: number;
  updatedAt: number;
}

export interface AbArchiveReason {
  id: string;
  text: string;
  reasonType: 'RejectedByCandidate' | 'RejectedByOrg' | 'Other';
  /** Archived reasons stay on old applications; archiveReason.list returns them only with includeArchived. */
  isArchived?: boolean;
}

export interface AbApplication {
  id: string;
  candidateId: string;
  jobId: string;
  stageId: string;
  status: 'Active' | 'Hired' | 'Archived' | 'Lead';
  archiveReasonId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AbState {
  rng: SeededRng;
  stages: AbStage[];
  jobs: AbJob[];
  candidates: AbCandidate[];
  applications: AbApplication[];
  archiveReasons: AbArchiveReason[];
}

const DAY = 86_400_000;
const PLAN: [string, AbStage['type']][] = [
  ['Application Review', 'PreInterviewScreen'],
  ['Phone Screen', 'Active'],
  ['Onsite', 'Active'],
  ['Offer', 'Offer'],
  ['Hired', 'Hired'],
  ['Archived', 'Archived'],
];

export function generateAshbyState(options: {
  seed: number;
  jobs: number;
  candidates: number;
  now: number;
}): AbState {
  const rng = createSeededRng(options.seed);
  const stages: AbStage[] = [];
  const jobs: AbJob[] = [];
  for (let j = 0; j < options.jobs; j += 1) {
    const planId = rng.uuid();
    PLAN.forEach(([title, type], order) => {
      stages.push({ id: rng.uuid(), title, type, orderInInterviewPlan: order, interviewPlanId: planId });
    });
    const createdAt = options.now - 150 * DAY + j * 60_000;
    jobs.push({
      id: rng.uuid(),
      title: `Engineer ${j + 1}`,
      status: j % 6 === 5 ? 'Closed' : 'Open',
      employmentType: rng.pick(['FullTime', 'PartTime', 'Contract'] as const),
      interviewPlanId: planId,
      location: AB_LOCATIONS[j % AB_LOCATIONS.length]!,
      departmentId: `dep-${(j % 2) + 1}`,
      createdAt,
      updatedAt: createdAt,
    });
  }
  const archiveReasons: AbArchiveReason[] = [
    { id: rng.uuid(), text: 'Not a fit', reasonType: 'RejectedByOrg' },
    { id: rng.uuid(), text: 'Withdrew', reasonType: 'RejectedByCandidate' },
  ];
  const candidates: AbCandidate[] = [];
  const applications: AbApplication[] = [];
  for (let c = 0; c < options.candidates; c += 1) {
    const person = syntheticPerson(rng, c);
    const createdAt = options.now - 90 * DAY + Math.floor((c / Math.max(1, options.candidates)) * 89 * DAY);
    const updatedAt = createdAt + rng.int(0, 12) * 3_600_000;
    const candidate: AbCandidate = {
      id: rng.uuid(),
      name: `${person.first} ${person.last}`,
      email: person.email,
      phone: person.phone,
      createdAt,
      updatedAt,
    };
    candidates.push(candidate);
    if (jobs.length === 0) continue;
    const job = jobs[c % jobs.length]!;
    const plan = stages.filter((s) => s.interviewPlanId === job.interviewPlanId);
    applications.push({
      id: rng.uuid(),
      candidateId: candidate.id,
      jobId: job.id,
      stageId: plan[rng.int(0, 2)]!.id,
      status: 'Active',
      archiveReasonId: null,
      createdAt,
      updatedAt,
    });
  }
  return { rng, stages, jobs, candidates, applications, archiveReasons };
}

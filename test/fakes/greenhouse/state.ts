/**
 * The Greenhouse fake's world: jobs with stages, candidates, one application per candidate. Generated from a
 * seed, cheap at 10,000+ records (plain arrays sorted by id plus id maps).
 */
import { createSeededRng, type SeededRng, syntheticPerson } from '../common/seeded-rng.js';

export interface GhStage {
  id: number;
  jobId: number;
  name: string;
  sortOrder: number;
}

export interface GhJob {
  id: number;
  name: string;
  status: 'draft' | 'open' | 'closed';
  employmentType: string;
  /** Greenhouse assigns a job one department and any number of offices (here none or one). */
  department: { id: number; name: string };
  office: { id: number; name: string; location: string } | null;
  stages: GhStage[];
  createdAt: number;
  updatedAt: number;
}

export interface GhCandidate {
  id: number;
  firstName: string;
  lastName: string;
  emails: string[];
  phones: string[];
  company?: string | null;
  title?: string | null;
  /** Tag names, kept in step with the applied tags of ./records-state.ts. */
  tags?: string[];
  createdAt: number;
  updatedAt: number;
}

export interface GhApplication {
  id: number;
  candidateId: number;
  jobId: number;
  /** Job stage id (v1 `current_stage.id`, v3 `job_interview_stage_id`); null after hire. */
  stageId: number | null;
  /** Per-application stage instance id (v3 `stage_id`). */
  applicationStageId: number | null;
  status: 'active' | 'rejected' | 'hired';
  prospect: boolean;
  rejectedAt: number | null;
  rejectionReasonId: number | null;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
}

export interface GhRejectionReason {
  id: number;
  name: string;
  type: string;
}

export const STAGE_NAMES = ['Application Review', 'Phone Screen', 'Technical Interview', 'Onsite', 'Offer'];
export const REJECTION_REASONS: GhRejectionReason[] = [
  { id: 9001, name: 'Lacking skill(s)/qualification(s)', type: 'We rejected them' },
  { id: 9002, name: 'Withdrew', type: 'They rejected us' },
];

export interface GhState {
  rng: SeededRng;
  jobs: GhJob[];
  candidates: GhCandidate[];
  applications: GhApplication[];
  jobById: Map<number, GhJob>;
  stageById: Map<number, GhStage>;
  candidateById: Map<number, GhCandidate>;
  applicationById: Map<number, GhApplication>;
  nextApplicationStageId: number;
  nextApplicationId: number;
}

export interface GhSeedOptions {
  seed: number;
  jobs: number;
  candidates: number;
  /** Data timestamps are spread over the 90 days before this instant. */
  now: number;
}

const DAY = 86_400_000;

export const GH_DEPARTMENTS = [
  { id: 562, name: 'Engineering' },
  { id: 563, name: 'Data' },
  { id: 564, name: 'Support' },
];
export const GH_OFFICES = [
  { id: 175, name: 'Berlin', location: 'Berlin, Germany' },
  { id: 176, name: 'New York', location: 'New York, NY, United States' },
];

export function generateGreenhouseState(options: GhSeedOptions): GhState {
  const rng = createSeededRng(options.seed);
  const jobs: GhJob[] = [];
  const stageById = new Map<number, GhStage>();
  for (let j = 0; j < options.jobs; j += 1) {
    const id = 4000 + j;
    const createdAt = options.now - 120 * DAY + j * 60_000;
    const stages = STAGE_NAMES.map((name, index) => ({
      id: 70000 + j * 10 + index,
      jobId: id,
      name,
      sortOrder: index,
    }));
    for (const s of stages) stageById.set(s.id, s);
    jobs.push({
      id,
      name: `Engineer ${j + 1}`,
      status: j % 7 === 6 ? 'closed' : 'open',
      employmentType: rng.pick(['Full-time', 'Part-time', 'Contract']),
      department: GH_DEPARTMENTS[j % GH_DEPARTMENTS.length]!,
      office: j % 4 === 3 ? null : GH_OFFICES[j % GH_OFFICES.length]!,
      stages,
      createdAt,
      updatedAt: createdAt,
    });
  }
  const candidates: GhCandidate[] = [];
  const applications: GhApplication[] = [];
  let applicationStageId = 500000;
  for (let c = 0; c < options.candidates; c += 1) {
    const person = syntheticPerson(rng, c);
    const createdAt = options.now - 90 * DAY + Math.floor((c / Math.max(1, options.candidates)) * 89 * DAY);
    const updatedAt = createdAt + rng.int(0, 12) * 3_600_000;
    const candidateId = 100000 + c;
    candidates.push({
      id: candidateId,
      firstName: person.first,
      lastName: person.last,
      emails: [person.email],
      phones: [person.phone],
      createdAt,
      updatedAt,
    });
    if (jobs.length === 0) continue;
    const job = jobs[c % jobs.length]!;
    const stage = job.stages[rng.int(0, job.stages.length - 2)]!;
    applicationStageId += 1;
    applications.push({
      id: 200000 + c,
      candidateId,
      jobId: job.id,
      stageId: stage.id,
      applicationStageId,
      status: 'active',
      prospect: false,
      rejectedAt: null,
      rejectionReasonId: null,
      createdAt,
      updatedAt,
      lastActivityAt: updatedAt,
    });
  }
  return {
    rng,
    jobs,
    candidates,
    applications,
    jobById: new Map(jobs.map((j) => [j.id, j])),
    stageById,
    candidateById: new Map(candidates.map((c) => [c.id, c])),
    applicationById: new Map(applications.map((a) => [a.id, a])),
    nextApplicationStageId: applicationStageId + 1,
    nextApplicationId: 200000 + options.candidates,
  };
}

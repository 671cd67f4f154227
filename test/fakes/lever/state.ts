/** The Lever fake's world: account-wide stages, postings, contacts and their opportunities (epoch ms times). */
import { createSeededRng, type SeededRng, syntheticPerson } from '../common/seeded-rng.js';

export interface LvStage {
  id: string;
  text: string;
}

export interface LvArchiveReason {
  id: string;
  text: string;
  status: 'active' | 'inactive';
  type: 'hired' | 'non-hired';
}

export interface LvPosting {
  id: string;
  text: string;
  state: 'published' | 'internal' | 'closed' | 'draft' | 'pending' | 'rejected';
  commitment: string;
  team: string;
  /** Lever leaves `categories.department` out when the posting has none. */
  department: string | null;
  location: string;
  workplaceType: 'onsite' | 'remote' | 'hybrid' | 'unspecified';
  /** Lever leaves `salaryRange` out when the posting has no structured pay. */
  salaryRange: { min: number; max: number; currency: string; interval: string } | null;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface LvOpportunity {
  id: string;
  contact: string;
  name: string;
  emails: string[];
  /** Lever's free-text line under the name. */
  headline: string;
  tags: string[];
  phones: { type: string; value: string }[];
  postingId: string | null;
  applicationId: string;
  stageId: string;
  archived: { archivedAt: number; reason: string } | null;
  hiredRequisitionId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface LvState {
  rng: SeededRng;
  stages: LvStage[];
  archiveReasons: LvArchiveReason[];
  postings: LvPosting[];
  opportunities: LvOpportunity[];
  opportunityById: Map<string, LvOpportunity>;
  deleted: { id: string; deletedAt: number }[];
}

const DAY = 86_400_000;

export function generateLeverState(options: {
  seed: number;
  postings: number;
  contacts: number;
  now: number;
}): LvState {
  const rng = createSeededRng(options.seed);
  const stages: LvStage[] = [
    'New applicant',
    'Reached out',
    'Phone screen',
    'On-site interview',
    'Offer',
  ].map((text) => ({
    id: rng.uuid(),
    text,
  }));
  const archiveReasons: LvArchiveReason[] = [
    { id: rng.uuid(), text: 'Hired', status: 'active', type: 'hired' },
    { id: rng.uuid(), text: 'Underqualified', status: 'active', type: 'non-hired' },
    { id: rng.uuid(), text: 'Withdrew', status: 'active', type: 'non-hired' },
  ];
  const postings: LvPosting[] = Array.from({ length: options.postings }, (_, i) => {
    const createdAt = options.now - 200 * DAY + i * 3_600_000;
    return {
      id: rng.uuid(),
      text: `Engineer ${i + 1}`,
      state: i % 5 === 4 ? 'closed' : 'published',
      commitment: rng.pick(['Full-time', 'Part-time', 'Contract', 'Intern']),
      team: i % 2 === 0 ? 'Platform' : 'Payments',
      department: i % 3 === 2 ? null : 'Engineering',
      location: ['London', 'Remote', 'San Francisco'][i % 3]!,
      workplaceType: (['hybrid', 'remote', 'onsite', 'unspecified'] as const)[i % 4]!,
      salaryRange:
        i % 2 === 0
          ? { min: 60_000 + i * 1_000, max: 80_000 + i * 1_000, currency: 'GBP', interval: 'per-year-salary' }
          : null,
      description: `Posting ${i + 1}: build and run the systems of the team.`,
      createdAt,
      updatedAt: createdAt,
    };
  });
  const opportunities: LvOpportunity[] = [];
  for (let c = 0; c < options.contacts; c += 1) {
    const person = syntheticPerson(rng, c);
    const contact = rng.uuid();
    // Every tenth contact has a second opportunity (the same person on another posting).
    const count = c % 10 === 9 ? 2 : 1;
    for (let k = 0; k < count; k += 1) {
      const createdAt =
        options.now - 90 * DAY + Math.floor(((c + k / 2) / Math.max(1, options.contacts)) * 89 * DAY);
      const posting = postings.length > 0 ? postings[(c + k) % postings.length]! : null;
      opportunities.push({
        id: rng.uuid(),
        contact,
        name: `${person.first} ${person.last}`,
        emails: [person.email],
        headline: '',
        tags: [],
        phones: [{ type: 'mobile', value: person.phone }],
        postingId: posting?.id ?? null,
        applicationId: rng.uuid(),
        stageId: stages[rng.int(0, stages.length - 2)]!.id,
        archived: null,
        hiredRequisitionId: null,
        createdAt,
        updatedAt: createdAt + rng.int(0, 12) * 3_600_000,
      });
    }
  }
  return {
    rng,
    stages,
    archiveReasons,
    postings,
    opportunities,
    opportunityById: new Map(opportunities.map((o) => [o.id, o])),
    deleted: [],
  };
}

import type { CanonicalJob, CanonicalStage } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { LeverPosting, LeverStage } from './schemas.js';

/** Lever posting states: published/internal are live; draft/pending not yet; closed/rejected done. */
const STATE: Record<string, CanonicalJob['status']> = {
  published: 'open',
  internal: 'open',
  draft: 'draft',
  pending: 'draft',
  closed: 'closed',
  rejected: 'closed',
};

export function commitmentOf(value: string | null | undefined): CanonicalJob['employmentType'] {
  const key = (value ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (key.startsWith('fulltime')) return 'full_time';
  if (key.startsWith('parttime')) return 'part_time';
  if (key.startsWith('contract')) return 'contract';
  if (key.startsWith('intern')) return 'intern';
  if (key.startsWith('temp')) return 'temporary';
  return null;
}

/** Lever's pipeline stages are account-wide, so every posting shares the same list. */
export function toStages(stages: readonly LeverStage[]): CanonicalStage[] {
  return stages.map((s, position) => ({ remoteId: s.id, name: s.text ?? '', position }));
}

const WORKPLACE: Record<string, CanonicalJob['remotePolicy']> = {
  onsite: 'onsite',
  remote: 'remote',
  hybrid: 'hybrid',
  unspecified: null,
};

const blankToNull = (value: string | null | undefined) => value?.trim() || null;

/** The posting's structured pay; its interval (per year, per hour, …) is not kept. */
function salaryOf(range: LeverPosting['salaryRange']): CanonicalJob['salaryRange'] {
  const { min, max, currency } = range ?? {};
  if (typeof min !== 'number' || typeof max !== 'number' || !currency) return null;
  return { min, max, currency };
}

export function toJob(raw: LeverPosting, stages: readonly LeverStage[]): CanonicalJob {
  const categories = raw.categories;
  return {
    remoteId: raw.id,
    title: raw.text ?? '',
    status: STATE[raw.state ?? ''] ?? 'closed',
    employmentType: commitmentOf(categories?.commitment),
    stages: toStages(stages),
    ...(categories === undefined
      ? {}
      : {
          // Lever's department groups teams; a posting without one is named by its team
          department: blankToNull(categories?.department) ?? blankToNull(categories?.team),
          office: blankToNull(categories?.location),
        }),
    ...(raw.content === undefined ? {} : { description: blankToNull(raw.content?.description) }),
    ...(raw.workplaceType === undefined ? {} : { remotePolicy: WORKPLACE[raw.workplaceType ?? ''] ?? null }),
    ...(raw.salaryRange === undefined ? {} : { salaryRange: salaryOf(raw.salaryRange) }),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt),
  };
}

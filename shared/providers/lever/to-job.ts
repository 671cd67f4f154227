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

export function toJob(raw: LeverPosting, stages: readonly LeverStage[]): CanonicalJob {
  return {
    remoteId: raw.id,
    title: raw.text ?? '',
    status: STATE[raw.state ?? ''] ?? 'closed',
    employmentType: commitmentOf(raw.categories?.commitment),
    stages: toStages(stages),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt),
  };
}

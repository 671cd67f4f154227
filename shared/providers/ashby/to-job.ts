import type { CanonicalJob, CanonicalStage } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyJob, AshbyStage } from './schemas.js';

const STATUS: Record<string, CanonicalJob['status']> = {
  Draft: 'draft',
  Open: 'open',
  Closed: 'closed',
  Archived: 'closed',
};
const EMPLOYMENT: Record<string, CanonicalJob['employmentType']> = {
  FullTime: 'full_time',
  PartTime: 'part_time',
  Intern: 'intern',
  Contract: 'contract',
  Temporary: 'temporary',
};

/** Pipeline stages in plan order; Archived-type stages are exits, not pipeline positions. */
export function toStages(stages: readonly AshbyStage[]): CanonicalStage[] {
  return [...stages]
    .filter((s) => s.type !== 'Archived')
    .sort((a, b) => (a.orderInInterviewPlan ?? 0) - (b.orderInInterviewPlan ?? 0))
    .map((s, position) => ({ remoteId: s.id, name: s.title ?? '', position }));
}

const WORKPLACE: Record<string, CanonicalJob['remotePolicy']> = {
  OnSite: 'onsite',
  Remote: 'remote',
  Hybrid: 'hybrid',
};

/** A location's workplace type where Ashby gives one, else its remote flag (false says nothing). */
function remotePolicyOf(location: NonNullable<AshbyJob['location']>): CanonicalJob['remotePolicy'] {
  const typed = WORKPLACE[location.workplaceType ?? ''];
  if (typed) return typed;
  return location.isRemote ? 'remote' : null;
}

export function toJob(raw: AshbyJob, stages: readonly AshbyStage[] = []): CanonicalJob {
  const location = raw.location;
  return {
    remoteId: raw.id,
    title: raw.title ?? '',
    status: STATUS[raw.status ?? ''] ?? 'closed',
    employmentType: EMPLOYMENT[raw.employmentType ?? ''] ?? null,
    stages: toStages(stages),
    // job.list names the department by id only and carries no description or pay: those stay the hub's
    ...(location === undefined
      ? {}
      : {
          office: location?.name?.trim() || null,
          remotePolicy: location ? remotePolicyOf(location) : null,
        }),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt),
  };
}

import type { CanonicalApplication } from '../../domain/canonical.js';
import type { ApplicationStatus } from '../../domain/pipeline.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { LeverOpportunity } from './schemas.js';

export interface LeverApplicationContext {
  /** Stage id → name (from `expand=stage` or `GET /stages`). */
  stageNames: ReadonlyMap<string, string>;
  hiredReasonIds: ReadonlySet<string>;
  withdrawnReasonIds: ReadonlySet<string>;
}

export function stageIdOf(raw: LeverOpportunity): string | null {
  if (!raw.stage) return null;
  return typeof raw.stage === 'string' ? raw.stage : raw.stage.id;
}

/** The posting of the opportunity's (first) application; needs `expand=applications`. */
export function postingIdOf(raw: LeverOpportunity): string | null {
  for (const application of raw.applications ?? []) {
    if (typeof application !== 'string' && application.posting) return application.posting;
  }
  return null;
}

export function statusOf(raw: LeverOpportunity, context: LeverApplicationContext): ApplicationStatus {
  const reason = raw.archived?.reason ?? null;
  if (!raw.archived) return 'active';
  if (reason && context.hiredReasonIds.has(reason)) return 'hired';
  if (reason && context.withdrawnReasonIds.has(reason)) return 'withdrawn';
  return 'rejected';
}

/**
 * A Lever opportunity is the hub's application (candidate × posting). Opportunities without a posting (general
 * leads) have no job and map to null.
 */
export function toApplication(
  raw: LeverOpportunity,
  context: LeverApplicationContext,
): CanonicalApplication | null {
  const jobId = postingIdOf(raw);
  if (!jobId) return null;
  const stageId = stageIdOf(raw);
  const inlineName = raw.stage && typeof raw.stage !== 'string' ? (raw.stage.text ?? null) : null;
  const status = statusOf(raw, context);
  return {
    remoteId: raw.id,
    candidateRemoteId: raw.contact,
    jobRemoteId: jobId,
    stage: stageId ? { remoteId: stageId, name: inlineName ?? context.stageNames.get(stageId) ?? '' } : null,
    status,
    rejectionReason: status === 'rejected' || status === 'withdrawn' ? (raw.archived?.reason ?? null) : null,
    appliedAt: toIsoTimestamp(raw.createdAt),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt),
  };
}

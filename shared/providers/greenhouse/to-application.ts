import type { CanonicalApplication } from '../../domain/canonical.js';
import type { ApplicationStatus } from '../../domain/pipeline.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { V3Application, WebhookApplication } from './schemas.js';

export interface ApplicationMapOptions {
  stageIdField: 'job_interview_stage_id' | 'stage_id';
  withdrawnRejectionReasonIds: readonly string[];
}

/** v3 `in_process`, v1/webhook `active`; `converted` prospects and unknown values yield null (not synced). */
export function statusOf(status: string | null | undefined): ApplicationStatus | null {
  switch (status) {
    case 'in_process':
    case 'active':
      return 'active';
    case 'rejected':
      return 'rejected';
    case 'hired':
      return 'hired';
    default:
      return null;
  }
}

/**
 * Prospect applications (no job, or `prospect: true`) are not pipeline applications and map to null; the
 * engine still keeps the raw record.
 */
export function toApplication(
  raw: V3Application,
  options: ApplicationMapOptions,
): CanonicalApplication | null {
  let status = statusOf(raw.status);
  if (!status || raw.prospect === true || !raw.job_id || !raw.candidate_id) return null;
  if (
    status === 'rejected' &&
    raw.rejection_reason_id &&
    options.withdrawnRejectionReasonIds.includes(raw.rejection_reason_id)
  ) {
    status = 'withdrawn';
  }
  const stageId = raw[options.stageIdField] ?? null;
  return {
    remoteId: raw.id,
    candidateRemoteId: raw.candidate_id,
    jobRemoteId: raw.job_id,
    // Greenhouse clears the stage after hire, and v3 may report none for a rejected application: keep null rather
    // than inventing one (the engine places a closed application without a stage, docs/architecture.md).
    stage: stageId || raw.stage_name ? { remoteId: stageId, name: raw.stage_name ?? '' } : null,
    status,
    rejectionReason:
      status === 'rejected' || status === 'withdrawn' ? (raw.rejection_reason_id ?? null) : null,
    appliedAt: toIsoTimestamp(raw.created_at),
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at ?? raw.last_activity_at),
  };
}

/** Webhook `payload.application` (v1 shape). "They rejected us" reasons count as withdrawn. */
export function webhookApplicationToCanonical(raw: WebhookApplication): CanonicalApplication | null {
  let status = statusOf(raw.status);
  const jobId = raw.jobs?.[0]?.id ?? null;
  const candidateId = raw.candidate?.id ?? null;
  if (!status || raw.prospect === true || !jobId || !candidateId) return null;
  const reasonType = raw.rejection_reason?.type?.name?.toLowerCase() ?? '';
  if (status === 'rejected' && reasonType.includes('they rejected')) status = 'withdrawn';
  const stage = raw.current_stage ?? null;
  return {
    remoteId: raw.id,
    candidateRemoteId: candidateId,
    jobRemoteId: jobId,
    stage: stage ? { remoteId: stage.id ?? null, name: stage.name ?? '' } : null,
    status,
    rejectionReason: raw.rejection_reason?.name ?? raw.rejection_reason?.id ?? null,
    appliedAt: toIsoTimestamp(raw.applied_at),
    remoteUpdatedAt: toIsoTimestamp(raw.last_activity_at),
  };
}

import type { CanonicalApplication } from '../../domain/canonical.js';
import type { ApplicationStatus } from '../../domain/pipeline.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyApplication } from './schemas.js';

/** Ashby: Active | Lead | Hired | Archived; an archive the candidate chose is a withdrawal. */
export function statusOf(raw: Pick<AshbyApplication, 'status' | 'archiveReason'>): ApplicationStatus {
  switch (raw.status) {
    case 'Hired':
      return 'hired';
    case 'Archived':
      return raw.archiveReason?.reasonType === 'RejectedByCandidate' ? 'withdrawn' : 'rejected';
    default:
      return 'active';
  }
}

export function toApplication(raw: AshbyApplication): CanonicalApplication | null {
  if (!raw.candidate?.id || !raw.job?.id) return null;
  const status = statusOf(raw);
  const stage = raw.currentInterviewStage ?? null;
  return {
    remoteId: raw.id,
    candidateRemoteId: raw.candidate.id,
    jobRemoteId: raw.job.id,
    stage: stage ? { remoteId: stage.id, name: stage.title ?? '' } : null,
    status,
    rejectionReason:
      status === 'rejected' || status === 'withdrawn'
        ? (raw.archiveReason?.text ?? raw.archiveReason?.id ?? null)
        : null,
    appliedAt: toIsoTimestamp(raw.createdAt),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt),
  };
}

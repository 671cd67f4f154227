/**
 * BambooHR application → CanonicalApplication. The status is the stage (id and label); its code, looked up in
 * GET /applicant_tracking/statuses, gives the canonical status (settings map codes, unverified defaults).
 */
import type { CanonicalApplication } from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { BambooApplication } from './schemas.js';
import { canonicalStatusOf, type StatusCatalog, type StatusCodes } from './statuses.js';

/** BambooHR dates: ISO 8601, or `YYYY-MM-DD HH:MM:SS` in UTC. */
export function bambooTimestamp(value: string | null | undefined): string | null {
  const text = emptyToNull(value);
  if (!text) return null;
  return toIsoTimestamp(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text,
  );
}

export function toApplication(
  application: BambooApplication,
  catalog: StatusCatalog,
  codes: StatusCodes,
): CanonicalApplication {
  const statusId = application.status?.id ?? null;
  const known = statusId ? catalog.get(statusId) : undefined;
  const label = emptyToNull(application.status?.label) ?? (known ? catalog.nameOf(known) : null);
  const status = canonicalStatusOf(known?.code, codes);
  return {
    remoteId: application.id,
    candidateRemoteId: application.applicant.id,
    jobRemoteId: application.job.id,
    stage: statusId || label ? { remoteId: statusId, name: label ?? statusId ?? '' } : null,
    status,
    rejectionReason: status === 'rejected' || status === 'withdrawn' ? label : null,
    appliedAt: bambooTimestamp(application.appliedDate),
    remoteUpdatedAt: bambooTimestamp(application.lastUpdated),
  };
}

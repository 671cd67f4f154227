import type { CanonicalOffer, OfferStatus } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyOffer } from './record-schemas.js';

/** `offerStatus` values (secondary); approval steps before the candidate sees the offer are drafts. */
const OFFER_STATUS: Record<string, OfferStatus> = {
  WaitingOnApprovalStart: 'draft',
  WaitingOnOfferApproval: 'draft',
  WaitingOnApprovalDefinition: 'draft',
  WaitingOnCandidateResponse: 'sent',
  CandidateAccepted: 'accepted',
  CandidateRejected: 'declined',
  OfferCancelled: 'withdrawn',
};
/** `acceptanceStatus`, Ashby's derivation source for `offerStatus` since offer.setStatus (2026-07-01). */
const ACCEPTANCE: Record<string, OfferStatus> = {
  Accepted: 'accepted',
  Declined: 'declined',
  Cancelled: 'withdrawn',
  WaitingOnResponse: 'sent',
  Pending: 'draft',
  Created: 'draft',
};

export function offerStatusOf(raw: Pick<AshbyOffer, 'offerStatus' | 'acceptanceStatus'>): OfferStatus {
  return OFFER_STATUS[raw.offerStatus ?? ''] ?? ACCEPTANCE[raw.acceptanceStatus ?? ''] ?? 'draft';
}

/** Ashby reports no send time; the latest version's creation stands in for a sent offer (documented). */
export function toOffer(raw: AshbyOffer): CanonicalOffer {
  const status = offerStatusOf(raw);
  const versionAt = toIsoTimestamp(raw.latestVersion?.createdAt);
  const decidedAt = toIsoTimestamp(raw.decidedAt);
  const startDate = raw.latestVersion?.startDate ?? null;
  return {
    remoteId: raw.id,
    applicationRemoteId: raw.applicationId,
    status,
    sentAt: status === 'draft' ? null : versionAt,
    resolvedAt: status === 'accepted' || status === 'declined' || status === 'withdrawn' ? decidedAt : null,
    startsAt: startDate && /^\d{4}-\d{2}-\d{2}/.test(startDate) ? startDate.slice(0, 10) : null,
    remoteUpdatedAt: decidedAt ?? versionAt,
  };
}

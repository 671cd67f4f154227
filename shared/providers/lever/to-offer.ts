import type { CanonicalOffer, OfferStatus } from '../../domain/canonical.js';
import { laterIso, toIsoTimestamp } from '../common/timestamps.js';
import type { LeverOffer } from './record-schemas.js';

/**
 * Lever's offer statuses (docs/providers.md §3.7): drafting and approval are still drafts for the candidate;
 * `sent`, `sent-manually` and `opened` are out; `signed` is accepted and `denied` declined.
 */
const STATUS: Record<string, OfferStatus> = {
  draft: 'draft',
  'approval-sent': 'draft',
  approved: 'draft',
  sent: 'sent',
  'sent-manually': 'sent',
  opened: 'sent',
  denied: 'declined',
  signed: 'accepted',
};

/** The anticipated start date field (a date in epoch ms, or text) as YYYY-MM-DD. */
function startDateOf(raw: LeverOffer): string | null {
  const field = (raw.fields ?? []).find((f) => f.identifier === 'anticipated_start_date');
  const value = field?.value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  return null;
}

export function offerStatusOf(status: string): OfferStatus {
  // A status Lever adds later reads as a draft: never claim an offer went out or was accepted when unsure.
  return STATUS[status.toLowerCase()] ?? 'draft';
}

/**
 * A Lever offer (`GET /opportunities/:id/offers`). Lever keeps no sent or resolved time: the upload of the sent
 * document stands in for the sending, the signed document's for the acceptance.
 */
export function toOffer(raw: LeverOffer, applicationRemoteId: string): CanonicalOffer {
  const status = offerStatusOf(raw.status);
  const sentAt = status === 'draft' ? null : toIsoTimestamp(raw.sentDocument?.uploadedAt);
  const signedAt = toIsoTimestamp(raw.signedDocument?.uploadedAt);
  return {
    remoteId: raw.id,
    applicationRemoteId,
    status,
    sentAt,
    resolvedAt: status === 'accepted' ? signedAt : null,
    startsAt: startDateOf(raw),
    remoteUpdatedAt: laterIso(laterIso(toIsoTimestamp(raw.createdAt), sentAt), signedAt),
  };
}

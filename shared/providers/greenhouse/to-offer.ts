import type { CanonicalOffer, OfferStatus } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { V3Offer } from './record-schemas.js';

/**
 * Greenhouse offer statuses Created / Accepted / Rejected / Deprecated (v1 also `unresolved`). A created offer is
 * `sent` once it has a sent date, else `draft`; a deprecated version was replaced by a newer one: `withdrawn`.
 */
export function offerStatusOf(status: string | null | undefined, sent: boolean): OfferStatus {
  switch ((status ?? '').toLowerCase()) {
    case 'accepted':
      return 'accepted';
    case 'rejected':
    case 'declined':
      return 'declined';
    case 'deprecated':
      return 'withdrawn';
    default:
      return sent ? 'sent' : 'draft';
  }
}

/** `start_date` comes as `2013-04-15` or, in webhooks, `04/15/2013`: kept as a date. */
export function dateOnly(value: string | null | undefined): string | null {
  if (!value) return null;
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (us) return `${us[3]}-${us[1]}-${us[2]}`;
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

export function toOffer(raw: V3Offer): CanonicalOffer | null {
  if (!raw.application_id) return null;
  const sentAt = toIsoTimestamp(raw.sent_at ?? raw.sent_on);
  const status = offerStatusOf(raw.status ?? raw.offer_status, sentAt !== null);
  return {
    remoteId: raw.id,
    applicationRemoteId: raw.application_id,
    status,
    sentAt,
    resolvedAt:
      status === 'accepted' || status === 'declined' || status === 'withdrawn'
        ? toIsoTimestamp(raw.resolved_at)
        : null,
    startsAt: dateOnly(raw.start_date ?? raw.starts_at),
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at ?? raw.resolved_at ?? raw.created_at),
  };
}

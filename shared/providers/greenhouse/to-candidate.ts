import type {
  AttachmentType,
  CanonicalAttachment,
  CanonicalCandidate,
  ContactPoint,
} from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { CandidateAttachment } from './record-schemas.js';
import type { V3Candidate } from './schemas.js';

type Contacts = V3Candidate['email_addresses'];

/** First non-empty value; Greenhouse lists contacts without a primary flag. */
export function firstContact(list: Contacts): string | null {
  for (const entry of list ?? []) {
    const value = emptyToNull(entry?.value);
    if (value) return value;
  }
  return null;
}

/** Every non-empty contact in Greenhouse's order, its type lower-cased (`personal`, `work`, `mobile`, …). */
export function contactPoints(list: Contacts, lowerCaseValue = false): ContactPoint[] {
  const points: ContactPoint[] = [];
  for (const entry of list ?? []) {
    const value = emptyToNull(entry?.value);
    if (!value) continue;
    points.push({
      value: lowerCaseValue ? value.toLowerCase() : value,
      type: emptyToNull(entry?.type)?.toLowerCase() ?? 'other',
    });
  }
  return points;
}

/** Greenhouse attachment types (resume, cover_letter, offer_letter, signed_offer_letter, offer_packet, …). */
export function attachmentTypeOf(type: string | null | undefined): AttachmentType {
  switch ((type ?? '').toLowerCase()) {
    case 'resume':
      return 'resume';
    case 'cover_letter':
      return 'cover_letter';
    case 'portfolio':
      return 'portfolio';
    case 'offer_letter':
    case 'signed_offer_letter':
    case 'offer_packet':
      return 'offer_letter';
    default:
      return 'other';
  }
}

/** Metadata only: the file URL expires after 7 days and is never kept. */
export function toAttachment(raw: CandidateAttachment): CanonicalAttachment {
  const fileName = raw.filename ?? '';
  return {
    remoteId: raw.id ?? `${raw.type ?? 'other'}:${fileName}`,
    fileName,
    type: attachmentTypeOf(raw.type),
    applicationRemoteId: raw.application_id ?? null,
  };
}

/**
 * `attachments` from `GET /v3/attachments` when the sync read them; else those embedded in the payload
 * (webhooks); absent when neither says, so the hub keeps what it has.
 */
export function toCandidate(
  raw: V3Candidate,
  attachments?: readonly CandidateAttachment[],
): CanonicalCandidate {
  const email = firstContact(raw.email_addresses);
  const candidate: CanonicalCandidate = {
    remoteId: raw.id,
    firstName: raw.first_name ?? '',
    lastName: raw.last_name ?? '',
    email: email ? email.toLowerCase() : null,
    phone: firstContact(raw.phone_numbers),
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at),
  };
  if (raw.email_addresses) candidate.emails = contactPoints(raw.email_addresses, true);
  if (raw.phone_numbers) candidate.phones = contactPoints(raw.phone_numbers);
  if (raw.company !== undefined) candidate.company = emptyToNull(raw.company);
  if (raw.title !== undefined) candidate.title = emptyToNull(raw.title);
  if (raw.tags) candidate.tags = [...new Set(raw.tags.map((t) => t.trim()).filter((t) => t !== ''))];
  // Webhook attachments carry no id: keyed by name they would churn against the ids a sync brings, so an id-less
  // set is left out and the hub keeps the synced one.
  const embedded = raw.attachments?.every((a) => a.id) ? raw.attachments : undefined;
  const files = attachments ?? embedded;
  if (files) candidate.attachments = files.map(toAttachment);
  return candidate;
}

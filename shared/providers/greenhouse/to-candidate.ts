import type { CanonicalCandidate } from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';
import { toIsoTimestamp } from '../common/timestamps.js';
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

export function toCandidate(raw: V3Candidate): CanonicalCandidate {
  const email = firstContact(raw.email_addresses);
  return {
    remoteId: raw.id,
    firstName: raw.first_name ?? '',
    lastName: raw.last_name ?? '',
    email: email ? email.toLowerCase() : null,
    phone: firstContact(raw.phone_numbers),
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at),
  };
}

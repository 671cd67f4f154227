import type { CanonicalCandidate } from '../../domain/canonical.js';
import { emptyToNull, splitFullName } from '../common/person-name.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyCandidate } from './schemas.js';

type Contact = NonNullable<AshbyCandidate['primaryEmailAddress']>;

function pick(
  primary: Contact | null | undefined,
  all: readonly Contact[] | null | undefined,
): string | null {
  const candidates = [primary, ...(all ?? []).filter((c) => c.isPrimary), ...(all ?? [])];
  for (const c of candidates) {
    const value = emptyToNull(c?.value);
    if (value) return value;
  }
  return null;
}

/** Ashby keeps one display `name`; first and last names are split on the first space. */
export function toCandidate(raw: Pick<AshbyCandidate, 'id'> & Partial<AshbyCandidate>): CanonicalCandidate {
  const { firstName, lastName } = splitFullName(raw.name);
  const email = pick(raw.primaryEmailAddress, raw.emailAddresses);
  return {
    remoteId: raw.id,
    firstName,
    lastName,
    email: email ? email.toLowerCase() : null,
    phone: pick(raw.primaryPhoneNumber, raw.phoneNumbers),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt ?? raw.createdAt),
  };
}

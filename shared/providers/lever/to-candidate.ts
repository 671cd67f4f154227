import type { CanonicalCandidate } from '../../domain/canonical.js';
import { emptyToNull, splitFullName } from '../common/person-name.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { LeverOpportunity } from './schemas.js';

/**
 * Lever has no contact list endpoint: the person behind an opportunity is its `contact`, with the name,
 * emails and phones copied on the opportunity. Candidates are keyed by contact id.
 */
export function toCandidate(raw: LeverOpportunity): CanonicalCandidate {
  const { firstName, lastName } = splitFullName(raw.name);
  const email = (raw.emails ?? []).map((e) => emptyToNull(e)).find((e) => e !== null) ?? null;
  const phone = (raw.phones ?? []).map((p) => emptyToNull(p.value)).find((p) => p !== null) ?? null;
  return {
    remoteId: raw.contact,
    firstName,
    lastName,
    email: email ? email.toLowerCase() : null,
    phone,
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt),
  };
}

/** One candidate per contact on a page (a contact with two opportunities appears once, latest wins). */
export function uniqueCandidates(opportunities: readonly LeverOpportunity[]): CanonicalCandidate[] {
  const byContact = new Map<string, CanonicalCandidate>();
  for (const opportunity of opportunities) {
    const candidate = toCandidate(opportunity);
    const seen = byContact.get(candidate.remoteId);
    if (!seen || (candidate.remoteUpdatedAt ?? '') > (seen.remoteUpdatedAt ?? ''))
      byContact.set(candidate.remoteId, candidate);
  }
  return [...byContact.values()];
}

/** Workday `Candidate` → CanonicalCandidate. */
import type { CanonicalCandidate } from '../../domain/canonical.js';
import { anyIdOf, nonBlank } from './references.js';
import type { WorkdayCandidate } from './schemas.js';
import { latestEntryMoment, logEntriesOf } from './transaction-log.js';

/** `Candidate_ID` from the reference or the data, else the WID. */
export function candidateRemoteId(candidate: WorkdayCandidate): string | null {
  return (
    anyIdOf(candidate.Candidate_Reference, 'Candidate_ID') ??
    nonBlank(candidate.Candidate_Data?.Candidate_ID) ??
    null
  );
}

/**
 * Null when the element carries no candidate data: a candidate whose creation was rescinded comes back with its
 * reference and transaction log only (see transaction-log.ts).
 */
export function toCandidate(candidate: WorkdayCandidate): CanonicalCandidate | null {
  const data = candidate.Candidate_Data;
  const remoteId = candidateRemoteId(candidate);
  if (!data || !remoteId || !data.Name_Data) return null;
  const legal = data.Name_Data.Legal_Name?.Name_Detail_Data;
  const preferred = data.Name_Data.Preferred_Name?.Name_Detail_Data;
  return {
    remoteId,
    firstName: nonBlank(legal?.First_Name) ?? nonBlank(preferred?.First_Name) ?? '',
    lastName: nonBlank(legal?.Last_Name) ?? nonBlank(preferred?.Last_Name) ?? '',
    email: nonBlank(data.Contact_Data?.Email_Address)?.toLowerCase() ?? null,
    phone: nonBlank(data.Contact_Data?.Phone_Number),
    remoteUpdatedAt: latestEntryMoment(logEntriesOf(candidate)),
  };
}

/**
 * Workday `Candidate` → CanonicalCandidate. `Contact_Data` holds one email and one phone without a label (type
 * `other`); when the element is there, `emails` and `phones` are the whole set. Attachments are not reported: the
 * hub asks with `Exclude_All_Attachments` (requests.ts) so a page does not carry every resume's bytes; company,
 * title and tags are not read from Get_Candidates (docs/ats-record.md, "Objects per provider").
 */
import type { CanonicalCandidate, ContactPoint } from '../../domain/canonical.js';
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
  const email = nonBlank(data.Contact_Data?.Email_Address)?.toLowerCase() ?? null;
  const phone = nonBlank(data.Contact_Data?.Phone_Number);
  const unlabelled = (value: string | null): ContactPoint[] => (value ? [{ value, type: 'other' }] : []);
  return {
    remoteId,
    firstName: nonBlank(legal?.First_Name) ?? nonBlank(preferred?.First_Name) ?? '',
    lastName: nonBlank(legal?.Last_Name) ?? nonBlank(preferred?.Last_Name) ?? '',
    email,
    phone,
    ...(data.Contact_Data ? { emails: unlabelled(email), phones: unlabelled(phone) } : {}),
    remoteUpdatedAt: latestEntryMoment(logEntriesOf(candidate)),
  };
}

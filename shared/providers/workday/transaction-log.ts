/**
 * The transaction log attached to a candidate (`Transaction_Log_Entry_Data`, requested with
 * `Include_Transaction_Log_Data`, unverified for Get_Candidates) and what it says about deletions.
 *
 * Workday flags an entry `Is_Rescind_Or_Rescinded` when it is a rescind or the event a rescind undid, and
 * `Is_Correction_Or_Corrected` for corrections (confirmed: generated `Transaction_Log_DataType`). A correction
 * leaves the record in place, so it is an ordinary update. A rescind whose target (`Transaction_Target_Reference`)
 * no longer appears in the returned data is a deletion of that target (the rule is the hub's, unverified).
 */
import { toIsoTimestamp } from '../common/timestamps.js';
import { idOf, idsByType } from './references.js';
import type { TransactionLogEntry, WorkdayCandidate } from './schemas.js';

export function logEntriesOf(candidate: WorkdayCandidate): TransactionLogEntry[] {
  return [
    ...(candidate.Transaction_Log_Entry_Data?.Transaction_Log_Entry ?? []),
    ...(candidate.Candidate_Data?.Transaction_Log_Entry_Data?.Transaction_Log_Entry ?? []),
  ];
}

/** Latest `Transaction_Entry_Moment` of the entries, ISO, or null. */
export function latestEntryMoment(entries: readonly TransactionLogEntry[]): string | null {
  let latest: number | null = null;
  for (const entry of entries) {
    const iso = toIsoTimestamp(entry.Transaction_Log_Data?.Transaction_Entry_Moment);
    if (!iso) continue;
    const ms = Date.parse(iso);
    if (latest === null || ms > latest) latest = ms;
  }
  return latest === null ? null : new Date(latest).toISOString();
}

/** Ids of the given target type (e.g. `Job_Application_ID`) named by rescind entries. */
export function rescindedTargetIds(entries: readonly TransactionLogEntry[], idType: string): Set<string> {
  const ids = new Set<string>();
  for (const entry of entries) {
    const data = entry.Transaction_Log_Data;
    if (!data?.Is_Rescind_Or_Rescinded) continue;
    for (const target of data.Transaction_Target_Reference) {
      const id = idOf(target, idType);
      if (id) ids.add(id);
    }
  }
  return ids;
}

/** Whether any rescind entry targets this exact reference id (any id type of the target). */
export function isTargetOfRescind(
  entries: readonly TransactionLogEntry[],
  idType: string,
  id: string,
): boolean {
  return entries.some(
    (entry) =>
      entry.Transaction_Log_Data?.Is_Rescind_Or_Rescinded === true &&
      entry.Transaction_Log_Data.Transaction_Target_Reference.some(
        (target) => idsByType(target).get(idType) === id,
      ),
  );
}

/** Ids of the given target type named by any entry (e.g. every application a candidate's log mentions). */
export function targetIds(entries: readonly TransactionLogEntry[], idType: string): Set<string> {
  const ids = new Set<string>();
  for (const entry of entries) {
    for (const target of entry.Transaction_Log_Data?.Transaction_Target_Reference ?? []) {
      const id = idOf(target, idType);
      if (id) ids.add(id);
    }
  }
  return ids;
}

/**
 * Interviews, scorecards, offers, notes and rejection reasons of one page (docs/ats-record.md): each resolved
 * to its application or candidate through external_refs, upserted under the out-of-order guard.
 */
import type { SyncScope } from '../db/repositories/sync-jobs.js';
import type { Tx } from '../db/tenant.js';
import type { RecordObjectType } from '../domain/canonical.js';
import type { CanonicalOf } from '../ports/provider.js';
import type { RecordsOutcome } from './apply-records.js';

export async function applyRecordObjects<T extends RecordObjectType>(
  _tx: Tx,
  _scope: SyncScope,
  objectType: T,
  _records: readonly CanonicalOf<T>[],
): Promise<RecordsOutcome> {
  throw new Error(`no writer for ${objectType} records yet`);
}

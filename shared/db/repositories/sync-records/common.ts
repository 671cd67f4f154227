import type { RecordObjectType } from '../../../domain/canonical.js';
import type { Tx } from '../../tenant.js';
import type { SyncScope, UpsertCounts } from '../sync-jobs.js';

/** What every record write carries besides its own columns. */
export interface RecordWriteBase {
  /** The local id: the linked row, or a fresh one. */
  id: string;
  remoteId: string;
  /** The record has no external ref yet. */
  newRef: boolean;
  sourceUpdatedAt: string | null;
}

export const ids = (writes: readonly RecordWriteBase[]) => writes.map((w) => w.id);
export const remoteIds = (writes: readonly RecordWriteBase[]) => writes.map((w) => w.remoteId);
export const newRefs = (writes: readonly RecordWriteBase[]) => writes.map((w) => String(w.newRef));
export const sourceTimes = (writes: readonly RecordWriteBase[]) => writes.map((w) => w.sourceUpdatedAt);

/**
 * The out-of-order guard of an upsert's `do update … where`: a record without a timestamp, or a row without
 * one, always applies; otherwise the record must not be older than what the row holds.
 */
export const notOlder = (tx: Tx, alias: string) =>
  tx`(${tx(alias)}.source_updated_at is null or excluded.source_updated_at is null
    or excluded.source_updated_at >= ${tx(alias)}.source_updated_at)`;

/**
 * The tail CTEs every record upsert shares, after an `input` CTE (id, remote_id, source_updated_at, new_ref) and
 * an `upserted` CTE (returning id, inserted, source_updated_at): refs for new links, the remote timestamp of
 * updated links moved forward, and the counts. Unchanged rows appear in neither CTE, so they cost no write.
 */
export const refsAndCounts = (tx: Tx, scope: SyncScope, objectType: RecordObjectType) => tx`
  refs as (
    insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id, remote_updated_at,
      created_at)
    select ${scope.organizationId}, ${scope.integrationId}, ${objectType}, id, remote_id, source_updated_at, ${scope.now}
    from input where new_ref
  ), ref_times as (
    update external_refs r set remote_updated_at = u.source_updated_at
    from upserted u
    where not u.inserted and r.integration_id = ${scope.integrationId} and r.object_type = ${objectType}
      and r.object_type <> 'stage' and r.local_id = u.id and r.remote_updated_at is distinct from u.source_updated_at
  )
  select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated
  from upserted`;

export const noCounts: UpsertCounts = { created: 0, updated: 0 };

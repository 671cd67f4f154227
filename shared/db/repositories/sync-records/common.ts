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

/**
 * The out-of-order guard of an upsert's `do update … where`: a record without a timestamp, or a row without
 * one, always applies; otherwise the record must not be older than what the row holds.
 */
export const notOlder = (tx: Tx, alias: string) =>
  tx`(${tx(alias)}.source_updated_at is null or excluded.source_updated_at is null
    or excluded.source_updated_at >= ${tx(alias)}.source_updated_at)`;

/**
 * The tail CTEs every record upsert shares, after an `input` CTE (inputRows) and
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

/** A column of a page's `input` CTE besides the shared ones: its name, its SQL array type, its value per write. */
export type InputColumn<W> = readonly [name: string, arrayType: string, value: (write: W) => unknown];

/**
 * The `input` CTE every record upsert starts from, one row per write: id, remote_id, the object's own `columns`,
 * source_updated_at and new_ref, each column one array unnested alongside the others.
 */
export function inputRows<W extends RecordWriteBase>(
  tx: Tx,
  writes: readonly W[],
  columns: readonly InputColumn<W>[],
) {
  const all: readonly InputColumn<W>[] = [
    ['id', 'uuid[]', (w) => w.id],
    ['remote_id', 'text[]', (w) => w.remoteId],
    ...columns,
    ['source_updated_at', 'timestamptz[]', (w) => w.sourceUpdatedAt],
    ['new_ref', 'text[]::bool[]', (w) => String(w.newRef)],
  ];
  const arrays = all
    .map(([, type, value]) => tx`${writes.map(value) as string[]}::${tx.unsafe(type)}`)
    .reduce((list, array) => tx`${list}, ${array}`);
  const names = tx.unsafe(all.map(([name]) => name).join(', '));
  return tx`input as (select * from unnest(${arrays}) as t(${names}))`;
}

import type { SyncObjectType } from '../../domain/canonical.js';
import type { Tx } from '../tenant.js';

const TABLES: Record<SyncObjectType, string> = {
  job: 'jobs',
  candidate: 'candidates',
  application: 'applications',
  rejection_reason: 'rejection_reasons',
  interview: 'interviews',
  scorecard: 'scorecards',
  offer: 'offers',
  note: 'notes',
};

export interface DeletionScope {
  integrationId: string;
  syncRunId: string | null;
  now: Date;
  reason: string;
  /** Only records this source created (reconciliation never deletes what the portal or the ATS made). */
  onlySource?: string;
  /**
   * When the provider deleted the record (a delete webhook's time): a row the provider changed later is kept, and a
   * deleted row keeps this time as its `source_updated_at`, so an older upsert delivered afterwards cannot restore
   * it (the out-of-order guard of the upserts).
   */
  eventAt?: Date | null;
}

/**
 * Soft delete (`deleted_at`) of the local records linked to these remote ids, with one `deleted` import_log row
 * per record actually deleted, in one statement. A deleted candidate takes its applications from this
 * integration along, each logged too. Returns how many records were deleted.
 */
export async function softDeleteByRemoteIds(
  tx: Tx,
  objectType: SyncObjectType,
  remoteIds: readonly string[],
  scope: DeletionScope,
): Promise<number> {
  if (remoteIds.length === 0) return 0;
  const eventAt = scope.eventAt ?? null;
  const [row] = await tx<{ deleted: number }[]>`
    with targets as (
      select r.local_id, r.remote_id from external_refs r
      where r.integration_id = ${scope.integrationId} and r.object_type = ${objectType}
        and r.remote_id = any(${remoteIds as string[]}::text[])
    ), deleted as (
      update ${tx(TABLES[objectType]!)} t set deleted_at = ${scope.now}, updated_at = now(),
        source_updated_at = greatest(t.source_updated_at, ${eventAt}::timestamptz)
      from targets where t.id = targets.local_id and t.deleted_at is null
        and (${scope.onlySource ?? null}::text is null or t.source = ${scope.onlySource ?? null})
        and (${eventAt}::timestamptz is null or t.source_updated_at is null
          or t.source_updated_at <= ${eventAt}::timestamptz)
      returning t.id
    ), cascaded as (
      update applications a set deleted_at = ${scope.now}, updated_at = now()
      where ${objectType === 'candidate'} and a.candidate_id in (select id from deleted) and a.deleted_at is null
        and exists (select 1 from external_refs ar where ar.integration_id = ${scope.integrationId}
          and ar.object_type = 'application' and ar.local_id = a.id)
      returning a.id
    ), logged as (
      insert into import_log (organization_id, integration_id, sync_run_id, object_type, remote_id, action, message)
      select app_org(), ${scope.integrationId}::uuid, ${scope.syncRunId}::uuid, ${objectType}::text, targets.remote_id,
        'deleted', ${scope.reason}::text
      from targets join deleted on deleted.id = targets.local_id
      union all
      select app_org(), ${scope.integrationId}::uuid, ${scope.syncRunId}::uuid, 'application', ar.remote_id, 'deleted',
        ${`${scope.reason} (with its candidate)`}::text
      from cascaded join external_refs ar on ar.integration_id = ${scope.integrationId}
        and ar.object_type = 'application' and ar.local_id = cascaded.id
    )
    select ((select count(*) from deleted) + (select count(*) from cascaded))::int as deleted`;
  return row?.deleted ?? 0;
}

/**
 * Full reconciliation after a COMPLETE full pass: records of this integration (created by it, i.e. source =
 * provider) whose remote id the pass never saw, and that were linked before the pass started, are soft-deleted.
 * The set difference is taken in memory (ids only): it stays linear whatever plans the database would pick.
 */
export async function reconcileUnseen(
  tx: Tx,
  objectType: SyncObjectType,
  input: DeletionScope & { passId: string; passStartedAt: Date; provider: string },
): Promise<number> {
  const pages = await tx<{ remote_ids: string[] }[]>`
    select remote_ids from sync_seen where pass_id = ${input.passId} and object_type = ${objectType}`;
  const seen = new Set<string>();
  for (const page of pages) for (const id of page.remote_ids) seen.add(id);
  const linked = await tx<{ remote_id: string }[]>`
    select remote_id from external_refs
    where integration_id = ${input.integrationId} and object_type = ${objectType} and created_at < ${input.passStartedAt}`;
  const unseen = linked.map((r) => r.remote_id).filter((id) => !seen.has(id));
  return softDeleteByRemoteIds(tx, objectType, unseen, { ...input, onlySource: input.provider });
}

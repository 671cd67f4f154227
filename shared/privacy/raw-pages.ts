/**
 * The index of raw provider pages (`raw_payload_pages`, migrations/0015_privacy.sql) and their rewrite without one
 * person. The sync worker indexes each page in the page's own transaction; the erasure and the retention sweep read
 * the index instead of listing the bucket.
 */
import type { Tx } from '../db/tenant.js';
import type { SyncObjectType } from '../domain/canonical.js';
import { pageRemoteIds, withoutPerson } from '../domain/privacy.js';
import type { ObjectStore } from '../ports/object-store.js';

/** Records which candidates and applications a stored raw page names (a retried page overwrites its row). */
export async function indexRawPage(
  tx: Tx,
  input: {
    organizationId: string;
    integrationId: string;
    key: string;
    objectType: SyncObjectType;
    records: readonly object[];
    now: Date;
  },
): Promise<void> {
  await rawPageInsert(tx, input);
}

/** indexRawPage's INSERT, also inside the sync page's opening statement. */
export function rawPageInsert(tx: Tx, input: Parameters<typeof indexRawPage>[1]) {
  const remoteIds = pageRemoteIds(input.objectType, input.records as Record<string, unknown>[]);
  return tx`
    insert into raw_payload_pages (object_key, organization_id, integration_id, remote_ids, stored_at)
    values (${input.key}, ${input.organizationId}, ${input.integrationId}, ${remoteIds}::text[], ${input.now})
    on conflict (object_key) do update set remote_ids = excluded.remote_ids, stored_at = excluded.stored_at`;
}

/** Keys of the pages of one integration that name any of these remote ids. */
export async function pagesNaming(tx: Tx, integrationId: string, remoteIds: readonly string[]) {
  const rows = await tx<{ object_key: string }[]>`
    select object_key from raw_payload_pages
    where integration_id = ${integrationId} and remote_ids && ${remoteIds as string[]}::text[]
    order by object_key`;
  return rows.map((r) => r.object_key);
}

export type PageOutcome = 'missing' | 'unchanged' | 'rewritten' | 'deleted';

/**
 * The page without the person's elements: rewritten (the new version first, then every older version deleted, so a
 * crash in between leaves the person only in a version the next attempt deletes), or deleted whole when nothing else
 * remains. Idempotent: a second pass finds nothing of the person and changes nothing.
 */
export async function rewritePage(
  store: ObjectStore,
  key: string,
  person: { remoteIds: readonly string[]; markers: readonly string[] },
): Promise<PageOutcome> {
  const object = await store.get(key);
  if (!object) {
    // an earlier attempt may have deleted the current version and died before the older ones went
    await store.deleteAllVersions(key);
    return 'missing';
  }
  let elements: unknown;
  try {
    elements = JSON.parse(object.body.toString('utf8'));
  } catch {
    elements = null;
  }
  if (!Array.isArray(elements)) {
    await store.deleteAllVersions(key);
    return 'deleted';
  }
  const { kept, removed } = withoutPerson(elements, person);
  if (kept.length === 0) {
    await store.deleteAllVersions(key);
    return 'deleted';
  }
  if (removed > 0) {
    await store.put(key, JSON.stringify(kept), { contentType: 'application/json' });
  }
  const older = await store.deleteAllVersions(key, { keepCurrent: true });
  return removed > 0 || older > 0 ? 'rewritten' : 'unchanged';
}

/** After a rewrite: the page no longer names these ids (or, deleted, is no longer indexed). */
export async function forgetInPage(
  tx: Tx,
  key: string,
  remoteIds: readonly string[],
  outcome: PageOutcome,
): Promise<void> {
  if (outcome === 'deleted' || outcome === 'missing') {
    await tx`delete from raw_payload_pages where object_key = ${key}`;
    return;
  }
  await tx`
    update raw_payload_pages
    set remote_ids = array(select x from unnest(remote_ids) x where x <> all(${remoteIds as string[]}::text[]))
    where object_key = ${key}`;
}

/**
 * The retention sweep (docs/privacy.md, "Retention"): per organization, deletes what is past its time, at most
 * `batchSize` items of each kind per run, and reports counts (never a key or a value). The bucket objects go first,
 * every version, then their rows: a crash in between leaves rows whose objects are already gone, and the next run
 * deletes them again (a missing object is not an error). It also re-queues erasures whose message was lost,
 * drops erased people from raw pages a later sync wrote, and deletes connect links a month after they expired.
 */
import type { Sql } from 'postgres';
import { type Tx, withSystem, withTenant } from '../db/tenant.js';
import { retentionCutoff } from '../domain/privacy.js';
import type { Clock } from '../ports/clock.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Queue } from '../ports/queue.js';
import { enqueueErasure } from './messages.js';
import { forgetInPage, rewritePage } from './raw-pages.js';

export interface SweepDependencies {
  sql: Sql;
  objectStore: ObjectStore;
  clock: Clock;
  privacyQueue: Queue | undefined;
  /** Items of each kind per organization and run. */
  batchSize?: number;
  /** An erasure not done this long after its request (and not leased) is queued again. */
  staleErasureMs?: number;
}

/** How long an expired connect link is kept, so support can still tell why a customer's link did not work. */
export const EXPIRED_CONNECT_LINK_DAYS = 30;

export interface SweepCounts {
  rawPages: number;
  webhookBodies: number;
  rejectedDocuments: number;
  notificationBodies: number;
  analyticsExports: number;
  erasuresRequeued: number;
  reappearedPages: number;
}

export interface SweepReport extends SweepCounts {
  organizations: number;
  /** Expired connect links deleted (all organizations). */
  connectLinks: number;
  /** A batch was full: more is past its time than this run deleted. */
  more: boolean;
}

interface OrgSettings {
  organization_id: string;
  raw_payload_days: number | null;
  rejected_document_days: number | null;
  notification_body_days: number | null;
  analytics_export_days: number | null;
}

const empty = (): SweepCounts => ({
  rawPages: 0,
  webhookBodies: 0,
  rejectedDocuments: 0,
  notificationBodies: 0,
  analyticsExports: 0,
  erasuresRequeued: 0,
  reappearedPages: 0,
});

export async function sweepRetention(deps: SweepDependencies): Promise<SweepReport> {
  const orgs = await withSystem(
    deps.sql,
    (tx) =>
      tx<OrgSettings[]>`
      select organization_id, raw_payload_days, rejected_document_days, notification_body_days,
        analytics_export_days
      from organization_privacy order by organization_id`,
  );
  const batch = deps.batchSize ?? 100;
  const total = empty();
  let more = false;
  for (const org of orgs) {
    const counts = await sweepOrganization(deps, org, batch);
    for (const key of Object.keys(total) as (keyof SweepCounts)[]) total[key] += counts[key];
    more ||= [counts.rawPages, counts.rejectedDocuments, counts.analyticsExports].some((n) => n >= batch);
  }
  const connectLinks = await deleteExpiredConnectLinks(deps, batch);
  more ||= connectLinks >= batch;
  return { organizations: orgs.length, ...total, connectLinks, more };
}

/** Connect links (and their OAuth states) a month past their expiry, every organization's, one batch. */
async function deleteExpiredConnectLinks(deps: SweepDependencies, batch: number): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - EXPIRED_CONNECT_LINK_DAYS * 86_400_000);
  const deleted = await withSystem(
    deps.sql,
    (tx) => tx`delete from connect_sessions where id in (
      select id from connect_sessions where expires_at < ${cutoff} order by expires_at limit ${batch})`,
  );
  return deleted.count;
}

async function sweepOrganization(
  deps: SweepDependencies,
  org: OrgSettings,
  limit: number,
): Promise<SweepCounts> {
  const now = deps.clock.now();
  const counts = empty();
  const tenant = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(deps.sql, org.organization_id, 'worker', fn);

  const rawCutoff = retentionCutoff(org.raw_payload_days, now);
  if (rawCutoff) {
    const pages = await tenant(
      (tx) =>
        tx<{ object_key: string }[]>`
        select object_key from raw_payload_pages where organization_id = app_org() and stored_at < ${rawCutoff}
        order by stored_at limit ${limit}`,
    );
    for (const page of pages) await deps.objectStore.deleteAllVersions(page.object_key);
    const keys = pages.map((p) => p.object_key);
    counts.rawPages = (
      await tenant((tx) => tx`delete from raw_payload_pages where object_key = any(${keys})`)
    ).count;
    // webhook bodies are raw provider payloads too; the delivery row stays (its id and hash dedupe redeliveries)
    counts.webhookBodies = (
      await tenant(
        (tx) => tx`update webhook_deliveries set payload = '' where id in (
          select id from webhook_deliveries where organization_id = app_org() and received_at < ${rawCutoff}
            and status <> 'received' and payload <> '' order by received_at limit ${limit})`,
      )
    ).count;
  }

  const documentCutoff = retentionCutoff(org.rejected_document_days, now);
  if (documentCutoff) {
    const documents = await tenant(
      (tx) =>
        tx<{ id: string; s3_key: string }[]>`
        select d.id, d.s3_key from candidate_documents d join applications a on a.id = d.application_id
        where d.organization_id = app_org() and a.status in ('rejected', 'withdrawn')
          and a.updated_at < ${documentCutoff}
        order by a.updated_at limit ${limit}`,
    );
    for (const d of documents) await deps.objectStore.deleteAllVersions(d.s3_key);
    const ids = documents.map((d) => d.id);
    counts.rejectedDocuments = (
      await tenant((tx) => tx`delete from candidate_documents where id = any(${ids}::uuid[])`)
    ).count;
  }

  const bodyCutoff = retentionCutoff(org.notification_body_days, now);
  if (bodyCutoff) {
    counts.notificationBodies = (
      await tenant(
        (tx) => tx`update notification_deliveries set body = '' where id in (
          select id from notification_deliveries where organization_id = app_org() and status <> 'pending'
            and created_at < ${bodyCutoff} and body <> '' order by created_at limit ${limit})`,
      )
    ).count;
  }

  const exportCutoff = retentionCutoff(org.analytics_export_days, now);
  if (exportCutoff) {
    const exports = await tenant(
      (tx) =>
        tx<{ id: string; keys: string[] }[]>`
        select id, array(select o ->> 'key' from jsonb_array_elements(objects) o) as keys
        from analytics_exports where organization_id = app_org() and created_at < ${exportCutoff}
        order by created_at limit ${limit}`,
    );
    for (const e of exports) for (const key of e.keys) await deps.objectStore.deleteAllVersions(key);
    const ids = exports.map((e) => e.id);
    counts.analyticsExports = (
      await tenant((tx) => tx`delete from analytics_exports where id = any(${ids}::uuid[])`)
    ).count;
  }

  counts.erasuresRequeued = await requeueStaleErasures(deps, org.organization_id, now);
  counts.reappearedPages = await dropReappeared(deps, org.organization_id, limit);
  return counts;
}

async function requeueStaleErasures(deps: SweepDependencies, organizationId: string, now: Date) {
  const before = new Date(now.getTime() - (deps.staleErasureMs ?? 15 * 60_000));
  const stale = await withTenant(
    deps.sql,
    organizationId,
    'worker',
    (tx) =>
      tx<{ id: string }[]>`
      select id from erasures where state <> 'done' and requested_at < ${before}
        and (lease_until is null or lease_until < ${now})
      order by requested_at limit 100`,
  );
  for (const e of stale) await enqueueErasure(deps.privacyQueue, { organizationId, erasureId: e.id });
  return stale.length;
}

/**
 * Raw pages stored after an erasure ended that name the erased person (a provider that did not anonymize them, read
 * again by a sync): rewritten without them, by their remote ids, the only thing the hub still knows of them.
 */
async function dropReappeared(deps: SweepDependencies, organizationId: string, limit: number) {
  const tenant = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(deps.sql, organizationId, 'worker', fn);
  const pages = await tenant(
    (tx) =>
      tx<{ object_key: string; remote_ids: string[] }[]>`
      select p.object_key, array_agg(distinct r.remote_id) as remote_ids
      from erasures e
      left join applications a on a.candidate_id = e.candidate_id
      join external_refs r on (r.object_type = 'candidate' and r.local_id = e.candidate_id)
        or (r.object_type = 'application' and r.local_id = a.id)
      join raw_payload_pages p on p.integration_id = r.integration_id and p.stored_at >= e.completed_at
        and p.remote_ids @> array[r.remote_id]
      where e.state = 'done'
      group by p.object_key order by p.object_key limit ${limit}`,
  );
  for (const page of pages) {
    const outcome = await rewritePage(deps.objectStore, page.object_key, {
      remoteIds: page.remote_ids,
      markers: [],
    });
    await tenant((tx) => forgetInPage(tx, page.object_key, page.remote_ids, outcome));
  }
  return pages.length;
}

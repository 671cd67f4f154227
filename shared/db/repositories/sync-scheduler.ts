import type { Tx } from '../tenant.js';
import { requestSync } from './integrations.js';

export interface DueIntegration {
  id: string;
  organization_id: string;
  full_due: boolean;
}

/**
 * Whether a full and an incremental sync of integration `i` are due at `now`. Manual runs count as well as the
 * scheduler's stamps: a full sync is due when the full interval has passed since the last full run that did
 * not fail (or stamp), or when there never was one and no cursors are stored; an incremental sync is due when
 * the sync interval has passed since the last run of any mode was requested or finished. So a sync due right
 * after a manual full sync is incremental, and a run that has just finished is not due.
 * In system scope the cursors are not visible (tenant rows): the answer is then a superset, which
 * `enqueueDueSync` narrows in the tenant's scope.
 */
function dueFlags(tx: Tx, now: Date) {
  return tx`
    with last as (
      select
        greatest(i.last_full_enqueued_at, (select coalesce(r.completed_at, r.created_at) from sync_runs r
          where r.organization_id = i.organization_id and r.integration_id = i.id and r.mode = 'full'
            and r.status in ('succeeded', 'partial') order by r.created_at desc limit 1)) as full_at,
        -- the newest runs, by sync_runs_integration_idx
        greatest(i.last_incremental_enqueued_at, i.last_full_enqueued_at, (select coalesce(r.completed_at, r.created_at)
          from sync_runs r where r.organization_id = i.organization_id and r.integration_id = i.id
          order by r.created_at desc limit 1)) as any_at,
        exists (select 1 from sync_cursors c where c.integration_id = i.id) as has_cursors
    )
    select
      case when last.full_at is null then not last.has_cursors
        else last.full_at <= ${now}::timestamptz - make_interval(secs => i.full_sync_interval_seconds) end as full_due,
      (last.any_at is null
        or last.any_at <= ${now}::timestamptz - make_interval(secs => i.sync_interval_seconds)) as incremental_due
    from last`;
}

/** System scope: enabled integrations with an incremental or full sync due and no run queued or running. */
export async function dueIntegrations(tx: Tx, now: Date, limit: number): Promise<DueIntegration[]> {
  return tx<DueIntegration[]>`
    select i.id, i.organization_id, due.full_due
    from integrations i cross join lateral (${dueFlags(tx, now)}) due
    where i.enabled and (due.full_due or due.incremental_due)
      and not exists (select 1 from sync_runs r where r.integration_id = i.id and r.status in ('queued', 'running'))
    order by least(i.last_incremental_enqueued_at, i.last_full_enqueued_at) nulls first, i.id
    limit ${limit}`;
}

/**
 * Tenant scope: re-checks under the integration's row lock (two ticks never enqueue twice), then creates the
 * run and its `sync.requested` outbox row (the path `POST /integrations/{id}/sync` takes) and stamps the
 * enqueue time. A full sync also counts as the incremental one.
 */
export async function enqueueDueSync(
  tx: Tx,
  input: { integrationId: string; now: Date },
): Promise<{ runId: string; mode: 'full' | 'incremental' } | undefined> {
  const [locked] = await tx<{ id: string }[]>`
    select id from integrations i
    where id = ${input.integrationId} and enabled
      and not exists (select 1 from sync_runs r where r.integration_id = i.id and r.status in ('queued', 'running'))
    for update`;
  if (!locked) return undefined;
  const [due] = await tx<{ full_due: boolean; incremental_due: boolean }[]>`
    select due.full_due, due.incremental_due
    from integrations i cross join lateral (${dueFlags(tx, input.now)}) due
    where i.id = ${input.integrationId}`;
  if (!due || (!due.full_due && !due.incremental_due)) return undefined;
  const mode = due.full_due ? 'full' : 'incremental';
  const runId = await requestSync(tx, { integrationId: input.integrationId, mode, requestedBy: 'schedule' });
  if (!runId) return undefined;
  await tx`
    update integrations set last_incremental_enqueued_at = ${input.now},
      last_full_enqueued_at = case when ${mode} = 'full' then ${input.now}::timestamptz else last_full_enqueued_at end
    where id = ${input.integrationId}`;
  return { runId, mode };
}

export interface StaleDelivery {
  id: string;
  organization_id: string;
  integration_id: string;
}

/** System scope: deliveries still `received` after `olderThanMs`, re-sent with a doubling pause, 10 times at most. */
export async function staleDeliveries(
  tx: Tx,
  now: Date,
  olderThanMs: number,
  limit: number,
): Promise<StaleDelivery[]> {
  return tx<StaleDelivery[]>`
    select id::text, organization_id, integration_id from webhook_deliveries
    where status = 'received' and enqueue_count < 10
      and received_at < ${now}::timestamptz - make_interval(secs => ${olderThanMs / 1000}::float8)
      and received_at > ${now}::timestamptz - interval '3 days'
      and coalesce(last_enqueued_at, received_at)
        <= ${now}::timestamptz - make_interval(secs => ${olderThanMs / 1000}::float8 * power(2, least(enqueue_count, 6)))
    order by received_at
    limit ${limit}`;
}

export async function markDeliveriesEnqueued(tx: Tx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx`update webhook_deliveries set enqueue_count = enqueue_count + 1, last_enqueued_at = ${now}
    where id = any(${ids as string[]}::bigint[])`;
}

export interface StaleRun {
  id: string;
  organization_id: string;
  integration_id: string;
  mode: 'full' | 'incremental';
  created_at: Date;
}

/** System scope: runs nobody drives (lease long expired, or queued and never started). */
export async function staleRuns(tx: Tx, now: Date, graceMs: number, limit: number): Promise<StaleRun[]> {
  return tx<StaleRun[]>`
    select id, organization_id, integration_id, mode, created_at from sync_runs
    where status in ('queued', 'running')
      and coalesce(lease_until, started_at, created_at) < ${now}::timestamptz - make_interval(secs => ${graceMs / 1000}::float8)
    order by created_at
    limit ${limit}`;
}

/** Tenant scope: takes over a stale run's lease for a fresh piece; false when it moved meanwhile. */
export async function reviveRun(
  tx: Tx,
  input: { runId: string; token: string; now: Date; graceMs: number; leaseMs: number },
): Promise<boolean> {
  const rows = await tx`
    update sync_runs set lease_token = ${input.token},
      lease_until = ${new Date(input.now.getTime() + input.leaseMs)}
    where id = ${input.runId} and status in ('queued', 'running')
      and coalesce(lease_until, started_at, created_at)
        < ${input.now}::timestamptz - make_interval(secs => ${input.graceMs / 1000}::float8)`;
  return rows.count === 1;
}

import type { ProviderName } from '../../providers/registry.js';
import type { Tx } from '../tenant.js';
import type { IntegrationCore } from './integrations.js';
import type { BreakerColumns } from './sync-breaker.js';

export interface SyncRunRow {
  id: string;
  organization_id: string;
  integration_id: string;
  mode: 'full' | 'incremental';
  status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';
  started_at: Date | null;
  created_at: Date;
}

export interface SyncIntegrationRow extends IntegrationCore, BreakerColumns {}

export type LeaseOutcome =
  | { kind: 'acquired'; run: SyncRunRow; integration: SyncIntegrationRow }
  /** The run is over (or does not exist): nothing to do. */
  | { kind: 'finished' }
  /** Another run of the same integration holds a live lease. */
  | { kind: 'busy'; run: SyncRunRow }
  /** This run is being driven by another piece (its lease is live and was not handed to us). */
  | { kind: 'owned' };

/**
 * Takes the run's lease: the integration row is locked first so two runs of one integration never both
 * start; a lease is granted when none is live, or when the caller presents the token a previous piece
 * handed over (continuation message).
 */
export async function acquireRunLease(
  tx: Tx,
  input: {
    runId: string;
    integrationId: string;
    presentedToken: string | null;
    newToken: string;
    now: Date;
    leaseMs: number;
  },
): Promise<LeaseOutcome> {
  const [integration] = await tx<SyncIntegrationRow[]>`
    select id, organization_id, provider, enabled, settings, secret_ref, breaker_state, breaker_failures, breaker_open_until
    from integrations where id = ${input.integrationId} for update`;
  const [run] = await tx<
    (SyncRunRow & { lease_token: string | null; lease_until: Date | null; other_active: boolean })[]
  >`
    select r.id, r.organization_id, r.integration_id, r.mode, r.status, r.started_at, r.created_at, r.lease_token,
      r.lease_until,
      exists (select 1 from sync_runs o where o.integration_id = r.integration_id and o.id <> r.id
        and o.status = 'running' and o.lease_until > ${input.now}) as other_active
    from sync_runs r where r.id = ${input.runId} and r.integration_id = ${input.integrationId}`;
  if (!integration || !run || (run.status !== 'queued' && run.status !== 'running'))
    return { kind: 'finished' };
  const live =
    run.lease_token !== null && run.lease_until !== null && run.lease_until.getTime() > input.now.getTime();
  if (live && run.lease_token !== input.presentedToken) return { kind: 'owned' };
  if (run.other_active) return { kind: 'busy', run };
  const until = new Date(input.now.getTime() + input.leaseMs);
  const [started] = await tx<SyncRunRow[]>`
    update sync_runs set status = 'running', started_at = coalesce(started_at, ${input.now}),
      lease_token = ${input.newToken}, lease_until = ${until}
    where id = ${input.runId}
    returning id, organization_id, integration_id, mode, status, started_at, created_at`;
  return { kind: 'acquired', run: started!, integration };
}

/** Hands the lease to the next piece (or parks a queued run): only the current holder may. */
export async function handOverLease(
  tx: Tx,
  input: { runId: string; currentToken: string | null; nextToken: string; until: Date },
): Promise<boolean> {
  const rows = await tx`
    update sync_runs set lease_token = ${input.nextToken}, lease_until = ${input.until}
    where id = ${input.runId} and status in ('queued', 'running')
      and lease_token is not distinct from ${input.currentToken}`;
  return rows.count === 1;
}

/** Gives the lease up at once (an error in this piece): a redelivery may take over without waiting. */
export async function releaseLease(
  tx: Tx,
  input: { runId: string; token: string; now: Date },
): Promise<void> {
  await tx`update sync_runs set lease_token = null, lease_until = ${input.now}
    where id = ${input.runId} and lease_token = ${input.token}`;
}

/** Locks the run row for this page's transaction; false when the lease was lost (another piece took over). */
export async function holdsLease(tx: Tx, runId: string, token: string): Promise<boolean> {
  const rows = await leaseRow(tx, runId, token);
  return rows.length === 1;
}

/** holdsLease's query (locks the run row while the lease is this token's), also inside the page's opening statement. */
export function leaseRow(tx: Tx, runId: string, token: string) {
  return tx`select 1 from sync_runs where id = ${runId} and lease_token = ${token} for update`;
}

export interface RunProgress {
  processed: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  pages: number;
  rateLimitWaits: number;
  rateLimitWaitMs: number;
}

export async function addRunProgress(
  tx: Tx,
  runId: string,
  progress: RunProgress,
  leaseUntil: Date,
): Promise<void> {
  await progressUpdate(tx, runId, progress, leaseUntil);
}

/** addRunProgress's UPDATE, also sent as the page's closing statement. */
export function progressUpdate(tx: Tx, runId: string, progress: RunProgress, leaseUntil: Date) {
  return tx`
    update sync_runs set
      records_processed = records_processed + ${progress.processed},
      records_created = records_created + ${progress.created},
      records_updated = records_updated + ${progress.updated},
      records_deleted = records_deleted + ${progress.deleted},
      records_failed = records_failed + ${progress.failed},
      pages_fetched = pages_fetched + ${progress.pages},
      rate_limit_waits = rate_limit_waits + ${progress.rateLimitWaits},
      rate_limit_wait_ms = rate_limit_wait_ms + ${progress.rateLimitWaitMs},
      lease_until = greatest(lease_until, ${leaseUntil})
    where id = ${runId}`;
}

const ISO = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/**
 * Ends a run as succeeded (or partial when records failed) with `sync.completed`, plus `import.errors`
 * carrying up to 20 failed remote ids and reasons, all in one statement.
 */
export async function completeRun(
  tx: Tx,
  input: { runId: string; token: string; provider: ProviderName; now: Date },
): Promise<{ status: 'succeeded' | 'partial' } | undefined> {
  const [row] = await tx<{ status: 'succeeded' | 'partial' }[]>`
    with done as (
      update sync_runs set status = case when records_failed > 0 then 'partial' else 'succeeded' end,
        completed_at = ${input.now}, lease_token = null, lease_until = null, error = null
      where id = ${input.runId} and lease_token = ${input.token} and status = 'running'
      returning *
    ), samples as (
      select coalesce(jsonb_agg(jsonb_build_object('objectType', s.object_type, 'remoteId', s.remote_id,
        'message', left(coalesce(s.message, 'failed'), 200))), '[]'::jsonb) as items
      from (select l.object_type, l.remote_id, l.message from import_log l join done d on l.sync_run_id = d.id
        where l.action = 'failed' order by l.id limit 20) s
    ), events as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select d.organization_id, 'integration', d.integration_id, 'sync.completed',
        jsonb_build_object('syncRunId', d.id, 'integrationId', d.integration_id, 'provider', ${input.provider}::text,
          'mode', d.mode, 'status', d.status, 'recordsProcessed', d.records_processed,
          'recordsCreated', d.records_created, 'recordsUpdated', d.records_updated,
          'recordsDeleted', d.records_deleted, 'recordsFailed', d.records_failed,
          'startedAt', to_char(coalesce(d.started_at, d.created_at) at time zone 'UTC', ${ISO}),
          'completedAt', to_char(d.completed_at at time zone 'UTC', ${ISO}))
      from done d
      union all
      select d.organization_id, 'integration', d.integration_id, 'import.errors',
        jsonb_build_object('syncRunId', d.id, 'integrationId', d.integration_id, 'provider', ${input.provider}::text,
          'recordsFailed', d.records_failed, 'samples', s.items)
      from done d, samples s where d.records_failed > 0
    )
    select status from done`;
  return row;
}

/** Ends a run as failed with `sync.failed`; `token` null ends it whoever holds the lease (watchdog). */
export async function failRun(
  tx: Tx,
  input: { runId: string; token: string | null; provider: ProviderName; now: Date; error: string },
): Promise<boolean> {
  const rows = await tx`
    with done as (
      update sync_runs set status = 'failed', completed_at = ${input.now}, error = ${input.error.slice(0, 500)},
        lease_token = null, lease_until = null
      where id = ${input.runId} and status in ('queued', 'running')
        and (${input.token}::text is null or lease_token = ${input.token})
      returning *
    )
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
    select d.organization_id, 'integration', d.integration_id, 'sync.failed',
      jsonb_build_object('syncRunId', d.id, 'integrationId', d.integration_id, 'provider', ${input.provider}::text,
        'mode', d.mode, 'status', 'failed', 'error', d.error, 'recordsProcessed', d.records_processed,
        'recordsCreated', d.records_created, 'recordsUpdated', d.records_updated,
        'recordsDeleted', d.records_deleted, 'recordsFailed', d.records_failed,
        'startedAt', to_char(coalesce(d.started_at, d.created_at) at time zone 'UTC', ${ISO}),
        'completedAt', to_char(d.completed_at at time zone 'UTC', ${ISO}))
    from done d
    returning id`;
  return rows.length === 1;
}

export interface RunSummary {
  id: string;
  mode: 'full' | 'incremental';
  status: SyncRunRow['status'];
  records_processed: number;
  records_created: number;
  records_updated: number;
  records_deleted: number;
  records_failed: number;
  pages_fetched: number;
  rate_limit_waits: number;
  rate_limit_wait_ms: string;
  error: string | null;
  started_at: Date | null;
  completed_at: Date | null;
}

export async function readRun(tx: Tx, runId: string): Promise<RunSummary | undefined> {
  const [row] = await tx<RunSummary[]>`
    select id, mode, status, records_processed, records_created, records_updated, records_deleted, records_failed,
      pages_fetched, rate_limit_waits, rate_limit_wait_ms::text, error, started_at, completed_at
    from sync_runs where id = ${runId}`;
  return row;
}

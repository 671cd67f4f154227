import type { ProviderName } from '../../providers/registry.js';
import type { Tx } from '../tenant.js';

/** The columns of an integration every reader needs: who it is, whether it runs, how it connects. */
export interface IntegrationCore {
  id: string;
  organization_id: string;
  provider: ProviderName;
  enabled: boolean;
  settings: Record<string, unknown>;
  secret_ref: string;
}

export interface IntegrationRow extends IntegrationCore {
  health: 'healthy' | 'degraded' | 'unhealthy';
  health_detail: Record<string, unknown>;
  sync_interval_seconds: number;
  full_sync_interval_seconds: number;
  created_at: Date;
}

export async function insertIntegration(
  tx: Tx,
  input: {
    id: string;
    organizationId: string;
    provider: ProviderName;
    settings: Record<string, unknown>;
    secretRef: string;
    syncIntervalSeconds?: number;
    fullSyncIntervalSeconds?: number;
  },
): Promise<IntegrationRow> {
  const [row] = await tx<IntegrationRow[]>`
    insert into integrations (id, organization_id, provider, settings, secret_ref, sync_interval_seconds,
      full_sync_interval_seconds)
    values (${input.id}, ${input.organizationId}, ${input.provider}, ${tx.json(input.settings as never)},
      ${input.secretRef}, ${input.syncIntervalSeconds ?? 900}, ${input.fullSyncIntervalSeconds ?? 604_800})
    returning *`;
  return row!;
}

export interface IntegrationStatusRow extends IntegrationRow {
  cursors: { object_type: string; cursor: Record<string, unknown>; updated_at: string }[];
  last_runs: {
    id: string;
    mode: 'full' | 'incremental';
    status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';
    records_processed: number;
    records_created: number;
    records_updated: number;
    records_deleted: number;
    records_failed: number;
    started_at: string | null;
    completed_at: string | null;
    error: string | null;
  }[];
}

/** Integrations with their cursors and last five runs, in one statement. */
export async function listIntegrationStatus(tx: Tx, id?: string): Promise<IntegrationStatusRow[]> {
  return tx<IntegrationStatusRow[]>`
    select i.*,
      coalesce((select json_agg(json_build_object('object_type', c.object_type, 'cursor', c.cursor,
        'updated_at', c.updated_at) order by c.object_type) from sync_cursors c where c.integration_id = i.id), '[]') as cursors,
      coalesce((select json_agg(r order by r.created_at desc) from (
        select id, mode, status, records_processed, records_created, records_updated, records_deleted, records_failed,
          started_at, completed_at, error, created_at
        from sync_runs where integration_id = i.id order by created_at desc limit 5) r), '[]') as last_runs
    from integrations i
    where i.organization_id = app_org() and (${id ?? null}::uuid is null or i.id = ${id ?? null})
    order by i.created_at`;
}

export async function listRuns(tx: Tx, integrationId: string, limit = 50) {
  return tx<IntegrationStatusRow['last_runs']>`
    select id, mode, status, records_processed, records_created, records_updated, records_deleted, records_failed,
      started_at, completed_at, error
    from sync_runs where integration_id = ${integrationId} order by created_at desc limit ${limit}`;
}

/** A sync run and the outbox event that asks the worker for it, in one statement. */
export async function requestSync(
  tx: Tx,
  input: { integrationId: string; mode: 'full' | 'incremental'; requestedBy: string },
): Promise<string | undefined> {
  const [row] = await tx<{ id: string }[]>`
    with integration as (
      select id, organization_id from integrations where id = ${input.integrationId} and organization_id = app_org()
    ), run as (
      insert into sync_runs (organization_id, integration_id, mode, requested_by)
      select organization_id, id, ${input.mode}, ${input.requestedBy} from integration
      returning id, organization_id, integration_id, mode
    ), event as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select run.organization_id, 'integration', run.integration_id, 'sync.requested',
        jsonb_build_object('syncRunId', run.id, 'integrationId', run.integration_id, 'mode', run.mode)
      from run
    )
    select id from run`;
  return row?.id;
}

/** Webhook intake: the one integration named in the URL, before its tenant is known (policy webhook_route). */
export async function findIntegrationRoute(
  tx: Tx,
  integrationId: string,
): Promise<{ organization_id: string; provider: ProviderName; enabled: boolean } | undefined> {
  const [row] = await tx<{ organization_id: string; provider: ProviderName; enabled: boolean }[]>`
    select organization_id, provider, enabled from integrations where id = ${integrationId}`;
  return row;
}

/** The integration row locked for a settings change (read-modify-write in one transaction). */
export async function lockIntegration(tx: Tx, id: string): Promise<IntegrationRow | undefined> {
  const [row] = await tx<IntegrationRow[]>`
    select * from integrations where id = ${id} and organization_id = app_org() for update`;
  return row;
}

/** Stores new settings; the sync intervals are columns the scheduler reads, kept out of `settings`. */
export async function updateIntegrationSettings(
  tx: Tx,
  input: {
    id: string;
    settings: Record<string, unknown>;
    syncIntervalSeconds?: number | undefined;
    fullSyncIntervalSeconds?: number | undefined;
  },
): Promise<void> {
  await tx`
    update integrations set settings = ${tx.json(input.settings as never)},
      sync_interval_seconds = coalesce(${input.syncIntervalSeconds ?? null}::int, sync_interval_seconds),
      full_sync_interval_seconds = coalesce(${input.fullSyncIntervalSeconds ?? null}::int, full_sync_interval_seconds),
      updated_at = now()
    where id = ${input.id} and organization_id = app_org()`;
}

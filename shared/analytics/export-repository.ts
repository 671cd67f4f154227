/**
 * SQL of the analytics export besides the funnel itself: which organizations to export, their enabled
 * integrations, and the export record written together with its outbox event.
 */
import type { Sql } from 'postgres';
import { type Tx, withSystem } from '../db/tenant.js';
import type { ProviderName } from '../providers/registry.js';

export interface ExportOrganization {
  id: string;
  name: string;
}

/** Cross-tenant (role `system`): every organization, or just one. */
export function listOrganizations(sql: Sql, onlyId?: string): Promise<ExportOrganization[]> {
  return withSystem(
    sql,
    (tx) => tx<ExportOrganization[]>`
      select id, name from organizations
      ${onlyId === undefined ? tx`` : tx`where id = ${onlyId}::uuid`}
      order by id`,
  );
}

export interface ExportIntegration {
  id: string;
  provider: ProviderName;
  settings: Record<string, unknown>;
  secretRef: string;
}

export function loadEnabledIntegrations(tx: Tx, organizationId: string): Promise<ExportIntegration[]> {
  return tx<ExportIntegration[]>`
    select id, provider, settings, secret_ref as "secretRef"
    from integrations
    where organization_id = ${organizationId}::uuid and enabled
    order by created_at, id`;
}

export type ExportStatus = 'succeeded' | 'partial' | 'failed';

export interface ExportObject {
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

export interface PushResult {
  integrationId: string;
  provider: ProviderName;
  status: 'succeeded' | 'failed';
  /** Failure kind: a ProviderError kind (a timeout is `transient`), `refused`, `unsupported`, `credentials_missing`, `error`. */
  reason?: string;
  message?: string;
  attemptedAt: string;
}

export interface ExportRecord {
  organizationId: string;
  periodFrom: string;
  periodTo: string;
  status: ExportStatus;
  prefix: string;
  objects: ExportObject[];
  pushResults: PushResult[];
  error: string | null;
}

export const EXPORTED_EVENT = 'analytics.exported';
export const EXPORT_FAILED_EVENT = 'analytics.export_failed';

/** The outbox payload: ids, period, keys and a push summary; never personal data. */
export function exportEventPayload(record: ExportRecord) {
  return {
    organizationId: record.organizationId,
    periodFrom: record.periodFrom,
    periodTo: record.periodTo,
    status: record.status,
    prefix: record.prefix,
    objects: record.objects.map((o) => o.key),
    pushes: {
      attempted: record.pushResults.length,
      succeeded: record.pushResults.filter((p) => p.status === 'succeeded').length,
      failed: record.pushResults.filter((p) => p.status === 'failed').length,
      results: record.pushResults.map((p) => ({
        integrationId: p.integrationId,
        provider: p.provider,
        status: p.status,
        ...(p.reason ? { reason: p.reason } : {}),
      })),
    },
    error: record.error,
  };
}

/**
 * Upserts the one row per organization × period and appends its outbox event, in one statement (so in
 * one transaction: both or neither). A re-run updates the same row; every run appends its own event.
 */
export async function recordExport(
  tx: Tx,
  record: ExportRecord,
): Promise<{ exportId: string; outboxId: string }> {
  const eventType = record.status === 'failed' ? EXPORT_FAILED_EVENT : EXPORTED_EVENT;
  const [row] = await tx<{ exportId: string; outboxId: string }[]>`
    with saved as (
      insert into analytics_exports as e
        (organization_id, period_from, period_to, status, s3_prefix, objects, push_results, error)
      values (${record.organizationId}::uuid, ${record.periodFrom}::date, ${record.periodTo}::date, ${record.status},
        ${record.prefix}, ${tx.json(record.objects as never)}::jsonb, ${tx.json(record.pushResults as never)}::jsonb,
        ${record.error})
      on conflict (organization_id, period_from, period_to) do update
        set status = excluded.status, s3_prefix = excluded.s3_prefix, objects = excluded.objects,
            push_results = excluded.push_results, error = excluded.error, updated_at = now()
      returning e.id
    ),
    event as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select ${record.organizationId}::uuid, 'organization', ${record.organizationId}::uuid, ${eventType},
        ${tx.json(exportEventPayload(record) as never)}::jsonb || jsonb_build_object('exportId', saved.id)
      from saved
      returning id
    )
    select saved.id as "exportId", (select id::text from event) as "outboxId" from saved`;
  if (!row) throw new Error('export record was not written');
  return row;
}

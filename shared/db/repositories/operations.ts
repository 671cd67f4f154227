/**
 * Reads of the hub's own operations for the operator console: sync runs, import log, received webhooks, the
 * push log and notification deliveries. Each list is newest first by a keyset (`after` is the last row's key);
 * callers ask for `limit + 1` rows to learn whether a next page exists.
 */
import type { ProviderName } from '../../providers/registry.js';
import type { Tx } from '../tenant.js';
import type { RunSummary } from './sync-runs.js';

/**
 * created_at as text with microseconds: a keyset on a JS Date would lose them and skip or repeat rows. The key goes
 * back as a text parameter cast in SQL: postgres.js serializes a parameter the server types as timestamptz through
 * a JS Date, which cuts it to milliseconds.
 */
const CREATED_KEY = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface TimeKey {
  createdKey: string;
  key: string;
}

/** A run as the console lists it: the run summary sync-runs already reads, plus its integration and key. */
export interface RunRow extends RunSummary {
  integration_id: string;
  provider: ProviderName;
  requested_by: string;
  created_at: Date;
  created_key: string;
}

const runColumns = (tx: Tx) => tx`
  r.id, r.integration_id, i.provider, r.mode, r.status, r.requested_by, r.records_processed, r.records_created,
  r.records_updated, r.records_deleted, r.records_failed, r.pages_fetched, r.rate_limit_waits,
  r.rate_limit_wait_ms::text, r.error, r.created_at, r.started_at, r.completed_at,
  ${tx.unsafe(CREATED_KEY.replace('created_at', 'r.created_at'))} as created_key`;

export async function listRunRows(
  tx: Tx,
  filter: { integrationId?: string | undefined; status?: string | undefined },
  page: { limit: number; after?: TimeKey | undefined },
): Promise<RunRow[]> {
  return tx<RunRow[]>`
    select ${runColumns(tx)}
    from sync_runs r join integrations i on i.id = r.integration_id
    where true
      ${filter.integrationId ? tx`and r.integration_id = ${filter.integrationId}` : tx``}
      ${filter.status ? tx`and r.status = ${filter.status}` : tx``}
      ${page.after ? tx`and (r.created_at, r.id) < (${page.after.createdKey}::text::timestamptz, ${page.after.key}::uuid)` : tx``}
    order by r.created_at desc, r.id desc
    limit ${page.limit}`;
}

export async function findRunRow(tx: Tx, id: string): Promise<RunRow | undefined> {
  const [row] = await tx<RunRow[]>`
    select ${runColumns(tx)} from sync_runs r join integrations i on i.id = r.integration_id where r.id = ${id}`;
  return row;
}

export interface ImportRow {
  id: string;
  object_type: string;
  remote_id: string | null;
  action: 'created' | 'updated' | 'deleted' | 'skipped' | 'failed';
  message: string | null;
  created_at: Date;
}

export async function listImportRows(
  tx: Tx,
  runId: string,
  page: { limit: number; afterId?: string | undefined },
): Promise<ImportRow[]> {
  return tx<ImportRow[]>`
    select id::text, object_type, remote_id, action, message, created_at from import_log
    where sync_run_id = ${runId} ${page.afterId ? tx`and id < ${page.afterId}::bigint` : tx``}
    order by id desc limit ${page.limit}`;
}

export interface WebhookRow {
  id: string;
  integration_id: string;
  provider: ProviderName;
  delivery_id: string;
  event_type: string | null;
  status: 'received' | 'applied' | 'ignored' | 'failed';
  payload: string;
  received_at: Date;
  applied_at: Date | null;
}

export async function listWebhookRows(
  tx: Tx,
  filter: { integrationId?: string | undefined; status?: string | undefined },
  page: { limit: number; afterId?: string | undefined },
): Promise<WebhookRow[]> {
  return tx<WebhookRow[]>`
    select d.id::text, d.integration_id, i.provider, d.delivery_id, d.event_type, d.status, d.payload,
      d.received_at, d.applied_at
    from webhook_deliveries d join integrations i on i.id = d.integration_id
    where true
      ${filter.integrationId ? tx`and d.integration_id = ${filter.integrationId}` : tx``}
      ${filter.status ? tx`and d.status = ${filter.status}` : tx``}
      ${page.afterId ? tx`and d.id < ${page.afterId}::bigint` : tx``}
    order by d.id desc limit ${page.limit}`;
}

export interface PushRow {
  kind: 'status' | 'submission' | 'note' | 'tags';
  row_id: string;
  integration_id: string;
  application_id: string | null;
  candidate_id: string | null;
  status: 'pending' | 'succeeded' | 'refused' | 'failed' | 'skipped';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  created_key: string;
  sort_key: string;
}

/** The three push inboxes as one log: stage and status pushes, submissions, and notes and tags. */
export async function listPushRows(
  tx: Tx,
  filter: { integrationId?: string | undefined; status?: string | undefined },
  page: { limit: number; after?: TimeKey | undefined },
): Promise<PushRow[]> {
  return tx<PushRow[]>`
    select *, ${tx.unsafe(CREATED_KEY)} as created_key, kind || ':' || row_id as sort_key from (
      select 'status' as kind, id::text as row_id, integration_id, application_id, null::uuid as candidate_id,
        status, attempts, last_error, created_at, updated_at
      from status_push_log
      union all
      select 'submission', application_id::text, integration_id, application_id, null::uuid,
        case state when 'pushed' then 'succeeded' else state end, attempts,
        coalesce(last_error_message, last_error_code), created_at, updated_at
      from submission_pushes
      union all
      select kind, id::text, integration_id, null::uuid, candidate_id, status, attempts, last_error, created_at,
        updated_at
      from record_pushes
    ) u
    where true
      ${filter.integrationId ? tx`and integration_id = ${filter.integrationId}` : tx``}
      ${filter.status ? tx`and status = ${filter.status}` : tx``}
      ${page.after ? tx`and (created_at, kind || ':' || row_id) < (${page.after.createdKey}::text::timestamptz, ${page.after.key})` : tx``}
    order by created_at desc, kind || ':' || row_id desc
    limit ${page.limit}`;
}

export interface NotificationRow {
  id: string;
  subscription_id: string;
  subscription_kind: 'webhook' | 'slack' | 'teams';
  message_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  created_key: string;
}

export async function listNotificationRows(
  tx: Tx,
  filter: { status?: string | undefined },
  page: { limit: number; after?: TimeKey | undefined },
): Promise<NotificationRow[]> {
  return tx<NotificationRow[]>`
    select d.id, d.subscription_id, s.kind as subscription_kind, d.message_id, d.event_type, d.status, d.attempts,
      d.last_status_code, d.last_error, d.last_attempt_at, d.next_attempt_at, d.delivered_at, d.created_at,
      ${tx.unsafe(CREATED_KEY.replace('created_at', 'd.created_at'))} as created_key
    from notification_deliveries d join subscriptions s on s.id = d.subscription_id
    where true
      ${filter.status ? tx`and d.status = ${filter.status}` : tx``}
      ${page.after ? tx`and (d.created_at, d.id) < (${page.after.createdKey}::text::timestamptz, ${page.after.key}::uuid)` : tx``}
    order by d.created_at desc, d.id desc
    limit ${page.limit}`;
}

/**
 * The operations reads of the operator console (docs/api.md, "Operations"): admin only, every list newest first
 * and cursor-paginated with the keyset cursors of shared/api/cursor.ts.
 */
import type { Sql } from 'postgres';
import type {
  ImportLogQuery,
  NotificationDeliveriesQuery,
  OrganizationDeliveryView,
  PushLogQuery,
  PushLogView,
  SyncRunProgress,
  SyncRunsQuery,
  WebhookDeliveriesQuery,
  WebhookDeliveryView,
} from '../../shared/api/console.js';
import { decodeCursor, pageOf } from '../../shared/api/cursor.js';
import { iso, isoOrNull } from '../../shared/api/views.js';
import {
  findRunRow,
  listImportRows,
  listNotificationRows,
  listPushRows,
  listRunRows,
  listWebhookRows,
  type NotificationRow,
  type PushRow,
  type RunRow,
  type TimeKey,
  type WebhookRow,
} from '../../shared/db/repositories/operations.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import type { ProviderModule } from '../../shared/ports/provider.js';
import type { ProviderName } from '../../shared/providers/registry.js';
import { describeDelivery } from './changes.js';

export interface OperationsDependencies {
  sql: Sql;
  /** Parsers of the providers' webhook bodies: a delivery's changes are read from its stored body. */
  providers: Partial<Record<ProviderName, Pick<ProviderModule, 'webhookVerifier'>>>;
}

const read = <T>(
  deps: OperationsDependencies,
  principal: Principal,
  fn: Parameters<typeof withTenant<T>>[3],
) => withTenant(deps.sql, principal.organizationId, principal.role, fn);

const timeKey = (cursor: string | undefined, key: 'uuid' | 'text'): TimeKey | undefined => {
  if (!cursor) return undefined;
  const [createdKey, k] = decodeCursor(cursor, ['time', key]);
  return { createdKey: createdKey!, key: k! };
};

/** Keyset on a bigint identity: the cursor holds the last id's digits. */
const idKey = (cursor: string | undefined): string | undefined => {
  if (!cursor) return undefined;
  const [id] = decodeCursor(cursor, ['text']);
  if (!/^\d{1,19}$/.test(id!)) {
    throw new DomainError('VALIDATION_FAILED', 'invalid cursor', {
      issues: [{ path: 'query.cursor', message: 'not a cursor returned by this route' }],
    });
  }
  return id;
};

function runView(r: RunRow): SyncRunProgress {
  return {
    id: r.id,
    integrationId: r.integration_id,
    provider: r.provider,
    mode: r.mode,
    status: r.status,
    requestedBy: r.requested_by,
    recordsProcessed: r.records_processed,
    recordsCreated: r.records_created,
    recordsUpdated: r.records_updated,
    recordsDeleted: r.records_deleted,
    recordsFailed: r.records_failed,
    pagesFetched: r.pages_fetched,
    rateLimitWaits: r.rate_limit_waits,
    rateLimitWaitMs: Number(r.rate_limit_wait_ms),
    error: r.error,
    createdAt: iso(r.created_at),
    startedAt: isoOrNull(r.started_at),
    completedAt: isoOrNull(r.completed_at),
  };
}

export async function getRuns(deps: OperationsDependencies, principal: Principal, query: SyncRunsQuery) {
  const after = timeKey(query.cursor, 'uuid');
  const rows = await read(deps, principal, (tx) => listRunRows(tx, query, { limit: query.limit + 1, after }));
  return pageOf(rows, query.limit, runView, (r) => [r.created_key, r.id]);
}

export async function getRun(deps: OperationsDependencies, principal: Principal, id: string) {
  const row = await read(deps, principal, (tx) => findRunRow(tx, id));
  if (!row) throw notFound('sync run');
  return runView(row);
}

export async function getRunImports(
  deps: OperationsDependencies,
  principal: Principal,
  id: string,
  query: ImportLogQuery,
) {
  const afterId = idKey(query.cursor);
  const rows = await read(deps, principal, async (tx) => {
    if (!(await findRunRow(tx, id))) throw notFound('sync run');
    return listImportRows(tx, id, { limit: query.limit + 1, afterId });
  });
  return pageOf(
    rows,
    query.limit,
    (r) => ({
      id: r.id,
      objectType: r.object_type,
      remoteId: r.remote_id,
      action: r.action,
      message: r.message,
      createdAt: iso(r.created_at),
    }),
    (r) => [r.id],
  );
}

export async function getWebhookDeliveries(
  deps: OperationsDependencies,
  principal: Principal,
  query: WebhookDeliveriesQuery,
) {
  const afterId = idKey(query.cursor);
  const rows = await read(deps, principal, (tx) =>
    listWebhookRows(tx, query, { limit: query.limit + 1, afterId }),
  );
  const view = (r: WebhookRow): WebhookDeliveryView => {
    const verifier = deps.providers[r.provider]?.webhookVerifier;
    return {
      id: r.id,
      integrationId: r.integration_id,
      provider: r.provider,
      deliveryId: r.delivery_id,
      eventType: r.event_type,
      verification: 'verified',
      status: r.status,
      changes: describeDelivery(verifier && ((body) => verifier.parse(body)), r.payload),
      receivedAt: iso(r.received_at),
      appliedAt: isoOrNull(r.applied_at),
    };
  };
  return pageOf(rows, query.limit, view, (r) => [r.id]);
}

function pushView(r: PushRow): PushLogView {
  return {
    id: r.sort_key,
    kind: r.kind,
    integrationId: r.integration_id,
    applicationId: r.application_id,
    candidateId: r.candidate_id,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    // POST /push-log/{id}/retry takes a failed push of any kind, and a submission still pending (docs/api.md)
    retryable: r.status === 'failed' || (r.kind === 'submission' && r.status === 'pending'),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export async function getPushLog(deps: OperationsDependencies, principal: Principal, query: PushLogQuery) {
  const after = timeKey(query.cursor, 'text');
  const rows = await read(deps, principal, (tx) =>
    listPushRows(tx, query, { limit: query.limit + 1, after }),
  );
  return pageOf(rows, query.limit, pushView, (r) => [r.created_key, r.sort_key]);
}

function notificationView(r: NotificationRow): OrganizationDeliveryView {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    subscriptionKind: r.subscription_kind,
    messageId: r.message_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastAttemptAt: isoOrNull(r.last_attempt_at),
    nextAttemptAt: isoOrNull(r.next_attempt_at),
    deliveredAt: isoOrNull(r.delivered_at),
    createdAt: iso(r.created_at),
  };
}

export async function getNotificationDeliveries(
  deps: OperationsDependencies,
  principal: Principal,
  query: NotificationDeliveriesQuery,
) {
  const after = timeKey(query.cursor, 'uuid');
  const rows = await read(deps, principal, (tx) =>
    listNotificationRows(tx, query, { limit: query.limit + 1, after }),
  );
  return pageOf(rows, query.limit, notificationView, (r) => [r.created_key, r.id]);
}

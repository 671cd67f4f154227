import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { CreateSubscriptionBody, DeliveriesQuery } from '../../shared/api/subscriptions.js';
import { iso, isoOrNull } from '../../shared/api/views.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import type { NotificationConfig } from '../../shared/notifications/config.js';
import { urlProblem } from '../../shared/notifications/http-client.js';
import {
  type DeliveryRow,
  deleteSubscription,
  findDelivery,
  findSubscription,
  insertSubscription,
  listDeliveries,
  listSubscriptions,
  requestRedelivery,
  type SubscriptionRow,
} from '../../shared/notifications/repository.js';
import { subscriptionSecretName } from '../../shared/notifications/secrets.js';
import { generateSigningSecret } from '../../shared/notifications/signing.js';
import { sendWakeMessages } from '../../shared/notifications/wake.js';
import { logger } from '../../shared/observability/logger.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { SecretStore } from '../../shared/ports/secrets.js';

export interface SubscriptionsDependencies {
  sql: Sql;
  secrets: SecretStore;
  /** The notify queue: a manual replay is handed to the notifier at once. */
  queue: Queue | undefined;
  clock: Clock;
  config: Pick<NotificationConfig, 'allowLoopback'>;
}

/** Slack and Teams URLs carry their token in the path: listings show only the host and the last 4 chars. */
export function maskUrl(kind: SubscriptionRow['kind'], raw: string): string {
  if (kind === 'webhook') return raw;
  try {
    const url = new URL(raw);
    const tail = `${url.pathname}${url.search}`;
    return `${url.origin}/…${tail.length > 4 ? tail.slice(-4) : ''}`;
  } catch {
    return '…';
  }
}

function view(row: SubscriptionRow, masked: boolean) {
  return {
    id: row.id,
    kind: row.kind,
    url: masked ? maskUrl(row.kind, row.url) : row.url,
    eventTypes: row.event_types,
    includeCandidateNames: row.include_candidate_names,
    enabled: row.enabled,
    disabledReason: row.disabled_reason as 'endpoint_gone' | 'manual' | null,
    createdAt: iso(row.created_at),
  };
}

/**
 * A webhook's signing secret goes to the secrets store first (named by the new subscription's id), then the
 * row; a failure in between leaves at most an unreferenced secret, never a subscription that cannot sign.
 */
export async function createSubscription(
  deps: SubscriptionsDependencies,
  principal: Principal,
  body: CreateSubscriptionBody,
) {
  const problem = urlProblem(body.url, deps.config);
  if (problem) {
    throw new DomainError('VALIDATION_FAILED', 'invalid body', {
      issues: [{ path: 'body.url', message: problem }],
    });
  }
  if (body.includeCandidateNames && body.kind === 'webhook') {
    throw new DomainError('VALIDATION_FAILED', 'invalid body', {
      issues: [
        { path: 'body.includeCandidateNames', message: 'only Slack and Teams messages can include names' },
      ],
    });
  }
  const id = randomUUID();
  const secret = body.kind === 'webhook' ? generateSigningSecret() : undefined;
  const secretRef = secret ? subscriptionSecretName(id) : null;
  if (secret && secretRef) await deps.secrets.put(secretRef, { secret });
  const row = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    insertSubscription(tx, {
      id,
      organizationId: principal.organizationId,
      kind: body.kind,
      url: body.url,
      eventTypes: body.eventTypes,
      includeCandidateNames: body.includeCandidateNames,
      secretRef,
      createdBy: `api:${principal.keyId}`,
      now: deps.clock.now(),
    }),
  );
  logger.info('subscription created', { subscriptionId: id, kind: body.kind, eventTypes: body.eventTypes });
  return { ...view(row, false), ...(secret ? { secret } : {}) };
}

export async function getSubscriptions(deps: SubscriptionsDependencies, principal: Principal) {
  const rows = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    listSubscriptions(tx),
  );
  return { items: rows.map((r) => view(r, true)) };
}

/** The row and its log go; the signing secret's value is overwritten (the store has no delete). */
export async function removeSubscription(
  deps: SubscriptionsDependencies,
  principal: Principal,
  id: string,
): Promise<void> {
  const deleted = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    deleteSubscription(tx, id),
  );
  if (!deleted) throw notFound('subscription');
  if (deleted.secret_ref) {
    await deps.secrets
      .put(deleted.secret_ref, { deletedAt: deps.clock.now().toISOString() })
      .catch((error: Error) =>
        logger.warn('subscription secret not wiped', { subscriptionId: id, errorName: error.name }),
      );
  }
  logger.info('subscription deleted', { subscriptionId: id });
}

function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    messageId: row.message_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    deliveredAt: isoOrNull(row.delivered_at),
    createdAt: iso(row.created_at),
  };
}

const encodeCursor = (row: DeliveryRow) =>
  Buffer.from(JSON.stringify([row.created_key, row.id])).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function decodeCursor(cursor: string): { createdKey: string; id: string } {
  try {
    const [createdKey, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdKey === 'string' && KEY.test(createdKey) && typeof id === 'string' && UUID.test(id)) {
      return { createdKey, id };
    }
  } catch {
    // falls through to the validation error
  }
  throw new DomainError('VALIDATION_FAILED', 'invalid query', {
    issues: [{ path: 'query.cursor', message: 'not a cursor of this list' }],
  });
}

export async function getDeliveries(
  deps: SubscriptionsDependencies,
  principal: Principal,
  id: string,
  query: DeliveriesQuery,
) {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    if (!(await findSubscription(tx, id))) throw notFound('subscription');
    return listDeliveries(tx, id, { limit: query.limit + 1, ...(after ? { after } : {}) });
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(deliveryView),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

/**
 * Manual replay (§7 "manual replay"): same webhook-id and body, a fresh timestamp and signature; the
 * notifier is woken at once. If the wake-up message is lost, the sweep sends another.
 */
export async function redeliver(
  deps: SubscriptionsDependencies,
  principal: Principal,
  id: string,
  deliveryId: string,
) {
  const now = deps.clock.now();
  const row = await withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    const subscription = await findSubscription(tx, id);
    if (!subscription) throw notFound('subscription');
    if (!(await findDelivery(tx, id, deliveryId))) throw notFound('delivery');
    if (!subscription.enabled) {
      throw new DomainError('INVALID_TRANSITION', 'the subscription is disabled', {
        disabledReason: subscription.disabled_reason,
      });
    }
    return (await requestRedelivery(tx, deliveryId, now))!;
  });
  const notSent = await sendWakeMessages(deps.queue, [
    {
      target: {
        organizationId: principal.organizationId,
        deliveryId: row.id,
        outboxId: row.outbox_id,
        eventType: row.event_type,
        eventTimestamp: row.event_timestamp,
      },
      delaySeconds: 0,
    },
  ]);
  if (notSent.length > 0)
    logger.warn('redelivery not handed to the notifier yet; the sweep will', { deliveryId });
  return { id: row.id, messageId: row.message_id, status: 'pending' as const };
}

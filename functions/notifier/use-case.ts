import type { Sql } from 'postgres';
import { withTenant } from '../../shared/db/tenant.js';
import { eventCatalog } from '../../shared/messages/events.js';
import type { HubMessage, OutboxMessage } from '../../shared/messages/queue-messages.js';
import { type ChatContext, slackMessage, teamsMessage } from '../../shared/notifications/chat-format.js';
import type { NotificationConfig } from '../../shared/notifications/config.js';
import { isCatalogueType } from '../../shared/notifications/event-types.js';
import { type PostRequest, postJson, type Resolver } from '../../shared/notifications/http-client.js';
import { parseEnvelope, renderEnvelope } from '../../shared/notifications/payload.js';
import {
  type AttemptRecord,
  applicationContext,
  type ClaimedDelivery,
  claimDelivery,
  claimWake,
  disableSubscription,
  failPendingOfSubscription,
  insertDeliveries,
  markEventProcessed,
  type PendingDelivery,
  pendingDeliveries,
  recordAttempt,
  releaseWake,
  subscriptionsFor,
} from '../../shared/notifications/repository.js';
import {
  type AttemptVerdict,
  hopDelaySeconds,
  judgeOutcome,
  retryDelaySeconds,
} from '../../shared/notifications/retry.js';
import { isSubscriptionSecret } from '../../shared/notifications/secrets.js';
import { standardWebhookHeaders, webhookMessageId } from '../../shared/notifications/signing.js';
import { isWakeMessage, sendWakeMessages, type WakeTarget } from '../../shared/notifications/wake.js';
import { logger } from '../../shared/observability/logger.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { SecretStore } from '../../shared/ports/secrets.js';

export interface NotifierDependencies {
  sql: Sql;
  secrets: SecretStore;
  /** The notify queue: delayed wake-up messages for retries. */
  queue: Queue | undefined;
  clock: Clock;
  config: NotificationConfig;
  /** DNS override (tests); the system resolver otherwise. */
  resolve?: Resolver;
  /** Jitter source of the retry schedule. */
  random?: () => number;
}

/** Time left in this invocation; an attempt that could not finish in it is handed to a wake-up message. */
export interface Budget {
  remainingMs(): number;
}

const unlimited: Budget = { remainingMs: () => Number.POSITIVE_INFINITY };

/** An attempt owns its delivery this long: more than the function's 30 s timeout, so it never overlaps. */
export const LEASE_MS = 60_000;
/** A delivery due within this much is attempted now (SQS delays and clocks are not exact to the ms). */
export const DUE_SLACK_MS = 2_000;
/** What an attempt needs besides its request timeout: two short transactions. */
const RESERVE_MS = 3_000;
/** Attempts of one message run side by side, at most this many at once. */
const PARALLEL = 8;

export class WakeUpNotSentError extends Error {
  constructor(readonly deliveryIds: string[]) {
    super('wake-up message not accepted by the queue');
    this.name = 'WakeUpNotSentError';
  }
}

class RequestSetupError extends Error {}

export type StepResult =
  | 'delivered'
  | 'failed'
  | 'retry_scheduled'
  | 'woken_later'
  | 'waiting'
  | 'busy'
  | 'skipped';

export interface NotifyOutcome {
  /** Deliveries created by this message (0 for a duplicate or a wake-up). */
  created: number;
  /** The outbox event had been fanned out before (the same message consumed again). */
  duplicate: boolean;
  steps: StepResult[];
}

/** One message of the notify queue (architecture.md "Messages"; wake.ts for the two kinds). */
export async function handleNotifyMessage(
  deps: NotifierDependencies,
  message: HubMessage,
  budget: Budget = unlimited,
): Promise<NotifyOutcome> {
  if (message.type !== 'outbox') {
    logger.warn('notify queue: ignoring a message that is not an outbox event', {
      messageType: message.type,
    });
    return { created: 0, duplicate: false, steps: [] };
  }
  if (isWakeMessage(message)) {
    const steps = await processDeliveries(
      deps,
      message.organizationId,
      { deliveryId: message.aggregateId },
      budget,
    );
    return { created: 0, duplicate: false, steps };
  }
  const fan = await fanOut(deps, message);
  const steps = await processDeliveries(deps, message.organizationId, { outboxId: message.outboxId }, budget);
  return { ...fan, steps };
}

/**
 * One delivery row per enabled subscription of the event's type, in one transaction with the inbox row
 * (processed_messages) of this outbox id: the same event never fans out twice, whatever the queue does.
 * Only the catalogue's fields of the payload survive (zod strips the rest), so nothing unexpected leaves.
 */
export async function fanOut(
  deps: NotifierDependencies,
  message: OutboxMessage,
): Promise<{ created: number; duplicate: boolean }> {
  const now = deps.clock.now();
  return withTenant(deps.sql, message.organizationId, 'worker', async (tx) => {
    if (!(await markEventProcessed(tx, message.organizationId, message.outboxId)))
      return { created: 0, duplicate: true };
    if (!isCatalogueType(message.eventType)) {
      logger.warn('notify: event type not in the catalogue; nothing to send', {
        eventType: message.eventType,
        outboxId: message.outboxId,
      });
      return { created: 0, duplicate: false };
    }
    const parsed = eventCatalog[message.eventType].safeParse(message.payload);
    if (!parsed.success) {
      logger.error('notify: payload does not match the catalogue; nothing to send', {
        eventType: message.eventType,
        outboxId: message.outboxId,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
      });
      return { created: 0, duplicate: false };
    }
    const subscriptions = await subscriptionsFor(tx, message.eventType);
    if (subscriptions.length === 0) return { created: 0, duplicate: false };
    const timestamp = new Date(message.createdAt);
    const body = renderEnvelope(
      message.eventType,
      timestamp.toISOString(),
      parsed.data as Record<string, unknown>,
    );
    const created = await insertDeliveries(
      tx,
      subscriptions.map((s) => ({
        organization_id: message.organizationId,
        subscription_id: s.id,
        outbox_id: message.outboxId,
        message_id: webhookMessageId(message.outboxId, s.id),
        event_type: message.eventType,
        event_timestamp: timestamp,
        body,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    );
    return { created, duplicate: false };
  });
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return results;
}

/** Attempts what is due among the pending deliveries of one event (or one delivery); schedules the rest. */
export async function processDeliveries(
  deps: NotifierDependencies,
  organizationId: string,
  target: { outboxId: string } | { deliveryId: string },
  budget: Budget = unlimited,
): Promise<StepResult[]> {
  const rows = await withTenant(deps.sql, organizationId, 'worker', (tx) => pendingDeliveries(tx, target));
  return mapLimit(rows, PARALLEL, (row) => step(deps, organizationId, row, budget));
}

async function step(
  deps: NotifierDependencies,
  organizationId: string,
  row: PendingDelivery,
  budget: Budget,
): Promise<StepResult> {
  const now = deps.clock.now();
  if (row.locked_until && row.locked_until.getTime() >= now.getTime()) return 'busy';
  const target: WakeTarget = {
    organizationId,
    deliveryId: row.id,
    outboxId: row.outbox_id,
    eventType: row.event_type,
    eventTimestamp: row.event_timestamp,
  };
  if (row.next_attempt_at.getTime() <= now.getTime() + DUE_SLACK_MS) {
    if (budget.remainingMs() < deps.config.requestTimeoutMs + RESERVE_MS) return wake(deps, target, now, 0);
    return attempt(deps, organizationId, row.id, target);
  }
  return wake(deps, target, now, hopDelaySeconds(now, row.next_attempt_at));
}

/** Sends the delayed message that brings this delivery back, unless one is already on its way. */
async function wake(
  deps: NotifierDependencies,
  target: WakeTarget,
  now: Date,
  delaySeconds: number,
): Promise<StepResult> {
  const wakeAt = new Date(now.getTime() + delaySeconds * 1000);
  const claimed = await withTenant(deps.sql, target.organizationId, 'worker', (tx) =>
    claimWake(tx, target.deliveryId, { now, reachedBy: new Date(now.getTime() + DUE_SLACK_MS), wakeAt }),
  );
  if (!claimed) return 'waiting';
  await sendOrRelease(deps, target, delaySeconds, wakeAt);
  return 'woken_later';
}

async function sendOrRelease(
  deps: NotifierDependencies,
  target: WakeTarget,
  delaySeconds: number,
  wakeAt: Date,
) {
  const failed = await sendWakeMessages(deps.queue, [{ target, delaySeconds }]);
  if (failed.length === 0) return;
  await withTenant(deps.sql, target.organizationId, 'worker', (tx) =>
    releaseWake(tx, target.deliveryId, wakeAt),
  ).catch(() => {});
  // the record fails and SQS brings this message back; the sweep is the backstop
  throw new WakeUpNotSentError(failed);
}

async function attempt(
  deps: NotifierDependencies,
  organizationId: string,
  deliveryId: string,
  target: WakeTarget,
): Promise<StepResult> {
  const startedAt = deps.clock.now();
  const claim = await withTenant(deps.sql, organizationId, 'worker', (tx) =>
    claimDelivery(tx, deliveryId, {
      now: startedAt,
      dueBy: new Date(startedAt.getTime() + DUE_SLACK_MS),
      lockedUntil: new Date(startedAt.getTime() + LEASE_MS),
    }),
  );
  if (!claim) return 'skipped';
  let verdict: AttemptVerdict;
  if (!claim.enabled) {
    verdict = { kind: 'gone', statusCode: 0, error: 'subscription disabled' };
  } else {
    try {
      const request = await buildRequest(deps, organizationId, claim);
      const outcome = await postJson(request, {
        allowLoopback: deps.config.allowLoopback,
        timeoutMs: deps.config.requestTimeoutMs,
        ...(deps.resolve ? { resolve: deps.resolve } : {}),
      });
      verdict = judgeOutcome(outcome, deps.clock.now(), deps.config.requestTimeoutMs);
    } catch (error) {
      verdict = {
        kind: 'retry',
        statusCode: null,
        error:
          error instanceof RequestSetupError ? error.message : 'internal error while preparing the request',
        retryAfterSeconds: undefined,
      };
      if (!(error instanceof RequestSetupError))
        logger.error('notify: request preparation failed', { deliveryId, errorName: (error as Error).name });
    }
  }
  return finish(deps, organizationId, claim, verdict, target);
}

async function finish(
  deps: NotifierDependencies,
  organizationId: string,
  claim: ClaimedDelivery,
  verdict: AttemptVerdict,
  target: WakeTarget,
): Promise<StepResult> {
  const finishedAt = deps.clock.now();
  const lease = { id: claim.id, lockedUntil: claim.locked_until };
  let record: AttemptRecord;
  let result: StepResult;
  if (verdict.kind === 'delivered') {
    record = { status: 'delivered', statusCode: verdict.statusCode };
    result = 'delivered';
  } else if (verdict.kind === 'gone') {
    record = { status: 'failed', statusCode: verdict.statusCode || null, error: verdict.error };
    result = 'failed';
  } else {
    const delay = retryDelaySeconds(
      claim.attempts - claim.schedule_offset,
      verdict.retryAfterSeconds,
      deps.random,
    );
    if (delay === null) {
      record = {
        status: 'failed',
        statusCode: verdict.statusCode,
        error: `${verdict.error}; retries exhausted`,
      };
      result = 'failed';
    } else {
      const nextAttemptAt = new Date(finishedAt.getTime() + delay * 1000);
      const hop = hopDelaySeconds(finishedAt, nextAttemptAt);
      record = {
        status: 'pending',
        statusCode: verdict.statusCode,
        error: verdict.error,
        nextAttemptAt,
        wakeAt: new Date(finishedAt.getTime() + hop * 1000),
      };
      result = 'retry_scheduled';
    }
  }
  const written = await withTenant(deps.sql, organizationId, 'worker', async (tx) => {
    const ok = await recordAttempt(tx, lease, record, finishedAt);
    if (ok && verdict.kind === 'gone' && claim.enabled) {
      await disableSubscription(tx, claim.subscription_id, 'endpoint_gone', finishedAt);
      await failPendingOfSubscription(
        tx,
        claim.subscription_id,
        'subscription disabled after 410 Gone',
        finishedAt,
      );
    }
    return ok;
  });
  logger.info('notification attempt', {
    deliveryId: claim.id,
    subscriptionId: claim.subscription_id,
    kind: claim.kind,
    eventType: claim.event_type,
    attempt: claim.attempts,
    statusCode: verdict.statusCode,
    result,
  });
  if (!written) {
    logger.warn('notify: attempt result not recorded; the delivery was taken over', { deliveryId: claim.id });
    return 'skipped';
  }
  if (verdict.kind === 'gone' && claim.enabled) {
    logger.warn('subscription disabled: endpoint answered 410 Gone', {
      subscriptionId: claim.subscription_id,
    });
  }
  if (record.status === 'failed' && verdict.kind === 'retry') {
    logger.warn('notification delivery failed for good', {
      deliveryId: claim.id,
      subscriptionId: claim.subscription_id,
    });
  }
  if (record.status === 'pending') {
    await sendOrRelease(deps, target, hopDelaySeconds(finishedAt, record.wakeAt), record.wakeAt);
  }
  return result;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? v : null);

async function chatContext(
  deps: NotifierDependencies,
  organizationId: string,
  eventType: string,
  data: Record<string, unknown>,
  withNames: boolean,
): Promise<ChatContext> {
  if (!eventType.startsWith('application.')) return {};
  const jobId = uuidOrNull(data.jobId);
  const candidateId = uuidOrNull(data.candidateId);
  if (!jobId && !candidateId) return {};
  const row = await withTenant(deps.sql, organizationId, 'worker', (tx) =>
    applicationContext(tx, { jobId, candidateId, withNames }),
  );
  const name = [row.first_name, row.last_name]
    .filter((p): p is string => !!p && p.trim().length > 0)
    .join(' ');
  return { jobTitle: row.job_title, ...(withNames && name ? { candidateName: name } : {}) };
}

async function buildRequest(
  deps: NotifierDependencies,
  organizationId: string,
  claim: ClaimedDelivery,
): Promise<PostRequest> {
  if (claim.kind === 'webhook') {
    const stored = claim.secret_ref ? await deps.secrets.get(claim.secret_ref) : undefined;
    if (!isSubscriptionSecret(stored)) throw new RequestSetupError('signing secret unavailable');
    // the timestamp is this attempt's; id and body are the same on every attempt
    return {
      url: claim.url,
      headers: standardWebhookHeaders(stored.secret, claim.message_id, deps.clock.now(), claim.body),
      body: claim.body,
    };
  }
  const envelope = parseEnvelope(claim.body);
  const ctx = await chatContext(
    deps,
    organizationId,
    envelope.type,
    envelope.data,
    claim.include_candidate_names,
  );
  const message =
    claim.kind === 'slack'
      ? slackMessage(envelope.type, envelope.timestamp, envelope.data, ctx)
      : teamsMessage(envelope.type, envelope.timestamp, envelope.data, ctx);
  return { url: claim.url, headers: {}, body: JSON.stringify(message) };
}

/**
 * The notifier's use case: one message of the notify queue fans an outbox event out (fan-out.ts) and
 * attempts what is due (attempt.ts); the rest is brought back by delayed wake-up messages (wake-up.ts).
 */
import type { Sql } from 'postgres';
import { withTenant } from '../../shared/db/tenant.js';
import type { HubMessage } from '../../shared/messages/queue-messages.js';
import type { NotificationConfig } from '../../shared/notifications/config.js';
import type { Resolver } from '../../shared/notifications/http-client.js';
import { type PendingDelivery, pendingDeliveries } from '../../shared/notifications/repository.js';
import { hopDelaySeconds } from '../../shared/notifications/retry.js';
import { isWakeMessage, type WakeTarget } from '../../shared/notifications/wake.js';
import { logger } from '../../shared/observability/logger.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import { attempt } from './attempt.js';
import { fanOut } from './fan-out.js';
import { DUE_SLACK_MS, wake } from './wake-up.js';

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

/** What an attempt needs besides its request timeout: two short transactions. */
const RESERVE_MS = 3_000;
/** Attempts of one message run side by side, at most this many at once. */
const PARALLEL = 8;

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

/** One message of the notify queue (docs/architecture.md "Messages"; wake.ts for the two kinds). */
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
async function processDeliveries(
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

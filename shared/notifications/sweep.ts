import type { Sql } from 'postgres';
import { withSystem } from '../db/tenant.js';
import { logger } from '../observability/logger.js';
import type { Clock } from '../ports/clock.js';
import type { Queue } from '../ports/queue.js';
import { claimOverdue, releaseOverdue } from './repository.js';
import { sendWakeMessages } from './wake.js';

export interface SweepDependencies {
  sql: Sql;
  /** The notify queue. */
  queue: Queue | undefined;
  clock: Clock;
}

export interface SweepOptions {
  /** A delivery counts as forgotten once it is this long overdue with no wake-up message expected. */
  graceSeconds?: number;
  limit?: number;
}

/**
 * The backstop of the retry schedule, for the scheduler's tick (e.g. every minute). Normally every pending
 * delivery has a delayed wake-up message on the notify queue (waits over 900 s are bridged hop by hop). This
 * finds the ones that lost theirs (a send that failed after a crash, a message dead-lettered, an attempt
 * that died mid-request and whose lease expired) and sends each a wake-up message, across tenants.
 */
export async function sweepNotificationDeliveries(
  deps: SweepDependencies,
  options: SweepOptions = {},
): Promise<{ woken: number; notSent: number }> {
  const now = deps.clock.now();
  const overdueBefore = new Date(now.getTime() - (options.graceSeconds ?? 120) * 1000);
  const rows = await withSystem(deps.sql, (tx) =>
    claimOverdue(tx, { now, overdueBefore, limit: options.limit ?? 500 }),
  );
  if (rows.length === 0) return { woken: 0, notSent: 0 };
  const notSent = await sendWakeMessages(
    deps.queue,
    rows.map((r) => ({
      target: {
        organizationId: r.organization_id,
        deliveryId: r.id,
        outboxId: r.outbox_id,
        eventType: r.event_type,
        eventTimestamp: r.event_timestamp,
      },
      delaySeconds: 0,
    })),
  );
  if (notSent.length > 0) {
    // leave them for the next tick, exactly as they were
    await withSystem(deps.sql, (tx) => releaseOverdue(tx, notSent, now));
    logger.warn('notification sweep: some wake-up messages were not accepted', { count: notSent.length });
  }
  return { woken: rows.length - notSent.length, notSent: notSent.length };
}

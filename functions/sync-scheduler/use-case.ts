import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { QueueName } from '../../shared/config/resources.js';
import { failRun } from '../../shared/db/repositories/sync-runs.js';
import {
  dueIntegrations,
  enqueueDueSync,
  markDeliveriesEnqueued,
  reviveRun,
  staleDeliveries,
  staleRuns,
} from '../../shared/db/repositories/sync-scheduler.js';
import { withSystem, withTenant } from '../../shared/db/tenant.js';
import type { SyncMessage, WebhookMessage } from '../../shared/messages/queue-messages.js';
import { sweepNotificationDeliveries } from '../../shared/notifications/sweep.js';
import { logger } from '../../shared/observability/logger.js';
import { publishOutbox } from '../../shared/outbox/publisher.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { ProviderName } from '../../shared/providers/registry.js';

export interface SchedulerDependencies {
  sql: Sql;
  queues: Readonly<Partial<Record<QueueName, Queue>>>;
  clock: Clock;
}

export interface SchedulerOptions {
  /** Integrations enqueued per tick at most. */
  maxEnqueuesPerTick: number;
  /** A delivery still `received` this long after arrival is enqueued again. */
  webhookRetryAfterMs: number;
  /** A run whose lease expired this long ago (or queued this long) is driven again. */
  staleRunGraceMs: number;
  /** A run older than this that is still not finished is failed. */
  maxRunAgeMs: number;
  leaseMs: number;
  /** Outbox batches published per tick at most (100 rows each). */
  maxPublishBatches: number;
}

export const defaultSchedulerOptions: SchedulerOptions = {
  maxEnqueuesPerTick: 200,
  webhookRetryAfterMs: 5 * 60_000,
  staleRunGraceMs: 5 * 60_000,
  maxRunAgeMs: 24 * 3600_000,
  leaseMs: 5 * 60_000,
  maxPublishBatches: 20,
};

export interface TickResult {
  enqueued: { full: number; incremental: number };
  webhooksRequeued: number;
  runsRevived: number;
  runsFailed: number;
  published: number;
  pending: number;
  notificationsWoken: number;
}

/**
 * One scheduler tick: enqueue the syncs that are due (runs + `sync.requested` outbox rows, per integration in
 * its own tenant transaction), re-enqueue webhook deliveries never applied, revive or fail runs nobody drives,
 * then relay every pending outbox row (system scope), marking only what SQS accepted.
 */
export async function tick(
  deps: SchedulerDependencies,
  overrides: Partial<SchedulerOptions> = {},
): Promise<TickResult> {
  const options = { ...defaultSchedulerOptions, ...overrides };
  const now = deps.clock.now();
  const result: TickResult = {
    enqueued: { full: 0, incremental: 0 },
    webhooksRequeued: 0,
    runsRevived: 0,
    runsFailed: 0,
    published: 0,
    pending: 0,
    notificationsWoken: 0,
  };

  const due = await withSystem(deps.sql, (tx) => dueIntegrations(tx, now, options.maxEnqueuesPerTick));
  for (const integration of due) {
    const queued = await withTenant(deps.sql, integration.organization_id, 'worker', (tx) =>
      enqueueDueSync(tx, { integrationId: integration.id, now }),
    );
    if (queued) result.enqueued[queued.mode] += 1;
  }

  const sync = deps.queues.sync;
  if (sync) {
    result.webhooksRequeued = await requeueDeliveries(deps, sync, now, options);
    const runs = await reviveRuns(deps, sync, now, options);
    result.runsRevived = runs.revived;
    result.runsFailed = runs.failed;
  }

  // notification deliveries whose wake-up message was lost or whose attempt crashed
  const notifications = await sweepNotificationDeliveries({
    sql: deps.sql,
    queue: deps.queues.notify,
    clock: deps.clock,
  });
  result.notificationsWoken = notifications.woken;

  for (let batch = 0; batch < options.maxPublishBatches; batch += 1) {
    const published = await publishOutbox(deps.sql, deps.queues, { limit: 100 });
    result.published += published.published;
    result.pending = published.pending;
    if (published.published + published.pending < 100 || published.published === 0) break;
  }
  logger.info('sync tick', {
    ...result.enqueued,
    webhooksRequeued: result.webhooksRequeued,
    runsRevived: result.runsRevived,
    runsFailed: result.runsFailed,
    published: result.published,
    pending: result.pending,
  });
  return result;
}

async function requeueDeliveries(
  deps: SchedulerDependencies,
  sync: Queue,
  now: Date,
  options: SchedulerOptions,
): Promise<number> {
  const stale = await withSystem(deps.sql, (tx) =>
    staleDeliveries(tx, now, options.webhookRetryAfterMs, 100),
  );
  if (stale.length === 0) return 0;
  const sent = await sync
    .sendBatch(
      stale.map((d) => ({
        id: `w${d.id}`,
        body: JSON.stringify({
          type: 'webhook',
          organizationId: d.organization_id,
          integrationId: d.integration_id,
          deliveryRowId: d.id,
        } satisfies WebhookMessage),
      })),
    )
    .catch(() => ({ successful: [] as string[], failed: [] }));
  const accepted = new Set(sent.successful);
  const ids = stale.filter((d) => accepted.has(`w${d.id}`)).map((d) => d.id);
  await withSystem(deps.sql, (tx) => markDeliveriesEnqueued(tx, ids, now));
  return ids.length;
}

async function reviveRuns(
  deps: SchedulerDependencies,
  sync: Queue,
  now: Date,
  options: SchedulerOptions,
): Promise<{ revived: number; failed: number }> {
  const stale = await withSystem(deps.sql, (tx) => staleRuns(tx, now, options.staleRunGraceMs, 50));
  let revived = 0;
  let failed = 0;
  for (const run of stale) {
    if (now.getTime() - run.created_at.getTime() > options.maxRunAgeMs) {
      const ended = await withTenant(deps.sql, run.organization_id, 'worker', async (tx) => {
        const [integration] = await tx<
          { provider: ProviderName }[]
        >`select provider from integrations where id = ${run.integration_id}`;
        return failRun(tx, {
          runId: run.id,
          token: null,
          provider: integration?.provider ?? 'greenhouse',
          now,
          error: 'run abandoned: no progress before its maximum age',
        });
      });
      if (ended) failed += 1;
      continue;
    }
    const token = randomUUID();
    const taken = await withTenant(deps.sql, run.organization_id, 'worker', (tx) =>
      reviveRun(tx, {
        runId: run.id,
        token,
        now,
        graceMs: options.staleRunGraceMs,
        leaseMs: options.leaseMs,
      }),
    );
    if (!taken) continue;
    const message: SyncMessage = {
      type: 'sync',
      organizationId: run.organization_id,
      integrationId: run.integration_id,
      syncRunId: run.id,
      mode: run.mode,
      pageToken: token,
    };
    const sent = await sync
      .sendBatch([{ id: `r${run.id.replaceAll('-', '')}`, body: JSON.stringify(message) }])
      .catch(() => undefined);
    if (sent?.successful.length) revived += 1;
  }
  return { revived, failed };
}

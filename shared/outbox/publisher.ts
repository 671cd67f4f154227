import type { Sql } from 'postgres';
import type { QueueName } from '../config/resources.js';
import { type Tx, withSystem, withTenant } from '../db/tenant.js';
import type { OutboxMessage } from '../messages/queue-messages.js';
import { logger } from '../observability/logger.js';
import type { Queue } from '../ports/queue.js';
import { queuesFor } from './routing.js';

interface OutboxRow {
  id: string;
  organization_id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

export interface PublishScope {
  /** Publish this tenant's rows only (a writer right after its commit); absent: every tenant (the scheduler). */
  organizationId?: string;
  aggregateId?: string;
  limit?: number;
}

export interface PublishResult {
  published: number;
  pending: number;
}

/**
 * Relays pending outbox rows (docs/reliability.md §2): rows are claimed with FOR UPDATE SKIP LOCKED so concurrent
 * relays never send the same row, and only the entries every target queue accepted are marked published;
 * the rest stay pending for the next tick. A crash between send and mark causes at most one duplicate,
 * which consumers absorb through their inbox.
 */
export async function publishOutbox(
  sql: Sql,
  queues: Readonly<Partial<Record<QueueName, Queue>>>,
  scope: PublishScope = {},
): Promise<PublishResult> {
  const run = (tx: Tx) => relay(tx, queues, scope);
  return scope.organizationId ? withTenant(sql, scope.organizationId, 'worker', run) : withSystem(sql, run);
}

/**
 * A writer's publish right after its commit, so consumers need not wait for the scheduler's tick. The tick
 * relays whatever this misses, so a failure here is only logged.
 */
export async function publishSoon(
  sql: Sql,
  queues: Readonly<Partial<Record<QueueName, Queue>>> | undefined,
  scope: PublishScope & { organizationId: string },
): Promise<void> {
  if (!queues) return;
  try {
    await publishOutbox(sql, queues, { limit: 10, ...scope });
  } catch (error) {
    logger.warn('immediate outbox publish failed; the scheduler will relay', {
      errorName: (error as Error).name,
    });
  }
}

async function relay(
  tx: Tx,
  queues: Readonly<Partial<Record<QueueName, Queue>>>,
  scope: PublishScope,
): Promise<PublishResult> {
  const rows = await tx<OutboxRow[]>`
    select id::text, organization_id, aggregate_type, aggregate_id, event_type, payload, created_at
    from outbox
    where published_at is null
      and (${scope.organizationId ?? null}::uuid is null or organization_id = ${scope.organizationId ?? null})
      and (${scope.aggregateId ?? null}::uuid is null or aggregate_id = ${scope.aggregateId ?? null})
    order by id
    limit ${scope.limit ?? 100}
    for update skip locked`;
  if (rows.length === 0) return { published: 0, pending: 0 };
  const failedIds = new Set<string>();
  const byQueue = new Map<QueueName, OutboxRow[]>();
  for (const row of rows) {
    for (const name of queuesFor(row.event_type)) byQueue.set(name, [...(byQueue.get(name) ?? []), row]);
  }
  for (const [name, queueRows] of byQueue) {
    const queue = queues[name];
    if (!queue) {
      // a target queue this writer cannot reach: the rows stay pending for a relay that can
      for (const row of queueRows) failedIds.add(row.id);
      continue;
    }
    const result = await queue
      .sendBatch(
        queueRows.map((row) => ({
          id: `o${row.id}`,
          body: JSON.stringify({
            type: 'outbox',
            outboxId: row.id,
            organizationId: row.organization_id,
            eventType: row.event_type,
            aggregateType: row.aggregate_type,
            aggregateId: row.aggregate_id,
            payload: row.payload,
            createdAt: row.created_at.toISOString(),
          } satisfies OutboxMessage),
        })),
      )
      .catch(() => ({
        successful: [],
        failed: queueRows.map((r) => ({ id: `o${r.id}`, code: 'send_failed', senderFault: false })),
      }));
    const ok = new Set(result.successful);
    for (const row of queueRows) if (!ok.has(`o${row.id}`)) failedIds.add(row.id);
  }
  const published = rows.filter((r) => !failedIds.has(r.id)).map((r) => r.id);
  const failed = [...failedIds];
  if (published.length > 0) {
    await tx`update outbox set published_at = now(), publish_attempts = publish_attempts + 1
      where id = any(${published}::bigint[])`;
  }
  if (failed.length > 0) {
    await tx`update outbox set publish_attempts = publish_attempts + 1 where id = any(${failed}::bigint[])`;
  }
  return { published: published.length, pending: failed.length };
}

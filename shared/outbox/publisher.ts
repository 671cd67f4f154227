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

/**
 * The relay's statements go without parameters, their few values (ids, a count) checked and written into the text:
 * with `prepare: false` postgres.js describes a statement that has parameters before binding it (a round trip of
 * its own), while one without goes in one flight, the claim together with the transaction's BEGIN. Unnamed, so
 * no prepared statement is kept per distinct text whatever the pool's `prepare`.
 */
const NO_PARAMETERS = { prepare: false };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidConstant(value: string, what: string): string {
  if (!UUID.test(value)) throw new TypeError(`${what} must be a UUID`);
  return `'${value}'::uuid`;
}

/** Outbox ids as the database gave them (`id::text` of a bigint). */
function idList(ids: readonly string[]): string {
  for (const id of ids) if (!/^\d{1,19}$/.test(id)) throw new TypeError('outbox ids are bigints');
  return ids.join(', ');
}

/** Claims pending rows (FOR UPDATE SKIP LOCKED: concurrent relays never send the same row). */
function claimStatement(scope: PublishScope): string {
  const limit = scope.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError('limit must be a positive integer');
  const filters = [
    'published_at is null',
    ...(scope.organizationId
      ? [`organization_id = ${uuidConstant(scope.organizationId, 'organizationId')}`]
      : []),
    ...(scope.aggregateId ? [`aggregate_id = ${uuidConstant(scope.aggregateId, 'aggregateId')}`] : []),
  ];
  return `select id::text, organization_id, aggregate_type, aggregate_id, event_type, payload, created_at
    from outbox where ${filters.join(' and ')} order by id limit ${limit} for update skip locked`;
}

async function relay(
  tx: Tx,
  queues: Readonly<Partial<Record<QueueName, Queue>>>,
  scope: PublishScope,
): Promise<PublishResult> {
  const rows = await tx.unsafe<OutboxRow[]>(claimStatement(scope), [], NO_PARAMETERS);
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
    await tx.unsafe(
      `update outbox set published_at = now(), publish_attempts = publish_attempts + 1
      where id in (${idList(published)})`,
      [],
      NO_PARAMETERS,
    );
  }
  if (failed.length > 0) {
    await tx.unsafe(
      `update outbox set publish_attempts = publish_attempts + 1 where id in (${idList(failed)})`,
      [],
      NO_PARAMETERS,
    );
  }
  return { published: published.length, pending: failed.length };
}

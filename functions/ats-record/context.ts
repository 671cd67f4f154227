/**
 * What every use case of the recruiting record shares: its dependencies, the caller's transaction (tenant, role
 * and acting key, so the notes policy can hide private notes), the caller's visible application, and writes
 * with their events.
 */
import type { Sql } from 'postgres';
import type { QueueName } from '../../shared/config/resources.js';
import { type ApplicationState, findApplicationState } from '../../shared/db/repositories/applications.js';
import { insertRecordEvent } from '../../shared/db/repositories/record-notes.js';
import { type Tx, withCaller } from '../../shared/db/tenant.js';
import { notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import { publishSoon } from '../../shared/outbox/publisher.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Queue } from '../../shared/ports/queue.js';

export interface RecordDependencies {
  sql: Sql;
  queues: Readonly<Partial<Record<QueueName, Queue>>>;
  clock: Clock;
}

/** The caller's transaction: its organization, its role, and its key (and user) as the actor. */
export function asCaller<T>(deps: RecordDependencies, principal: Principal, fn: (tx: Tx) => Promise<T>) {
  return withCaller(deps.sql, principal, fn);
}

/**
 * The application the caller may use: its own organization's; another party of it (docs/parties.md) may only
 * read, and row-level security shows it the shared notes and nothing else of the record.
 */
export async function liveApplication(
  tx: Tx,
  id: string,
  use: 'read' | 'write' = 'write',
): Promise<ApplicationState> {
  const application = await findApplicationState(tx, id);
  if (!application || (use === 'write' && application.party !== 'receiver')) throw notFound('application');
  return application;
}

export interface RecordEvent {
  aggregateType: 'application' | 'candidate';
  aggregateId: string;
  eventType: string;
  payload: Record<string, unknown>;
}

/**
 * A write of the caller's and the events it caused, in one transaction; the events then go to the queues at once
 * (the scheduler's relay sends whatever this misses).
 */
export async function writeWithEvents<R>(
  deps: RecordDependencies,
  principal: Principal,
  write: (tx: Tx) => Promise<{ value: R; events: RecordEvent[] }>,
): Promise<R> {
  const { value, events } = await asCaller(deps, principal, async (tx) => {
    const outcome = await write(tx);
    for (const event of outcome.events) await insertRecordEvent(tx, event);
    return outcome;
  });
  for (const aggregateId of new Set(events.map((e) => e.aggregateId))) {
    await publishSoon(deps.sql, deps.queues, { organizationId: principal.organizationId, aggregateId });
  }
  return value;
}

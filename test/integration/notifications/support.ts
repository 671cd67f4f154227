/** Fakes and helpers shared by the notification integration tests (no real sleeps: time is a TestClock). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Sql } from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { resetEnvCache } from '../../../shared/config/env.js';
import type { OutboxMessage } from '../../../shared/messages/queue-messages.js';
import { resetNotificationConfig } from '../../../shared/notifications/config.js';
import type { Clock } from '../../../shared/ports/clock.js';
import type { Queue, QueueMessage, SendBatchResult } from '../../../shared/ports/queue.js';
import { overrideAdapters } from '../../../shared/runtime/adapters.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import type { TenantGraph } from '../../support/fixtures.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

export class TestClock implements Clock {
  constructor(private t = Date.parse('2026-03-02T09:15:00.000Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  seconds(): number {
    return Math.floor(this.t / 1000);
  }
}

/** Records what is sent; `failNext` makes the next calls report every entry as failed. */
export class CaptureQueue implements Queue {
  sent: QueueMessage[] = [];
  failNext = 0;
  async sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return {
        successful: [],
        failed: messages.map((m) => ({ id: m.id, code: 'InternalError', senderFault: false })),
      };
    }
    this.sent.push(...messages);
    return { successful: messages.map((m) => m.id), failed: [] };
  }
  /** Takes everything sent so far, parsed. */
  drain(): { message: OutboxMessage; delaySeconds: number }[] {
    const out = this.sent.map((m) => ({
      message: JSON.parse(m.body) as OutboxMessage,
      delaySeconds: m.delaySeconds ?? 0,
    }));
    this.sent = [];
    return out;
  }
}

const handoffSample = JSON.parse(
  readFileSync(new URL('../../../events/notifications/application.handoff.json', import.meta.url), 'utf8'),
) as { data: Record<string, unknown> };

/** Writes an outbox row for a handoff of the graph's application (as the owner) and returns its relay message. */
export async function insertHandoffEvent(
  owner: Sql,
  graph: TenantGraph,
  clock: Clock,
): Promise<OutboxMessage> {
  const payload = {
    ...handoffSample.data,
    organizationId: graph.organizationId,
    applicationId: graph.applicationId,
    jobId: graph.jobId,
    candidateId: graph.candidateId,
    fromStageId: graph.stageIds[1]!,
    toStageId: graph.stageIds[2]!,
  };
  const createdAt = clock.now();
  const [row] = await owner<{ id: string }[]>`
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload, created_at, published_at)
    values (${graph.organizationId}, 'application', ${graph.applicationId}, 'application.handoff', ${owner.json(payload)},
      ${createdAt}, ${createdAt})
    returning id::text`;
  return {
    type: 'outbox',
    outboxId: row!.id,
    organizationId: graph.organizationId,
    eventType: 'application.handoff',
    aggregateType: 'application',
    aggregateId: graph.applicationId,
    payload,
    createdAt: createdAt.toISOString(),
  };
}

/**
 * Plays the notify queue on the test clock: takes the earliest message whose delay has passed (advancing
 * the clock to it), hands it to `handle`, collects what that sent, until nothing is left. Returns how many
 * messages were handled.
 */
export async function runQueue(
  queue: CaptureQueue,
  clock: TestClock,
  handle: (message: OutboxMessage) => Promise<unknown>,
  maxMessages = 1000,
): Promise<number> {
  const pending: { at: number; message: OutboxMessage }[] = [];
  const collect = () => {
    for (const s of queue.drain())
      pending.push({ at: clock.now().getTime() + s.delaySeconds * 1000, message: s.message });
  };
  let handled = 0;
  collect();
  while (pending.length > 0) {
    if (++handled > maxMessages) throw new Error('the queue did not settle');
    pending.sort((a, b) => a.at - b.at);
    const next = pending.shift()!;
    const wait = next.at - clock.now().getTime();
    if (wait > 0) clock.advance(wait);
    await handle(next.message);
    collect();
  }
  return handled;
}

export interface HandlerWorld {
  db: TestDatabase;
  clock: TestClock;
  queue: CaptureQueue;
  secrets: MemorySecretStore;
}

/**
 * Registers the hooks of a file that runs a notification handler as Lambda would: a database, the adapters
 * replaced, loopback receivers allowed through the environment as in the local runtime; all restored after.
 */
export function handlerWorld(env: Record<string, string> = {}): HandlerWorld {
  const world = {
    clock: new TestClock(),
    queue: new CaptureQueue(),
    secrets: new MemorySecretStore(),
  } as HandlerWorld;
  const previousEnv = { ...process.env };
  beforeAll(async () => {
    world.db = await createTestDatabase();
    Object.assign(process.env, { STAGE: 'local', NOTIFY_ALLOW_LOOPBACK: 'true', ...env });
    resetEnvCache();
    resetNotificationConfig();
    overrideAdapters({
      sql: world.db.app,
      secrets: world.secrets,
      queues: { notify: world.queue },
      clock: world.clock,
    });
  });
  afterAll(async () => {
    process.env = previousEnv;
    resetEnvCache();
    resetNotificationConfig();
    overrideAdapters({});
    await world.db?.close();
  });
  return world;
}

/**
 * The function's Lambda handler run with a Lambda context; imported on first use, inside a test, so after the
 * world's hooks have set the environment and adapters its module reads once at load.
 */
export function lambdaHandler<E, R>(fn: string, timeoutSeconds: number): (event: E) => Promise<R> {
  let handler: ((event: E, context: Context) => Promise<R>) | undefined;
  return async (event) => {
    if (!handler) {
      const url = pathToFileURL(resolve('functions', fn, 'handler.ts')).href;
      handler = ((await import(/* @vite-ignore */ url)) as { handler: typeof handler }).handler;
    }
    return handler!(event, createLambdaContext({ functionName: fn, timeoutSeconds }));
  };
}

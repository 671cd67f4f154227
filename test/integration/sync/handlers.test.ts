/**
 * The two handlers as Lambda calls them, with the sample events of events/sync-worker and events/sync-scheduler:
 * wiring only (adapters, middy stacks, partial batch responses), on a real database.
 */
import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { resetEnvCache } from '../../../shared/config/env.js';
import { overrideAdapters } from '../../../shared/runtime/adapters.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { StubQueue } from './harness.js';

let db: TestDatabase;
const sync = new StubQueue();
const notify = new StubQueue();
const read = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../events/${path}`, import.meta.url), 'utf8'));

beforeAll(async () => {
  db = await createTestDatabase();
  // the adapters derive a URL even when the client is overridden: point it at the test database
  process.env.DATABASE_APP_URL = db.appUrl;
  resetEnvCache();
  overrideAdapters({
    sql: db.app,
    queues: { sync, notify },
    objectStore: new MemoryObjectStore(),
    secrets: new MemorySecretStore(),
  });
});
afterAll(async () => {
  overrideAdapters({});
  delete process.env.DATABASE_APP_URL;
  resetEnvCache();
  await db?.close();
});

describe('sync-worker handler', () => {
  it('answers a mixed batch with exactly its poison messages as failures', async () => {
    const { handler } = await import('../../../functions/sync-worker/handler.js');
    const event: SQSEvent = read('sync-worker/mixed-batch.json');

    const response = await handler(
      event,
      createLambdaContext({ functionName: 'sync-worker', timeoutSeconds: 120 }),
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-not-json' }, { itemIdentifier: 'm-wrong-shape' }],
    });
  });
});

describe('sync-scheduler handler', () => {
  it('runs a tick from the Scheduler input and refuses any other input', async () => {
    const { handler } = await import('../../../functions/sync-scheduler/handler.js');
    const context = createLambdaContext({ functionName: 'sync-scheduler', timeoutSeconds: 60 });

    const result = await handler(read('sync-scheduler/tick.json'), context);

    expect(result).toMatchObject({ enqueued: { full: 0, incremental: 0 }, published: 0 });
    await expect(handler({ task: 'other' }, context)).rejects.toThrow(/invalid schedule input/);
  });
});

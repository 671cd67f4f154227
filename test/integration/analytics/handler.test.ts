import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsExportSummary } from '../../../functions/analytics-export/use-case.js';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { overrideAdapters } from '../../../shared/runtime/adapters.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { type FunnelSeed, seedFunnel } from './seed.js';

/** The deployed handler, wired as in AWS but with the adapters replaced, fed the sample Scheduler events. */

const event = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../events/analytics-export/${name}.json`, import.meta.url), 'utf8'));

let db: TestDatabase;
let seed: FunnelSeed;
let store: MemoryObjectStore;
let handler: (event: unknown, context: Context) => Promise<AnalyticsExportSummary>;
const context = () => createLambdaContext({ functionName: 'analytics-export', timeoutSeconds: 300 });

beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedFunnel(db.owner);
  store = new MemoryObjectStore();
  overrideAdapters({
    sql: db.app,
    objectStore: store,
    secrets: { get: async () => undefined, put: async () => {} },
    clock: { now: () => new Date('2024-04-01T02:15:00Z') },
  });
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  ({ handler } = (await import('../../../functions/analytics-export/handler.js')) as unknown as {
    handler: typeof handler;
  });
});

afterAll(async () => {
  overrideAdapters({});
  await db?.close();
});

describe('analytics-export handler', () => {
  it('exports every organization on the daily schedule event', async () => {
    const summary = await handler(event('daily'), context());
    expect(summary.periodTo).toBe('2024-03-31');
    expect(summary.organizations.map((o) => o.organizationId).sort()).toEqual([seed.orgA, seed.orgB].sort());
    expect(summary.counts).toEqual({ succeeded: 2, partial: 0, failed: 0 });
    expect(await store.list(`exports/${seed.orgA}/2024-03-31/`)).toHaveLength(3);
  });

  it('exports one organization for an explicit period', async () => {
    const summary = await handler({ ...event('one-organization'), organizationId: seed.orgB }, context());
    expect(summary.organizations).toHaveLength(1);
    expect(summary.organizations[0]?.prefix).toBe(`exports/${seed.orgB}/2024-03-31/from-2024-03-01/`);
  });

  it('refuses an invalid event without exporting anything', async () => {
    const before = store.puts.length;
    await expect(handler(event('invalid'), context())).rejects.toThrow(/invalid schedule input/);
    expect(store.puts.length).toBe(before);
  });
});

/**
 * The setup most reliability tests share: a migrated test database with one seeded tenant, handlers loaded with
 * in-memory adapters around the real database pool, and a logger kept quiet where failures are the scenario.
 */
import { vi } from 'vitest';
import type { Sql } from '../../../shared/db/client.js';
import { logger } from '../../../shared/observability/logger.js';
import type { AdapterOverrides } from '../../../shared/runtime/adapters.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { httpEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { loadSqsHandler, type SqsLambda } from '../../support/sqs-handler.js';

export async function seededDatabase(appMax: number): Promise<{ db: TestDatabase; graph: TenantGraph }> {
  const db = await createTestDatabase({ appMax });
  return { db, graph: await seedTenantGraph(db.owner) };
}

/** The database pool given, everything else in memory; `extra` replaces any of them. */
export function memoryAdapters(sql: Sql, extra: AdapterOverrides = {}): AdapterOverrides {
  return {
    sql,
    secrets: new MemorySecretStore(),
    objectStore: new MemoryObjectStore(),
    queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
    ...extra,
  };
}

export function loadSyncWorker(sql: Sql, extra: AdapterOverrides = {}): Promise<SqsLambda> {
  return loadSqsHandler('sync-worker', memoryAdapters(sql, extra));
}

/** Failures are the scenario: their log lines would bury the figures. Undone by vi.restoreAllMocks(). */
export function silenceLogger(...levels: ('info' | 'warn' | 'error')[]): void {
  for (const level of levels) vi.spyOn(logger, level).mockImplementation(() => {});
}

/** The portal's `POST /applications` with a JSON or raw body. */
export function portalSubmission(
  graph: TenantGraph,
  body: string | Buffer,
  headers: Record<string, string> = {},
): ReturnType<typeof httpEvent> {
  return httpEvent({
    routeKey: 'POST /applications',
    path: '/applications',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${graph.keys.portal}`, ...headers },
    body,
  });
}

/** A clock stopped at `ms` since the epoch. */
export const fixedClock = (ms: number) => ({ now: () => new Date(ms) });

/**
 * The setup most reliability tests share: a migrated test database with one seeded tenant, handlers loaded with
 * in-memory adapters around the real database pool, and a logger kept quiet where failures are the scenario.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, vi } from 'vitest';
import type { Sql } from '../../../shared/db/client.js';
import { logger } from '../../../shared/observability/logger.js';
import type { AdapterOverrides } from '../../../shared/runtime/adapters.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { httpEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, loadHandler } from '../../support/handler-harness.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { loadSqsHandler, type SqsLambda } from '../../support/sqs-handler.js';
import {
  type SignedProvider,
  seedWebhookIntegrations,
  type WebhookIntegration,
} from '../../support/webhook-signing.js';

export interface Seeded {
  db: TestDatabase;
  graph: TenantGraph;
}

export async function seededDatabase(appMax: number): Promise<Seeded> {
  const db = await createTestDatabase({ appMax });
  return { db, graph: await seedTenantGraph(db.owner) };
}

type LogLevel = 'info' | 'warn' | 'error';

/**
 * The suite's lifecycle: before all, a seeded database and whatever `prepare` builds on it, handed to `assign`
 * (the test file's own variables), with the `silence` levels kept quiet; after all, mocks restored and the
 * database closed.
 */
export function seededSuite<T extends object = object>(
  appMax: number,
  options: { silence?: LogLevel[]; prepare?: (seeded: Seeded) => Promise<T> },
  assign: (state: Seeded & T) => void,
): void {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    const seeded = await seededDatabase(appMax);
    db = seeded.db;
    silenceLogger(...(options.silence ?? []));
    assign({ ...seeded, ...((await options.prepare?.(seeded)) as T) });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await db?.close();
  });
}

/** The sync worker's real handler on a seeded database, its error and warning lines silenced. */
export function syncWorkerSuite(
  appMax: number,
  assign: (state: Seeded & { handler: SqsLambda }) => void,
): void {
  const prepare = async ({ db }: Seeded) => ({ handler: await loadSyncWorker(db.app) });
  seededSuite(appMax, { silence: ['error', 'warn'], prepare }, assign);
}

export interface WebhookIntakeState {
  secrets: MemorySecretStore;
  integrations: Record<SignedProvider, WebhookIntegration>;
  handler: HttpHandler;
}

/** The webhook-intake handler on a seeded database with one integration per signed provider. */
export function webhookIntakeSuite(
  appMax: number,
  extra: AdapterOverrides,
  assign: (state: Seeded & WebhookIntakeState) => void,
): void {
  const prepare = async ({ db, graph }: Seeded) => {
    const secrets = new MemorySecretStore();
    const integrations = await seedWebhookIntegrations(db.owner, secrets, graph.organizationId);
    const handler = await loadHandler('webhook-intake', memoryAdapters(db.app, { secrets, ...extra }));
    return { secrets, integrations, handler };
  };
  seededSuite(appMax, { prepare }, assign);
}

/** A candidate and their application at `stageIndex` of the tenant's job, inserted as the owner. */
export async function insertApplication(
  { db, graph }: Seeded,
  stageIndex: number,
  name: { first: string; last: string; emailPrefix: string },
): Promise<string> {
  const id = randomUUID();
  const candidateId = randomUUID();
  await db.owner`insert into candidates (id, organization_id, first_name, last_name, email)
    values (${candidateId}, ${graph.organizationId}, ${name.first}, ${name.last}, ${`${name.emailPrefix}-${id}@example.com`})`;
  await db.owner`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
    values (${id}, ${graph.organizationId}, ${candidateId}, ${graph.jobId}, ${graph.stageIds[stageIndex]!}, 'portal')`;
  return id;
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
export function silenceLogger(...levels: LogLevel[]): void {
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

/**
 * The handlers several parties use (submission, stage moves, reads, parties admin, messages) over one embedded
 * database with a seeded platform, employer and two partnered agencies. Shared by the parties-* tests.
 */
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.js';
import { routeEvent } from './factories.js';
import { type HttpHandler, invoke, loadHandler } from './handler-harness.js';
import { MemoryObjectStore } from './memory-object-store.js';
import { MemoryQueue } from './memory-queue.js';
import { MemorySecretStore } from './memory-secrets.js';
import { type PartyWorld, seedPartyWorld } from './parties.js';

const FUNCTIONS = {
  'POST /applications': 'portal-submission',
  'POST /applications/{id}/stage': 'stage-advance',
  'GET /applications/{id}': 'pipeline-read',
  'GET /analytics/funnel': 'pipeline-read',
  'POST /applications/{id}/status': 'stage-advance',
  'GET /applications/{id}/documents/{documentId}': 'pipeline-read',
  'GET /jobs/{jobId}/applications': 'pipeline-read',
  'GET /applications/{id}/notes': 'ats-record',
  'POST /applications/{id}/notes': 'ats-record',
  'GET /applications/{id}/scorecards': 'ats-record',
  'GET /applications/{id}/offers': 'ats-record',
  'GET /applications/{id}/interviews': 'ats-record',
  'POST /applications/{id}/interviews': 'ats-record',
  'GET /candidates/{id}': 'ats-record',
  'PATCH /candidates/{id}': 'ats-record',
  'POST /organizations': 'parties-admin',
  'POST /partnerships': 'parties-admin',
  'GET /partnerships': 'parties-admin',
  'DELETE /partnerships/{id}': 'parties-admin',
  'POST /applications/{id}/messages': 'application-messages',
  'GET /applications/{id}/messages': 'application-messages',
  'POST /messages/{id}/read': 'application-messages',
  'POST /users': 'users-admin',
} as const;
export type RouteKey = keyof typeof FUNCTIONS;

export interface PartiesApi {
  db: TestDatabase;
  world: PartyWorld;
  notify: MemoryQueue;
}

export interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/** Registers the file's hooks; the world is ready inside tests. */
export function partiesApi(options: { appMax?: number } = {}) {
  const w = {} as PartiesApi;
  const handlers = new Map<string, HttpHandler>();
  beforeAll(async () => {
    w.db = await createTestDatabase(options);
    w.world = await seedPartyWorld(w.db.owner, w.db.app);
    w.notify = new MemoryQueue();
    const overrides = {
      sql: w.db.app,
      objectStore: new MemoryObjectStore(),
      queues: { sync: new MemoryQueue(), notify: w.notify },
      secrets: new MemorySecretStore(),
    };
    for (const fn of new Set(Object.values(FUNCTIONS))) handlers.set(fn, await loadHandler(fn, overrides));
  });
  afterAll(async () => {
    await w.db?.close();
  });

  /** Calls a route with a bearer key: `call('GET /applications/{id}', key, { params: { id } })`. */
  async function call(routeKey: RouteKey, key: string, input: CallInput = {}) {
    const event = routeEvent(routeKey, {
      ...(input.params ? { params: input.params } : {}),
      ...(input.query ? { query: input.query } : {}),
      headers: {
        authorization: `Bearer ${key}`,
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(input.body === undefined ? {} : { body: input.body }),
    });
    return invoke(handlers.get(FUNCTIONS[routeKey])!, event);
  }

  /** A submission of a person (by email) to a job with an agency's (or any) portal key. */
  function submit(key: string, jobId: string, email: string) {
    return call('POST /applications', key, {
      body: { jobId, candidate: { firstName: 'Ada', lastName: 'Lovelace', email } },
    });
  }

  /** Rows of a table as the owner (no RLS): what a refused request must leave unchanged. */
  async function count(table: string) {
    const [row] = await w.db.owner<{ n: number }[]>`select count(*)::int as n from ${w.db.owner(table)}`;
    return row!.n;
  }

  return { w, call, submit, count };
}

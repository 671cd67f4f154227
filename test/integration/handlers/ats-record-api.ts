/**
 * The ats-record function's handler over an embedded database with two seeded organizations, and the rows its
 * routes read (applications, interviews, offers, notes), written as the owner. Shared by the ats-record-* tests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { insertApiKey } from '../../../shared/db/repositories/api-keys.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { routeEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadEvent, loadHandler } from '../../support/handler-harness.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

export interface RecordWorld {
  db: TestDatabase;
  graph: TenantGraph;
  /** A second organization: its ids must answer 404 to the first. */
  other: TenantGraph;
  sync: MemoryQueue;
  notify: MemoryQueue;
}

export interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/** Registers the file's hooks; the world is ready inside tests. */
export function recordWorld() {
  const w = {} as RecordWorld;
  let handler: HttpHandler;
  beforeAll(async () => {
    w.db = await createTestDatabase();
    w.graph = await seedTenantGraph(w.db.owner);
    w.other = await seedTenantGraph(w.db.owner, 'Other');
    w.sync = new MemoryQueue();
    w.notify = new MemoryQueue();
    handler = await loadHandler('ats-record', {
      sql: w.db.app,
      objectStore: new MemoryObjectStore(),
      queues: { sync: w.sync, notify: w.notify },
      secrets: new MemorySecretStore(),
    });
  });
  afterAll(async () => {
    await w.db?.close();
  });

  /** Calls a route with a bearer key: `call('GET /candidates/{id}', key, { params: { id } })`. */
  async function call(routeKey: string, key: string, input: CallInput = {}) {
    const event = routeEvent(routeKey, {
      ...(input.params ? { params: input.params } : {}),
      ...(input.query ? { query: input.query } : {}),
      headers: {
        authorization: `Bearer ${key}`,
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(input.body === undefined ? {} : { body: input.body }),
    });
    return invoke(handler, event);
  }

  /** Invokes the handler with a sample event of events/ats-record/, its `{{tokens}}` filled in. */
  async function sample(name: string, tokens: Record<string, string>) {
    return invoke(handler, loadEvent(`ats-record/${name}`, tokens));
  }

  /** A live application of a fresh candidate to the seeded job, in Screening. */
  async function application(graph: TenantGraph = w.graph): Promise<{ id: string; candidateId: string }> {
    const id = randomUUID();
    const candidateId = randomUUID();
    await w.db.owner.begin(async (tx) => {
      await tx`insert into candidates (id, organization_id, first_name, last_name, email)
        values (${candidateId}, ${graph.organizationId}, 'Grace', 'Hopper', ${`grace-${id}@example.com`})`;
      await tx`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
        values (${id}, ${graph.organizationId}, ${candidateId}, ${graph.jobId}, ${graph.stageIds[0]!}, 'portal')`;
    });
    return { id, candidateId };
  }

  /** Another key of the graph's organization. */
  async function key(role: 'ats' | 'admin', label: string, graph: TenantGraph = w.graph) {
    return insertApiKey(w.db.owner, { organizationId: graph.organizationId, role, label });
  }

  /** Counts rows of a table as the owner (no RLS): what a refused request must leave unchanged. */
  async function count(table: 'interviews' | 'scorecards' | 'notes' | 'tags' | 'candidate_tags' | 'outbox') {
    const [row] = await w.db.owner<{ n: number }[]>`select count(*)::int as n from ${w.db.owner(table)}`;
    return row!.n;
  }

  return { w, call, sample, application, key, count };
}

/** A scheduled interview of the application, made through the route. */
export const interviewBody = (overrides: Record<string, unknown> = {}) => ({
  title: 'Technical interview',
  startAt: '2026-12-10T14:00:00.000Z',
  endAt: '2026-12-10T15:00:00.000Z',
  interviewers: [{ name: 'Alan Turing', email: 'alan@example.com' }],
  ...overrides,
});

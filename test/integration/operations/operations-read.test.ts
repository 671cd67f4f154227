/**
 * The operations reads of the operator console (functions/operations-read): admin only, tenant-scoped, newest
 * first and cursor-paginated; bad filters, limits and cursors are 400s, unknown runs 404s.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { httpEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../../support/handler-harness.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { samplePayload } from '../../support/webhook-signing.js';

type Role = 'portal' | 'ats' | 'admin';

let db: TestDatabase;
let org: TenantGraph;
let other: TenantGraph;
let handler: HttpHandler;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await seedTenantGraph(db.owner, 'Operations');
  other = await seedTenantGraph(db.owner, 'Other');
  handler = await loadHandler('operations-read', {
    sql: db.app,
    queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
    secrets: new MemorySecretStore(),
  });
});

afterAll(async () => {
  await db?.close();
});

function get(
  route: string,
  options: {
    params?: Record<string, string>;
    query?: Record<string, string>;
    role?: Role;
    as?: TenantGraph;
  } = {},
) {
  const params = options.params ?? {};
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
  return invoke(
    handler,
    httpEvent({
      routeKey: `GET ${route}`,
      path,
      pathParameters: params,
      ...(options.query ? { query: options.query } : {}),
      headers: { authorization: `Bearer ${(options.as ?? org).keys[options.role ?? 'admin']}` },
    }),
  );
}

/** A run of the organization's integration, created `minutesAgo` before now. */
async function run(graph: TenantGraph, minutesAgo: number, status = 'succeeded'): Promise<string> {
  const id = randomUUID();
  await db.owner`
    insert into sync_runs (id, organization_id, integration_id, mode, status, pages_fetched, rate_limit_waits,
      rate_limit_wait_ms, records_processed, created_at)
    values (${id}, ${graph.organizationId}, ${graph.integrationId}, 'full', ${status}, 3, 2, 1500, 40,
      now() - make_interval(mins => ${minutesAgo}))`;
  return id;
}

async function runsOf(graph: TenantGraph): Promise<string[]> {
  const rows = await db.owner<{ id: string }[]>`
    select id from sync_runs where organization_id = ${graph.organizationId} order by created_at desc, id desc`;
  return rows.map((r) => r.id);
}

describe('GET /sync-runs', () => {
  it('lists the runs of the caller organization only, with their progress', async () => {
    const id = await run(org, 1);
    const res = await get('/sync-runs', { query: { limit: '200' } });
    expect([res.status, res.body.items.map((r: { id: string }) => r.id).sort()]).toEqual([
      200,
      (await runsOf(org)).sort(),
    ]);
    expect(res.body.items.find((r: { id: string }) => r.id === id)).toMatchObject({
      integrationId: org.integrationId,
      provider: 'greenhouse',
      pagesFetched: 3,
      rateLimitWaits: 2,
      rateLimitWaitMs: 1500,
      recordsProcessed: 40,
    });
  });

  it('pages newest first without gaps or repeats', async () => {
    for (const m of [10, 20, 30]) await run(org, m);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await get('/sync-runs', { query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(await runsOf(org));
  });

  it('filters by status', async () => {
    const failed = await run(org, 5, 'failed');
    const res = await get('/sync-runs', { query: { status: 'failed' } });
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([failed]);
  });

  it.each(['ats', 'portal'] as const)('refuses the %s role with 403', async (role) => {
    const res = await get('/sync-runs', { role });
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it.each([
    ['a cursor it did not hand out', { cursor: 'bm90LWEtY3Vyc29y' }],
    ['an unknown status', { status: 'exploded' }],
    ['a limit of 0', { limit: '0' }],
    ['an unknown filter', { provider: 'lever' }],
  ])('answers 400 for %s', async (_, query) => {
    const res = await get('/sync-runs', { query });
    expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('GET /sync-runs/{id}', () => {
  it('answers one run with its progress', async () => {
    const id = await run(org, 2, 'running');
    const res = await get('/sync-runs/{id}', { params: { id } });
    expect([res.status, res.body.id, res.body.status, res.body.pagesFetched]).toEqual([
      200,
      id,
      'running',
      3,
    ]);
  });

  it("answers 404 for another organization's run", async () => {
    const id = await run(other, 2);
    const res = await get('/sync-runs/{id}', { params: { id } });
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers 400 for an id that is not a uuid', async () => {
    const res = await get('/sync-runs/{id}', { params: { id: 'nope' } });
    expect(res.status).toBe(400);
  });
});

describe('GET /sync-runs/{id}/imports', () => {
  it("lists the run's import log, newest first, across pages", async () => {
    const id = await run(org, 3);
    for (const remoteId of ['r-1', 'r-2', 'r-3']) {
      await db.owner`insert into import_log (organization_id, integration_id, sync_run_id, object_type, remote_id,
          action, message)
        values (${org.organizationId}, ${org.integrationId}, ${id}, 'candidate', ${remoteId}, 'skipped', 'older')`;
    }
    const first = await get('/sync-runs/{id}/imports', { params: { id }, query: { limit: '2' } });
    const second = await get('/sync-runs/{id}/imports', {
      params: { id },
      query: { limit: '2', cursor: first.body.nextCursor },
    });
    expect([...first.body.items, ...second.body.items].map((e: { remoteId: string }) => e.remoteId)).toEqual([
      'r-3',
      'r-2',
      'r-1',
    ]);
  });

  it('answers 404 for an unknown run', async () => {
    const res = await get('/sync-runs/{id}/imports', { params: { id: randomUUID() } });
    expect(res.status).toBe(404);
  });
});

describe('GET /webhook-deliveries', () => {
  it('shows a delivery as verified, with its outcome and the change it asks for by remote id', async () => {
    await db.owner`insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256,
        event_type, payload, status, applied_at)
      values (${org.organizationId}, ${org.integrationId}, 'gh-1', 'sha-gh-1', 'candidate_stage_change',
        ${JSON.stringify(samplePayload('greenhouse'))}, 'applied', now())`;
    const res = await get('/webhook-deliveries', { query: { status: 'applied' } });
    const delivery = res.body.items[0];
    expect([res.status, delivery.deliveryId, delivery.verification, delivery.changes[0]?.kind]).toEqual([
      200,
      'gh-1',
      'verified',
      'application.stage_changed',
    ]);
  });

  it('answers 400 above 50 deliveries a page (each stored body is parsed)', async () => {
    const res = await get('/webhook-deliveries', { query: { limit: '51' } });
    expect(res.status).toBe(400);
  });

  it('lists nothing of another organization', async () => {
    const res = await get('/webhook-deliveries', { as: other, query: { limit: '50' } });
    const integrations = new Set(res.body.items.map((d: { integrationId: string }) => d.integrationId));
    expect([...integrations]).toEqual([other.integrationId]);
  });
});

describe('GET /push-log', () => {
  it('lists stage pushes, submissions and tag pushes; a pending submission is retryable', async () => {
    const res = await get('/push-log', { query: { limit: '200' } });
    const kinds = res.body.items.map((p: { kind: string; retryable: boolean }) => [p.kind, p.retryable]);
    expect(kinds.sort()).toEqual([
      ['status', false],
      ['submission', true],
      ['tags', false],
    ]);
  });

  it('marks a failed push of every kind retryable', async () => {
    await db.owner`update status_push_log set status = 'failed' where organization_id = ${other.organizationId}`;
    await db.owner`update record_pushes set status = 'failed' where organization_id = ${other.organizationId}`;

    const res = await get('/push-log', { as: other, query: { status: 'failed' } });

    const kinds = res.body.items.map((p: { kind: string; retryable: boolean }) => [p.kind, p.retryable]);
    expect(kinds.sort()).toEqual([
      ['status', true],
      ['tags', true],
    ]);
  });

  it('pages with a cursor', async () => {
    const first = await get('/push-log', { query: { limit: '1' } });
    const rest = await get('/push-log', { query: { limit: '200', cursor: first.body.nextCursor } });
    const all = await get('/push-log', { query: { limit: '200' } });
    expect([...first.body.items, ...rest.body.items]).toEqual(all.body.items);
  });
});

describe('GET /notification-deliveries', () => {
  it('lists failed deliveries across subscriptions with the subscription to redeliver through', async () => {
    const res = await get('/notification-deliveries', { query: { status: 'failed' } });
    expect(
      res.body.items.map((d: { status: string; subscriptionKind: string }) => [d.status, d.subscriptionKind]),
    ).toEqual([['failed', 'webhook']]);
    expect(res.body.items[0].subscriptionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 403 to the ats role', async () => {
    const res = await get('/notification-deliveries', { role: 'ats' });
    expect(res.status).toBe(403);
  });
});

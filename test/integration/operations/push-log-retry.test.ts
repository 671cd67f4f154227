/**
 * POST /push-log/{id}/retry (functions/stage-advance): admin only, tenant-scoped; a push that is not failed is a
 * 409 and stays as it was. The worker's side (the provider reached once) is tested with the pushes themselves:
 * test/integration/sync/status-push-retry.test.ts and test/integration/sync/records/record-push.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { httpEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../../support/handler-harness.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

let db: TestDatabase;
let org: TenantGraph;
let other: TenantGraph;
let handler: HttpHandler;
const sync = new MemoryQueue();

beforeAll(async () => {
  db = await createTestDatabase();
  org = await seedTenantGraph(db.owner, 'Retry');
  other = await seedTenantGraph(db.owner, 'Other');
  handler = await loadHandler('stage-advance', {
    sql: db.app,
    queues: { sync, notify: new MemoryQueue() },
    secrets: new MemorySecretStore(),
  });
});

afterAll(async () => {
  await db?.close();
});

const retry = (id: string, role: 'ats' | 'admin' = 'admin', as: TenantGraph = org) =>
  invoke(
    handler,
    httpEvent({
      routeKey: 'POST /push-log/{id}/retry',
      path: `/push-log/${id}/retry`,
      pathParameters: { id },
      headers: { authorization: `Bearer ${as.keys[role]}` },
    }),
  );

/** The graph's push row of a kind, set to `status`. */
async function pushRow(graph: TenantGraph, kind: 'status' | 'tags', status: string): Promise<string> {
  const [row] =
    kind === 'status'
      ? await db.owner<{ id: string }[]>`update status_push_log set status = ${status}
          where organization_id = ${graph.organizationId} returning id::text`
      : await db.owner<{ id: string }[]>`update record_pushes set status = ${status}
          where organization_id = ${graph.organizationId} and kind = 'tags' returning id::text`;
  return `${kind}:${row!.id}`;
}

const retryEvents = async () =>
  (
    await db.owner<{ payload: { kind: string } }[]>`
      select payload from outbox where organization_id = ${org.organizationId}
        and event_type = 'push.retry_requested' order by id`
  ).map((r) => r.payload.kind);

describe('POST /push-log/{id}/retry', () => {
  it('makes a failed tag push pending again and queues its retry for the sync worker', async () => {
    const id = await pushRow(org, 'tags', 'failed');

    const res = await retry(id);

    const [row] = await db.owner<{ status: string }[]>`
      select status from record_pushes where id = ${id.split(':')[1]!}::bigint`;
    const queued = sync.sent.map((m) => (JSON.parse(m.body) as { eventType: string }).eventType);
    expect([res.status, res.body, row!.status, queued.includes('push.retry_requested')]).toEqual([
      202,
      { id, kind: 'tags', status: 'pending' },
      'pending',
      true,
    ]);
  });

  it('answers 409 PUSH_NOT_FAILED to a succeeded push and changes nothing', async () => {
    const id = await pushRow(org, 'status', 'succeeded');
    const before = await retryEvents();

    const res = await retry(id);

    const [row] = await db.owner<{ status: string }[]>`
      select status from status_push_log where id = ${id.split(':')[1]!}::bigint`;
    expect([res.status, res.body.error.code, row!.status, await retryEvents()]).toEqual([
      409,
      'PUSH_NOT_FAILED',
      'succeeded',
      before,
    ]);
  });

  it('answers 409 to a submission already pushed', async () => {
    await db.owner`update submission_pushes set state = 'pushed', pushed_at = now() where application_id = ${org.applicationId}`;

    const res = await retry(`submission:${org.applicationId}`);

    expect([res.status, res.body.error.code]).toEqual([409, 'PUSH_NOT_FAILED']);
  });

  it("answers 404 to another organization's push", async () => {
    const id = await pushRow(other, 'status', 'failed');

    const res = await retry(id);

    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers 404 to an unknown push', async () => {
    const res = await retry('note:999999999');
    expect(res.status).toBe(404);
  });

  it('answers 400 to an id that is not a push log id', async () => {
    const res = await retry('stage:12');
    expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('answers 403 to the ats role', async () => {
    const id = await pushRow(org, 'status', 'failed');

    const res = await retry(id, 'ats');

    expect(res.status).toBe(403);
  });
});

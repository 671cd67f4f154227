/**
 * Provider names live in shared/providers/registry.ts, not in the schema (migration 0006): the database takes any
 * name, and the application refuses one the registry does not list at its boundary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { httpEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../../support/handler-harness.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

let db: TestDatabase;
let graph: TenantGraph;
let admin: HttpHandler;

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await seedTenantGraph(db.owner);
  admin = await loadHandler('integrations-admin', {
    sql: db.app,
    secrets: new MemorySecretStore(),
    queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
  });
});

afterAll(async () => {
  await db?.close();
});

describe('provider names', () => {
  it('are not constrained by the schema', async () => {
    const [row] = await db.owner`
      insert into integrations (organization_id, provider, secret_ref)
      values (${graph.organizationId}, 'not-yet-a-provider', 'ref') returning provider`;

    expect(row!.provider).toBe('not-yet-a-provider');
  });

  it('outside the registry are refused when an integration is connected, and nothing is stored', async () => {
    const event = httpEvent({
      routeKey: 'POST /integrations',
      path: '/integrations',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${graph.keys.admin}` },
      body: JSON.stringify({ provider: 'taleo', credentials: { apiKey: 'k' } }),
    });

    const res = await invoke(admin, event);

    expect(res.status).toBe(400);
    const rows = await db.owner`select id from integrations where provider = 'taleo'`;
    expect(rows).toHaveLength(0);
  });
});

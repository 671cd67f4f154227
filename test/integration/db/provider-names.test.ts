/**
 * Provider names live in shared/providers/registry.ts, not in the schema (migration 0006): the database takes any
 * name, and the application refuses one the registry does not list at its boundary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { httpEvent } from '../../support/factories.js';
import { type HttpHandler, invoke, loadHandler } from '../../support/handler-harness.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();
let admin: HttpHandler;

beforeAll(async () => {
  admin = await loadHandler('integrations-admin', {
    sql: seeded.db.app,
    secrets: new MemorySecretStore(),
    queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
  });
});

describe('provider names', () => {
  it('are not constrained by the schema', async () => {
    const [row] = await seeded.db.owner`
      insert into integrations (organization_id, provider, secret_ref)
      values (${seeded.graph.organizationId}, 'not-yet-a-provider', 'ref') returning provider`;

    expect(row!.provider).toBe('not-yet-a-provider');
  });

  it('outside the registry are refused when an integration is connected, and nothing is stored', async () => {
    const event = httpEvent({
      routeKey: 'POST /integrations',
      path: '/integrations',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.graph.keys.admin}` },
      body: JSON.stringify({ provider: 'taleo', credentials: { apiKey: 'k' } }),
    });

    const res = await invoke(admin, event);

    expect(res.status).toBe(400);
    const rows = await seeded.db.owner`select id from integrations where provider = 'taleo'`;
    expect(rows).toHaveLength(0);
  });
});

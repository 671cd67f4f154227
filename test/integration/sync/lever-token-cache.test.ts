/**
 * Lever's OAuth access token outlives one message: the engine opens a provider session per SQS message, and a
 * warm environment reuses the integration's token (and its refresh token) instead of refreshing for each one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerCredentialsSecret } from '../../../shared/integrations/secret-names.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { providers } from '../../../shared/providers/registry.js';
import { syncOptions } from '../../../shared/sync/options.js';
import { ProviderSession } from '../../../shared/sync/provider-session.js';
import { createControllableClock } from '../../fakes/common/controllable-clock.js';
import { startLeverFake } from '../../fakes/lever/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

let db: TestDatabase;
let graph: TenantGraph;
let fake: Awaited<ReturnType<typeof startLeverFake>>;

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await seedTenantGraph(db.owner);
  fake = await startLeverFake({
    clock: createControllableClock(Date.now()),
    refreshTokens: ['lever-refresh-0', 'lever-refresh-a', 'lever-refresh-b'],
  });
});

afterAll(async () => {
  await fake?.stop();
  await db?.close();
});

function deps(secrets: MemorySecretStore) {
  return {
    sql: db.app,
    objectStore: new MemoryObjectStore(),
    syncQueue: undefined,
    secrets,
    providers,
    clock: systemClock,
    sleep: async () => {},
    options: syncOptions(),
  };
}

/** One SQS message's worth of work: a fresh session and client, one page read. */
async function oneMessage(secrets: MemorySecretStore, integrationId: string) {
  const session = await ProviderSession.open(deps(secrets), {
    id: integrationId,
    organization_id: graph.organizationId,
    provider: 'lever',
    settings: { baseUrl: fake.url, authUrl: fake.authUrl },
    breaker_state: 'closed',
    breaker_failures: 0,
    breaker_open_until: null,
  });
  await session.call((client) =>
    client.listPage('candidate', { mode: 'full', cursor: null, pageToken: null }),
  );
}

const tokenRequests = () => fake.requests.filter((r) => r.path === '/oauth/token').length;

describe('Lever access token across messages', () => {
  it('refreshes once for three messages of one integration', async () => {
    const secrets = new MemorySecretStore();
    await secrets.put(providerCredentialsSecret(graph.integrationId), {
      clientId: 'lever-client',
      clientSecret: 'lever-client-secret',
      refreshToken: 'lever-refresh-0',
    });
    const before = tokenRequests();

    for (let message = 0; message < 3; message++) await oneMessage(secrets, graph.integrationId);

    expect(tokenRequests() - before).toBe(1);
  });

  it('keeps the tokens of two integrations apart', async () => {
    const secrets = new MemorySecretStore();
    const other = await db.owner<{ id: string }[]>`
      insert into integrations (organization_id, provider, secret_ref)
      values (${graph.organizationId}, 'lever', 'integrations/other') returning id`;
    const otherId = other[0]!.id;
    const third = await db.owner<{ id: string }[]>`
      insert into integrations (organization_id, provider, secret_ref)
      values (${graph.organizationId}, 'lever', 'integrations/third') returning id`;
    const thirdId = third[0]!.id;
    for (const [id, refreshToken] of [
      [thirdId, 'lever-refresh-a'],
      [otherId, 'lever-refresh-b'],
    ] as const) {
      await secrets.put(providerCredentialsSecret(id), {
        clientId: 'lever-client',
        clientSecret: 'lever-client-secret',
        refreshToken,
      });
    }
    await oneMessage(secrets, thirdId);
    const before = tokenRequests();

    await oneMessage(secrets, otherId);

    expect(tokenRequests() - before).toBe(1);
  });
});

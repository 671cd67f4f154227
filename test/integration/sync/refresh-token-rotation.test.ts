import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerCredentialsSecret } from '../../../shared/integrations/secret-names.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { findProvider } from '../../../shared/providers/registry.js';
import { syncOptions } from '../../../shared/sync/options.js';
import { ProviderSession } from '../../../shared/sync/provider-session.js';
import { createControllableClock } from '../../fakes/common/controllable-clock.js';
import { startLeverFake } from '../../fakes/lever/index.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { seededDatabase } from '../../support/seeded-database.js';

/** Lever refresh tokens rotate on every use: the sync must persist the new one, or the next run is locked out. */
const seeded = seededDatabase();
let fake: Awaited<ReturnType<typeof startLeverFake>>;

beforeAll(async () => {
  fake = await startLeverFake({ clock: createControllableClock(Date.now()) });
});

afterAll(async () => {
  await fake?.stop();
});

describe('Lever OAuth through the sync engine', () => {
  it('stores the rotated refresh token in the secrets store', async () => {
    const secrets = new MemorySecretStore();
    await secrets.put(providerCredentialsSecret(seeded.graph.integrationId), {
      clientId: 'lever-client',
      clientSecret: 'lever-client-secret',
      refreshToken: 'lever-refresh-0',
    });
    const session = await ProviderSession.open(
      {
        sql: seeded.db.app,
        objectStore: new MemoryObjectStore(),
        syncQueue: undefined,
        secrets,
        providers: findProvider,
        clock: systemClock,
        sleep: async () => {},
        options: syncOptions(),
      },
      {
        id: seeded.graph.integrationId,
        organization_id: seeded.graph.organizationId,
        provider: 'lever',
        settings: { baseUrl: fake.url, authUrl: fake.authUrl },
        breaker_state: 'closed',
        breaker_failures: 0,
        breaker_open_until: null,
      },
    );
    await session.call((client) =>
      client.listPage('candidate', { mode: 'full', cursor: null, pageToken: null }),
    );
    const stored = secrets.values.get(providerCredentialsSecret(seeded.graph.integrationId));
    expect(stored?.refreshToken).not.toBe('lever-refresh-0');
    expect(fake.validRefreshTokens()).toContain(stored?.refreshToken);
  });
});

/**
 * What every provider client does against its fake, whatever the provider: a dropped connection, a timeout and a
 * 5xx are transient, refused credentials are auth, and `beforeRequest` (the hub's rate limiter) is awaited before each request. Runs over the
 * fixtures of test/fakes/index.ts; each provider's own file keeps only its quirks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeSize, ProviderFixture, RunningFake } from '../../../fakes/fixture.js';
import { providerFixtures } from '../../../fakes/index.js';
import { type ClientOverrides, caught, clientWith, readPass } from '../client-harness.js';

let running: RunningFake | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(fixture: ProviderFixture, size: Partial<FakeSize> = {}) {
  running = await fixture.start({ records: 30, jobs: 2, throttled: false, ...size });
  return running;
}

const clientOf = (fixture: ProviderFixture, fake: RunningFake, overrides: ClientOverrides = {}) =>
  clientWith(
    fixture.module,
    {
      credentials: fake.credentials,
      settings: { ...fake.settings, requestTimeoutMs: 1_000 },
      clock: fake.clock,
    },
    overrides,
  );

const firstJobs = { mode: 'full', cursor: null, pageToken: null } as const;

describe.each(providerFixtures)('$name client: errors and request pacing', (fixture) => {
  it('maps credentials the provider refuses to auth', async () => {
    const fake = await start(fixture);
    const client = clientOf(fixture, fake, { credentials: fake.refused.credentials });

    const error = await caught(client.listPage('job', firstJobs));

    expect({ kind: error.kind, status: error.status }).toEqual({ kind: 'auth', status: fake.refused.status });
  });

  it('maps a dropped connection to transient', async () => {
    const fake = await start(fixture);
    fake.failNextRead({ kind: 'reset' });

    const error = await caught(clientOf(fixture, fake).listPage('job', firstJobs));

    expect(error.kind).toBe('transient');
  });

  it('maps a request that times out to transient, naming the timeout', async () => {
    const fake = await start(fixture);
    fake.failNextRead({ kind: 'timeout' });

    const error = await caught(
      clientOf(fixture, fake, { settings: { requestTimeoutMs: 150 } }).listPage('job', firstJobs),
    );

    expect({ kind: error.kind, message: error.message }).toEqual({
      kind: 'transient',
      message: 'request timed out after 150 ms',
    });
  });

  it('maps a 5xx to transient with its status', async () => {
    const fake = await start(fixture);
    fake.failNextRead({ kind: 'status', status: 502, body: 'bad gateway' });

    const error = await caught(clientOf(fixture, fake).listPage('job', firstJobs));

    expect({ kind: error.kind, status: error.status }).toEqual({ kind: 'transient', status: 502 });
  });

  it('awaits beforeRequest before every request of a pass over several pages, token calls included', async () => {
    const fake = await start(fixture, { pageSize: 10 });
    let calls = 0;
    const client = clientOf(fixture, fake, {
      beforeRequest: async () => {
        calls += 1;
      },
    });

    const pass = await readPass(client, 'application', { pageSize: 10 });

    expect(pass.pages.length).toBeGreaterThan(1);
    expect(calls).toBe(fake.requests.length);
  });
});

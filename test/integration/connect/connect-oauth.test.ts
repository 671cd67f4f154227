/** Lever through the connect page: authorization code with state and PKCE (S256), single use, nothing saved on failure. */
import '../../support/quiet-logs.js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProvider } from '../../../shared/providers/registry.js';
import { type ConnectWorld, connectWorld, consentAtLever, PUBLIC_BASE_URL } from './connect-world.js';

let world: ConnectWorld;

beforeAll(async () => {
  world = await connectWorld();
});

afterAll(async () => {
  await world?.close();
});

const connectedCount = async () => (await world.integrations()).length;

async function startLever() {
  const token = await world.newLink({ provider: 'lever' });
  return world.submit(token, { provider: 'lever' });
}

describe('Lever OAuth through the connect page', () => {
  it('sends the browser to the consent page with a state, an S256 challenge and the hub’s callback', async () => {
    const started = await startLever();

    const location = new URL(started.headers.location!);
    expect([
      started.status,
      `${location.origin}${location.pathname}`,
      location.searchParams.get('code_challenge_method'),
      location.searchParams.get('redirect_uri'),
      location.searchParams.get('state')?.length,
    ]).toEqual([
      303,
      world.lever.authorizeUrl,
      'S256',
      `${PUBLIC_BASE_URL}/connect/oauth/lever/callback`,
      43,
    ]);
  });

  it('binds the state to the browser with an HttpOnly cookie', async () => {
    const started = await startLever();

    const state = new URL(started.headers.location!).searchParams.get('state');

    expect(started.headers['set-cookie']).toMatch(
      new RegExp(`^hub_connect_state=${state}; Path=/connect/oauth/;.*HttpOnly; SameSite=Lax`),
    );
  });

  it('allows the form to lead to Lever’s consent origin in its CSP', async () => {
    const token = await world.newLink({ provider: 'lever' });

    const page = await world.open(token);

    expect(page.headers['content-security-policy']).toContain(
      `form-action 'self' ${new URL(world.lever.authorizeUrl).origin}`,
    );
  });

  it('connects Lever once consent is given, storing the rotating refresh token', async () => {
    const { query, cookie } = await consentAtLever(world, await startLever());

    const page = await world.callback(query, [cookie]);

    const [created] = (await world.integrations()).slice(-1);
    const stored = await world.secrets.get(created!.secret_ref);
    expect([
      page.status,
      created?.provider,
      world.lever.validRefreshTokens().includes(String(stored?.refreshToken)),
    ]).toEqual([201, 'lever', true]);
  });

  it('stores credentials that keep reading Lever after the access token expired, by a refresh', async () => {
    const { query, cookie } = await consentAtLever(world, await startLever());
    await world.callback(query, [cookie]);
    const [created] = (await world.integrations()).slice(-1);
    const credentials = (await world.secrets.get(created!.secret_ref))!;
    world.lever.clock.advance(3600_000 + 1);
    const client = (await loadProvider('lever')).createClient({
      credentials,
      settings: { baseUrl: world.lever.url, authUrl: world.lever.authUrl },
      clock: world.clock,
    });

    const page = await client.listPage('job', { mode: 'full', cursor: null, pageToken: null, pageSize: 1 });

    expect([
      page.records.length,
      world.lever.validRefreshTokens().includes(String(credentials.refreshToken)),
    ]).toEqual([1, false]);
  });

  it('refuses a callback whose state differs from the browser’s cookie and saves nothing', async () => {
    const { query } = await consentAtLever(world, await startLever());
    const other = await startLever();
    const before = await connectedCount();

    const page = await world.callback(query, [(other.headers['set-cookie'] ?? '').split(';')[0]!]);

    expect([page.status, page.html.includes('state mismatch'), await connectedCount()]).toEqual([
      400,
      true,
      before,
    ]);
  });

  it('refuses a state the hub never issued, even with a matching cookie', async () => {
    const { query } = await consentAtLever(world, await startLever());
    const before = await connectedCount();

    const page = await world.callback({ ...query, state: 'forged' }, ['hub_connect_state=forged']);

    expect([page.status, await connectedCount()]).toEqual([400, before]);
  });

  it('shows Lever’s refusal when the code verifier does not match the challenge, saving nothing', async () => {
    const started = await startLever();
    const state = new URL(started.headers.location!).searchParams.get('state')!;
    await world.db.owner`
      update connect_oauth_states set code_verifier = ${'x'.repeat(64)}
      where state_hash = ${createHash('sha256').update(state).digest('hex')}`;
    const { query, cookie } = await consentAtLever(world, started);
    const before = await connectedCount();

    const page = await world.callback(query, [cookie]);

    expect([
      page.status,
      page.html.includes('Failed to verify code verifier'),
      await connectedCount(),
    ]).toEqual([422, true, before]);
  });

  it('reports a declined consent and saves nothing', async () => {
    const { query, cookie } = await consentAtLever(world, await startLever(), 'deny');
    const before = await connectedCount();

    const page = await world.callback(query, [cookie]);

    expect([page.status, page.html.includes('access_denied'), await connectedCount()]).toEqual([
      400,
      true,
      before,
    ]);
  });

  it('accepts a state once: a replayed callback answers 410', async () => {
    const { query, cookie } = await consentAtLever(world, await startLever());
    await world.callback(query, [cookie]);

    const replay = await world.callback(query, [cookie]);

    expect(replay.status).toBe(410);
  });

  it('answers 410 when the consent took longer than ten minutes', async () => {
    const { query, cookie } = await consentAtLever(world, await startLever());
    world.clock.advance(10 * 60_000 + 1);

    const page = await world.callback(query, [cookie]);

    expect(page.status).toBe(410);
  });
});

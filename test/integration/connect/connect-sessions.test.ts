/** POST /connect-sessions: a one-time link valid 30 minutes; only its hash is stored; no open redirect. */
import '../../support/quiet-logs.js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, type ConnectWorld, connectWorld, PUBLIC_BASE_URL } from './connect-world.js';

let world: ConnectWorld;

beforeAll(async () => {
  world = await connectWorld();
});

afterAll(async () => {
  await world?.close();
});

const storedSessions = async () =>
  (
    await world.db.owner<{ n: number }[]>`
      select count(*)::int as n from connect_sessions where organization_id = ${world.graph.organizationId}`
  )[0]!.n;

describe('POST /connect-sessions', () => {
  it('answers a link to the hosted page of this hub, valid for 30 minutes', async () => {
    const created = await world.createSession({ provider: 'greenhouse' });

    expect([created.status, created.body.url, created.body.expiresAt]).toEqual([
      201,
      expect.stringMatching(new RegExp(`^${PUBLIC_BASE_URL}/connect/[A-Za-z0-9_-]{43}$`)),
      new Date(world.clock.nowMs() + 30 * 60_000).toISOString(),
    ]);
  });

  it('stores the SHA-256 of the token, never the token', async () => {
    const token = await world.newLink();

    const rows = await world.db.owner<{ token_hash: string }[]>`
      select token_hash from connect_sessions where token_hash = ${createHash('sha256').update(token).digest('hex')}`;

    expect(rows).toHaveLength(1);
  });

  it('returns to the console of this hub when no redirectUrl is given', async () => {
    const token = await world.newLink();

    const [row] = await world.db.owner<{ redirect_url: string }[]>`
      select redirect_url from connect_sessions
      where token_hash = ${createHash('sha256').update(token).digest('hex')}`;

    expect(row!.redirect_url).toBe(`${PUBLIC_BASE_URL}/console`);
  });

  it('accepts a redirectUrl on an allow-listed origin', async () => {
    const created = await world.createSession({ redirectUrl: `${ALLOWED_ORIGIN}/settings/ats?done=1` });

    expect(created.status).toBe(201);
  });

  it.each([
    ['another origin', 'https://evil.example.com/console'],
    ['a look-alike host', `${PUBLIC_BASE_URL}.evil.example.com/console`],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', '//evil.example.com'],
    ['credentials in the URL', `http://user:pw@127.0.0.1:3999/console`],
  ])('refuses %s as redirectUrl with 400 VALIDATION_FAILED and stores nothing', async (_, redirectUrl) => {
    const before = await storedSessions();

    const created = await world.createSession({ redirectUrl });

    expect([created.status, created.body.error.code, await storedSessions()]).toEqual([
      400,
      'VALIDATION_FAILED',
      before,
    ]);
  });

  it('refuses an unknown provider', async () => {
    const created = await world.createSession({ provider: 'taleo' });

    expect([created.status, created.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('is for admins only', async () => {
    const created = await world.createSession({}, 'ats');

    expect(created.status).toBe(403);
  });
});

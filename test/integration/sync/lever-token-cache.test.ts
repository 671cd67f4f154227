/**
 * Lever's OAuth access token outlives one message: the engine opens a provider session per SQS message, and a
 * warm environment reuses the integration's token (and its refresh token) instead of refreshing for each one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LeverFake, startLeverFake } from '../../fakes/lever/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { leverConnection } from './connections.js';
import { createWorld, runSync } from './harness.js';

let db: TestDatabase;
let fake: LeverFake;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startLeverFake({
    postings: 2,
    contacts: 30,
    refreshTokens: ['lever-refresh-a', 'lever-refresh-b'],
  });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});

/** A Lever integration on OAuth whose sync runs one page per message. */
const oauthWorld = (refreshToken: string) =>
  createWorld({
    db,
    ...leverConnection(fake, { pageSize: 10 }),
    credentials: { clientId: 'lever-client', clientSecret: 'lever-client-secret', refreshToken },
    options: { maxPagesPerInvocation: 1 },
  });

const tokenRequests = () => fake.requests.filter((r) => r.path === '/oauth/token').length;

describe('Lever access token across messages', () => {
  it('refreshes once for a sync of many messages, and once per integration', async () => {
    const first = await oauthWorld('lever-refresh-a');
    const second = await oauthWorld('lever-refresh-b');

    const one = await runSync(first, 'full');
    const afterOne = tokenRequests();
    const two = await runSync(second, 'full');

    expect([one.run.status, two.run.status]).toEqual(['succeeded', 'succeeded']);
    expect(one.outcomes.length).toBeGreaterThan(3);
    expect(afterOne).toBe(1);
    expect(tokenRequests()).toBe(2);
  });
});

/**
 * Greenhouse's access token outlives one message: the engine opens a provider session per SQS message, and a
 * warm environment reuses the token of the same client credentials until shortly before it expires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { greenhouseConnection } from './connections.js';
import { createWorld, runSync } from './harness.js';

let db: TestDatabase;
let fake: GreenhouseFake;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startGreenhouseFake({ jobs: 2, candidates: 30 });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});

/** A Greenhouse integration whose sync reads one page of 10 per message. */
const pagedWorld = () =>
  createWorld({ db, ...greenhouseConnection(fake, { perPage: 10 }), options: { maxPagesPerInvocation: 1 } });

const tokenRequests = () => fake.requests.filter((r) => r.path === '/token').length;

describe('Greenhouse access token across messages', () => {
  it('asks for one token for a sync of many messages, and another once it is about to expire', async () => {
    const w = await pagedWorld();

    const first = await runSync(w, 'full');
    const afterFirst = tokenRequests();
    fake.clock.advance(3_590_000);
    const second = await runSync(w, 'incremental');

    expect([first.run.status, second.run.status]).toEqual(['succeeded', 'succeeded']);
    expect(first.outcomes.length).toBeGreaterThan(3);
    expect(afterFirst).toBe(1);
    expect(tokenRequests()).toBe(2);
  });
});

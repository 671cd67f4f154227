/**
 * The per-integration token bucket lives in Postgres: two limiters (two Lambda environments) of one integration
 * share it, so together they never exceed the provider's pace; provider feedback blocks both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenhousePacing } from '../../../shared/providers/greenhouse/capabilities.js';
import { SharedRateLimiter } from '../../../shared/sync/rate-limiter.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { seedIntegration } from './harness.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

/** Limiters that do not sleep but note when each request would have gone out (the clock stands still). */
async function twoEnvironments() {
  const scope = await seedIntegration(db.owner, 'greenhouse', {});
  const start = Date.UTC(2026, 0, 1);
  const clock = { now: () => new Date(start) };
  const sendTimes: number[] = [];
  const make = () =>
    new SharedRateLimiter(
      {
        sql: db.app,
        clock,
        sleep: async (ms) => {
          sendTimes.push(start + ms);
        },
      },
      scope,
      greenhousePacing,
    );
  return { a: make(), b: make(), sendTimes, start, scope };
}

describe('shared rate limiter', () => {
  it('spaces the requests of two environments as one stream at the provider’s pace', async () => {
    const { a, b, sendTimes, start } = await twoEnvironments();

    for (let i = 0; i < 60; i += 1) await (i % 2 === 0 ? a : b).beforeRequest();

    // the first request goes at once; 59 waited for their own slot in one shared sequence
    const sorted = [...sendTimes].sort((x, y) => x - y);
    expect(sorted).toHaveLength(59);
    for (let i = 1; i < sorted.length; i += 1)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(200);
    const inFirstWindow = 1 + sorted.filter((t) => t < start + 10_000).length;
    expect(inFirstWindow).toBeLessThanOrEqual(50);
  });

  it('starts a later invocation at the tighter limit an earlier one learned from the provider', async () => {
    // an account allowed 20 requests per 10 s, below Greenhouse's default of 50
    const { a, b, sendTimes, start } = await twoEnvironments();
    await a.beforeRequest();
    a.onRateLimit({ limit: 20, remaining: 19 });
    await a.flush();

    for (let i = 0; i < 30; i += 1) await b.beforeRequest();

    const sorted = [...sendTimes].sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i += 1)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(500);
    expect(1 + sorted.filter((t) => t < start + 10_000).length).toBeLessThanOrEqual(20);
  });

  it('returns to the configured pace once the provider states a looser limit', async () => {
    const { a, b, sendTimes } = await twoEnvironments();
    await a.beforeRequest();
    a.onRateLimit({ limit: 20, remaining: 19 });
    await a.flush();
    a.onRateLimit({ limit: 50, remaining: 40 });
    await a.flush();
    sendTimes.length = 0;

    for (let i = 0; i < 10; i += 1) await b.beforeRequest();

    const gaps = sendTimes.slice(1).map((t, i) => t - sendTimes[i]!);
    expect(Math.max(...gaps)).toBeLessThan(300);
  });

  it('holds every environment until the time a Retry-After named', async () => {
    const { a, b, sendTimes, start } = await twoEnvironments();
    await a.beforeRequest();

    a.onRateLimit({ retryAfterSeconds: 7 });
    await a.flush();
    await b.beforeRequest();

    expect(sendTimes.at(-1)).toBeGreaterThanOrEqual(start + 7_000);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/** The local runtime throttles per key like API Gateway stage throttling: 429 RATE_LIMITED with Retry-After. */
let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime({ rateLimit: { ratePerSecond: 1, burst: 3 } });
});

afterAll(async () => {
  await t?.stop();
});

describe('throttling', () => {
  it('answers requests over the burst with 429 RATE_LIMITED and Retry-After', async () => {
    const ats = apiClient(t.runtime.baseUrl, t.runtime.credentials.organizations[0]!.keys.ats);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await ats('GET', '/jobs'));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0]!.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('throttles each key on its own', async () => {
    const portal = apiClient(t.runtime.baseUrl, t.runtime.credentials.organizations[1]!.keys.portal);
    expect((await portal('GET', '/jobs')).status).toBe(200);
  });
});

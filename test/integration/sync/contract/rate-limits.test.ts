/**
 * Provider contract, rate limits: for every provider fake with its limiter on, the hub's default pace draws no
 * refusal at all; when another client already spent the window, the hub honours the refusals and Retry-After,
 * and is refused only within that first window.
 */
import { describe, expect, it } from 'vitest';
import { liveCounts, runSync } from '../harness.js';
import { contractWorlds, finished, providerFixtures } from './world.js';

const world = contractWorlds();

describe.each(providerFixtures)('$name rate limits', (fixture) => {
  it('stays inside the provider limit at the default pace: no refusal at all', async () => {
    const { w, fake } = await world(fixture, { records: 600, pageSize: 10, throttled: true });

    const { run } = await runSync(w, 'full');

    expect(run.status).toEqual(finished);
    expect(fake.requests.length).toBeGreaterThan(120);
    expect(fake.limited()).toBe(0);
  });

  it('honours the refusals when the window was already spent: refused only in the first window', async () => {
    const { w, fake } = await world(
      fixture,
      { records: 300, pageSize: 10, throttled: true },
      fixture.paceOptions,
    );
    const windowStart = fake.clock.nowMs();
    await fake.exhaustWindow(w);
    const answers: { at: number; status: number }[] = [];
    w.deps.fetch = async (input, init) => {
      const response = await fetch(input, init);
      answers.push({ at: fake.clock.nowMs(), status: response.status });
      return response;
    };

    const { run } = await runSync(w, 'full');

    expect(run.status).toEqual(finished);
    expect(await liveCounts(w)).toEqual(fake.expected().counts);
    const refused = answers.filter((a) => a.status === fixture.window.status);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((a) => a.at >= windowStart + fixture.window.ms)).toEqual([]);
  });
});

/**
 * The token bucket's arithmetic, simulated without a database: the per-provider pace keeps every fixed window of
 * the provider at or under its limit, and a documented X-RateLimit-Limit can only slow the pace down.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greenhousePacing } from '../../../shared/providers/greenhouse/capabilities.js';
import { leverPacing } from '../../../shared/providers/lever/capabilities.js';
import { type ProviderPacing, paceForLimit } from '../../../shared/sync/rate-limit-config.js';

/** Request times of a caller that reserves a token per request and waits as the bucket says (the SQL's rule). */
function schedule(
  config: { capacity: number; refillPerSecond: number },
  requests: number,
  startMs: number,
): number[] {
  let tokens = config.capacity;
  let refilledAt = startMs;
  let now = startMs;
  const times: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    tokens = Math.min(config.capacity, tokens + ((now - refilledAt) / 1000) * config.refillPerSecond) - 1;
    refilledAt = now;
    const wait = tokens < 0 ? (-tokens / config.refillPerSecond) * 1000 : 0;
    now += wait;
    times.push(now);
  }
  return times;
}

function busiestWindow(times: number[], windowMs: number): number {
  const counts = new Map<number, number>();
  for (const t of times)
    counts.set(Math.floor(t / windowMs), (counts.get(Math.floor(t / windowMs)) ?? 0) + 1);
  return Math.max(...counts.values());
}

describe('provider pacing', () => {
  it('never puts more than 50 Greenhouse requests into one 10 s window, whatever the phase', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999 }), (phase) => {
        const times = schedule(greenhousePacing, 400, 1_700_000_000_000 + phase);
        expect(busiestWindow(times, 10_000)).toBeLessThanOrEqual(50);
      }),
    );
  });

  it('uses at least 95 % of the Greenhouse ceiling', () => {
    const times = schedule(greenhousePacing, 1_000, 0);
    const perSecond = 1_000 / ((times.at(-1)! - times[0]!) / 1000);
    expect(perSecond / 5).toBeGreaterThanOrEqual(0.95);
  });

  it('slows down to a documented limit tighter than the configuration, and never speeds up past it', () => {
    const configured: ProviderPacing = { capacity: 60, refillPerSecond: 50, limitWindowSeconds: 10 };
    expect(paceForLimit(configured, 50)).toEqual({ capacity: 1, refillPerSecond: 4.9 });
    expect(paceForLimit(greenhousePacing, 500)).toBe(greenhousePacing);
    expect(paceForLimit(leverPacing, 1)).toBe(leverPacing);
  });
});

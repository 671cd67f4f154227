import * as z from 'zod';
import type { BucketConfig } from '../db/repositories/sync-rate-limits.js';
import type { ProviderName } from '../domain/canonical.js';

/**
 * Per-provider pacing (performance.md §6, providers.md §2.4, §3.4): a refill rate just under the published
 * limit and a small burst, so no fixed window of the provider ever sees more than its limit. Providers that
 * publish no numbers get conservative defaults; `settings.rateLimit` overrides per integration.
 */
export interface ProviderPacing extends BucketConfig {
  /** The window `X-RateLimit-Limit` counts over, when the provider documents one: the header then tunes the pace. */
  limitWindowSeconds?: number;
}

/** Share of a documented limit the bucket uses, so clock skew and rounding never touch the limit itself. */
export const LIMIT_SHARE = 0.98;

export const providerBuckets: Record<ProviderName, ProviderPacing> = {
  // 50 requests per 10 s window: at most 1 + 4.9 × 10 = 50 in any window
  greenhouse: { capacity: 1, refillPerSecond: 4.9, limitWindowSeconds: 10 },
  // token bucket of 10/s steady, burst 20
  lever: { capacity: 10, refillPerSecond: 9.5 },
  // not published (unverified)
  ashby: { capacity: 3, refillPerSecond: 3 },
  // forum figures of 100–200 requests/min (unverified)
  workday: { capacity: 2, refillPerSecond: 1.5 },
  // not published; throttles with 503 + Retry-After (secondary)
  bamboohr: { capacity: 2, refillPerSecond: 2 },
};

const overrideSchema = z.object({
  requestsPerSecond: z.number().positive().max(1000),
  burst: z.number().int().min(1).max(1000).default(1),
});

export function bucketFor(provider: ProviderName, settings: Record<string, unknown>): ProviderPacing {
  const defaults = providerBuckets[provider];
  const override = overrideSchema.safeParse(settings['rateLimit']);
  if (override.success) {
    return { ...defaults, capacity: override.data.burst, refillPerSecond: override.data.requestsPerSecond };
  }
  return defaults;
}

/**
 * The pace a documented `X-RateLimit-Limit` allows (e.g. Greenhouse: per 10 s): never faster than configured,
 * never faster than the provider says. Without a documented window the header says nothing usable.
 */
export function paceForLimit(config: ProviderPacing, limit: number): BucketConfig {
  if (!config.limitWindowSeconds || !(limit > 0)) return config;
  const allowed = (limit / config.limitWindowSeconds) * LIMIT_SHARE;
  if (allowed >= config.refillPerSecond) return config;
  return { capacity: 1, refillPerSecond: allowed };
}

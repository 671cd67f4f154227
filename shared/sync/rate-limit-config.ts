import * as z from 'zod';
import type { BucketConfig } from '../db/repositories/sync-rate-limits.js';
import type { ProviderPacing } from '../ports/provider.js';
import { type ProviderName, providerPacing } from '../providers/registry.js';

export type { ProviderPacing };

/** Share of a documented limit the bucket uses, so clock skew and rounding never touch the limit itself. */
export const LIMIT_SHARE = 0.98;

const overrideSchema = z.object({
  requestsPerSecond: z.number().positive().max(1000),
  burst: z.number().int().min(1).max(1000).default(1),
});

/**
 * Per-provider pacing (docs/performance.md §6), declared by each provider next to its capabilities (providers that
 * publish no numbers get conservative defaults); `settings.rateLimit` overrides it per integration.
 */
export async function bucketFor(
  provider: ProviderName,
  settings: Record<string, unknown>,
): Promise<ProviderPacing> {
  const defaults = await providerPacing(provider);
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

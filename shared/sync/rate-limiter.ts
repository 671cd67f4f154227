import type { Sql } from 'postgres';
import { observeProviderLimit, reserveRequestSlot } from '../db/repositories/sync-rate-limits.js';
import { withTenant } from '../db/tenant.js';
import { logger } from '../observability/logger.js';
import type { Clock } from '../ports/clock.js';
import type { RateLimitObservation } from '../ports/provider.js';
import { type ProviderPacing, paceForLimit } from './rate-limit-config.js';

export interface RateLimitStats {
  requests: number;
  waits: number;
  waitMs: number;
}

/**
 * The per-integration limiter every concurrent piece of work shares, whatever environment runs it: its
 * state is a `rate_limits` row, taken with one statement per request (`beforeRequest`), and corrected by what
 * the provider reports (`onRateLimit`: X-RateLimit-Remaining/Reset, Retry-After). Waits go through the injected
 * sleeper.
 */
export class SharedRateLimiter {
  readonly stats: RateLimitStats = { requests: 0, waits: 0, waitMs: 0 };
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      sql: Sql;
      clock: Clock;
      sleep: (ms: number) => Promise<void>;
      onWait?: (ms: number) => void;
    },
    private readonly scope: { organizationId: string; integrationId: string },
    private config: ProviderPacing,
  ) {}

  /** Awaited before every provider request. */
  readonly beforeRequest = async (): Promise<void> => {
    await this.pending;
    const now = this.deps.clock.now();
    const wait = await withTenant(this.deps.sql, this.scope.organizationId, 'worker', (tx) =>
      reserveRequestSlot(tx, { ...this.scope, now, config: this.config }),
    );
    this.stats.requests += 1;
    if (wait > 0) {
      this.stats.waits += 1;
      this.stats.waitMs += wait;
      this.deps.onWait?.(wait);
      await this.deps.sleep(wait);
    }
  };

  /** Called with the rate-limit headers of every response; persisted only when they change what callers do. */
  readonly onRateLimit = (observation: RateLimitObservation): void => {
    const now = this.deps.clock.now().getTime();
    if (observation.limit !== undefined) {
      // the provider states its limit: pace by it when it is tighter than the configuration
      this.config = { ...this.config, ...paceForLimit(this.config, observation.limit) };
    }
    let capTokensAt: number | null = null;
    let blockedUntil: Date | null = null;
    if (observation.retryAfterSeconds !== undefined) {
      blockedUntil = new Date(now + Math.max(0, observation.retryAfterSeconds) * 1000);
      capTokensAt = 0;
    } else if (observation.remaining !== undefined && observation.remaining <= 0) {
      capTokensAt = 0;
      if (observation.resetAt && observation.resetAt.getTime() > now) blockedUntil = observation.resetAt;
    } else if (observation.remaining !== undefined && observation.remaining < this.config.capacity) {
      capTokensAt = observation.remaining;
    }
    if (capTokensAt === null && blockedUntil === null) return;
    const write = () =>
      withTenant(this.deps.sql, this.scope.organizationId, 'worker', (tx) =>
        observeProviderLimit(tx, { integrationId: this.scope.integrationId, capTokensAt, blockedUntil }),
      );
    this.pending = this.pending.then(write).catch((error: Error) => {
      logger.warn('rate-limit observation not stored', {
        integrationId: this.scope.integrationId,
        errorName: error.name,
      });
    });
  };

  /** Waits until every observation has been stored. */
  async flush(): Promise<void> {
    await this.pending;
  }
}

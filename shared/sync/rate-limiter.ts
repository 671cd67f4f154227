import type { Sql } from 'postgres';
import {
  type BucketConfig,
  observeProviderLimit,
  reserveRequestSlot,
  storeLearnedPace,
} from '../db/repositories/sync-rate-limits.js';
import { type Tx, withTenant } from '../db/tenant.js';
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
  /** The tighter pace the provider's limit header allows, null when it allows the configured one; undefined: not heard. */
  private learned: BucketConfig | null | undefined;

  constructor(
    private readonly deps: {
      sql: Sql;
      clock: Clock;
      sleep: (ms: number) => Promise<void>;
      onWait?: (ms: number) => void;
    },
    private readonly scope: { organizationId: string; integrationId: string },
    private readonly config: ProviderPacing,
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
    if (observation.limit !== undefined) this.learnLimit(observation.limit);
    const capacity = this.learned?.capacity ?? this.config.capacity;
    let capTokensAt: number | null = null;
    let blockedUntil: Date | null = null;
    if (observation.retryAfterSeconds !== undefined) {
      blockedUntil = new Date(now + Math.max(0, observation.retryAfterSeconds) * 1000);
      capTokensAt = 0;
    } else if (observation.remaining !== undefined && observation.remaining <= 0) {
      capTokensAt = 0;
      if (observation.resetAt && observation.resetAt.getTime() > now) blockedUntil = observation.resetAt;
    } else if (observation.remaining !== undefined && observation.remaining < capacity) {
      capTokensAt = observation.remaining;
    }
    if (capTokensAt === null && blockedUntil === null) return;
    this.store((tx) =>
      observeProviderLimit(tx, { integrationId: this.scope.integrationId, capTokensAt, blockedUntil }),
    );
  };

  /**
   * The provider states its limit: the bucket paces by it when it is tighter than the configuration, and the pace
   * is stored with the bucket so the next invocation of a long sync starts at it (and a looser limit clears it).
   */
  private learnLimit(limit: number): void {
    const pace = paceForLimit(this.config, limit);
    const learned =
      pace === this.config ? null : { capacity: pace.capacity, refillPerSecond: pace.refillPerSecond };
    const known = this.learned;
    if (
      known !== undefined &&
      known?.capacity === learned?.capacity &&
      known?.refillPerSecond === learned?.refillPerSecond
    )
      return;
    this.learned = learned;
    this.store((tx) => storeLearnedPace(tx, { integrationId: this.scope.integrationId, learned }));
  }

  /** Writes in order, after the writes before; a failed write is logged and the next one still runs. */
  private store(write: (tx: Tx) => Promise<void>): void {
    const run = () => withTenant(this.deps.sql, this.scope.organizationId, 'worker', write);
    this.pending = this.pending.then(run).catch((error: Error) => {
      logger.warn('rate-limit observation not stored', {
        integrationId: this.scope.integrationId,
        errorName: error.name,
      });
    });
  }

  /** Waits until every observation has been stored. */
  async flush(): Promise<void> {
    await this.pending;
  }
}

import type { Sql } from 'postgres';
import {
  type BreakerRow,
  readBreaker,
  recordBreakerFailure,
  recordBreakerSuccess,
} from '../db/repositories/sync-breaker.js';
import { withTenant } from '../db/tenant.js';
import type { Clock } from '../ports/clock.js';
import { ProviderError } from '../ports/provider.js';
import { BreakerOpenError } from './errors.js';
import type { SyncOptions } from './options.js';

/** Failures that say something about the provider or the connection, not about one record or guard. */
export function countsAgainstBreaker(error: unknown): boolean {
  return (
    error instanceof ProviderError &&
    (error.kind === 'transient' ||
      error.kind === 'rate_limited' ||
      error.kind === 'auth' ||
      error.kind === 'permanent')
  );
}

/**
 * A circuit breaker per integration whose state lives in the integration row, so every Lambda environment
 * sees it open and stops calling (cockatiel's breaker keeps its state in one process, which cannot do that).
 * Consecutive failed operations open it for a cooldown that doubles up to 16×; after the cooldown one probe
 * runs (half-open): success closes it, failure opens it again. Opening marks the integration unhealthy and
 * writes `integration.unhealthy` in the same statement.
 */
export class PersistentCircuitBreaker {
  private known: Pick<BreakerRow, 'breaker_state' | 'breaker_failures' | 'breaker_open_until'>;
  private readAt: number;

  constructor(
    private readonly deps: { sql: Sql; clock: Clock },
    private readonly scope: { organizationId: string; integrationId: string; provider: string },
    private readonly options: SyncOptions['breaker'],
    initial: Pick<BreakerRow, 'breaker_state' | 'breaker_failures' | 'breaker_open_until'>,
  ) {
    this.known = initial;
    this.readAt = deps.clock.now().getTime();
  }

  private tenant<T>(fn: Parameters<typeof withTenant<T>>[3]): Promise<T> {
    return withTenant(this.deps.sql, this.scope.organizationId, 'worker', fn);
  }

  /** Throws BreakerOpenError while open; re-reads the shared state every `refreshMs`. */
  async ensureCallable(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (now - this.readAt >= this.options.refreshMs) {
      const row = await this.tenant((tx) => readBreaker(tx, this.scope.integrationId));
      if (row) this.known = row;
      this.readAt = now;
    }
    const until = this.known.breaker_open_until;
    if (this.known.breaker_state === 'open' && until && until.getTime() > now)
      throw new BreakerOpenError(until);
  }

  async onSuccess(): Promise<void> {
    if (this.known.breaker_state === 'closed' && this.known.breaker_failures === 0) return;
    await this.tenant((tx) => recordBreakerSuccess(tx, this.scope.integrationId));
    this.known = { breaker_state: 'closed', breaker_failures: 0, breaker_open_until: null };
  }

  async onFailure(error: ProviderError): Promise<void> {
    const now = this.deps.clock.now();
    const row = await this.tenant((tx) =>
      recordBreakerFailure(tx, {
        integrationId: this.scope.integrationId,
        provider: this.scope.provider,
        now,
        reason: `${error.kind}${error.status ? ` ${error.status}` : ''}`,
        threshold: this.options.failureThreshold,
        cooldownMs: this.options.cooldownMs,
      }),
    );
    if (row) this.known = row;
    this.readAt = now.getTime();
  }
}

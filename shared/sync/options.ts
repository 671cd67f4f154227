/**
 * Tunables of the sync engine, with the defaults used in AWS. Tests and the CLI override some of them.
 */
export interface SyncOptions {
  /** Pages one invocation may write before handing the run to a continuation message. */
  maxPagesPerInvocation: number;
  /** Stop taking pages when less than this much Lambda time is left (plus twice the slowest page so far). */
  reserveMs: number;
  /** Requested page size; undefined: the provider's default. */
  pageSize: number | undefined;
  /** How long a lease lasts without a page commit; a piece that dies is taken over after it. */
  leaseMs: number;
  /** A run waiting for another run of the same integration asks again after this. */
  busyRetrySeconds: number;
  /** Restarts of a full pass whose page token expired before the run fails. */
  maxPassRestarts: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  /**
   * Attempts of a submission push (docs/write-back.md) before it is recorded failed. Each is one SQS delivery, so
   * the budget stays under the sync queue's maxReceiveCount and the failure is recorded before the DLQ.
   */
  pushMaxAttempts: number;
  breaker: { failureThreshold: number; cooldownMs: number; refreshMs: number };
}

export const defaultSyncOptions: SyncOptions = {
  maxPagesPerInvocation: 40,
  reserveMs: 25_000,
  pageSize: undefined,
  leaseMs: 5 * 60_000,
  busyRetrySeconds: 60,
  maxPassRestarts: 3,
  retry: { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 20_000 },
  pushMaxAttempts: 4,
  breaker: { failureThreshold: 5, cooldownMs: 60_000, refreshMs: 5_000 },
};

export function syncOptions(overrides: Partial<SyncOptions> = {}): SyncOptions {
  return {
    ...defaultSyncOptions,
    ...overrides,
    retry: { ...defaultSyncOptions.retry, ...(overrides.retry ?? {}) },
    breaker: { ...defaultSyncOptions.breaker, ...(overrides.breaker ?? {}) },
  };
}

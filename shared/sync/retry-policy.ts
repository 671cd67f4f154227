import { ExponentialBackoff, handleWhen, type RetryPolicy, retry } from 'cockatiel';
import { ProviderError } from '../ports/provider.js';
import type { SyncOptions } from './options.js';

/** Retried: throttling and transient failures. Never: auth, refused, permanent, not found, cursor errors. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && (error.kind === 'rate_limited' || error.kind === 'transient');
}

/**
 * Exponential backoff with decorrelated jitter (cockatiel's default generator). A 429's Retry-After reaches the
 * shared limiter through `onRateLimit`, so the retried request also waits at least that long.
 */
export function providerRetryPolicy(options: SyncOptions['retry']): RetryPolicy {
  return retry(
    handleWhen((error) => isRetryable(error)),
    {
      maxAttempts: options.maxAttempts,
      backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs }),
    },
  );
}

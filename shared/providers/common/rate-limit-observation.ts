/**
 * Rate-limit facts of one response, handed to the engine's limiter (`context.onRateLimit`). `Retry-After` is
 * read on 429 and 503 only (ProviderContext contract); `X-RateLimit-*` wherever a provider sends them.
 */
import type { ProviderContext, RateLimitObservation } from '../../ports/provider.js';
import type { HttpReply } from './http-call.js';
import { parseIntHeader, parseRetryAfter, parseUnixSeconds } from './retry-after.js';

/** Reports what the reply says about rate limits; returns `Retry-After` in seconds when there is one. */
export function observeRateLimit(context: ProviderContext, reply: HttpReply): number | undefined {
  const observation: RateLimitObservation = {};
  const limit = parseIntHeader(reply.headers.get('x-ratelimit-limit'));
  const remaining = parseIntHeader(reply.headers.get('x-ratelimit-remaining'));
  const resetAt = parseUnixSeconds(reply.headers.get('x-ratelimit-reset'));
  if (limit !== undefined) observation.limit = limit;
  if (remaining !== undefined) observation.remaining = remaining;
  if (resetAt !== undefined) observation.resetAt = resetAt;
  let retryAfterSeconds: number | undefined;
  if (reply.status === 429 || reply.status === 503) {
    retryAfterSeconds = parseRetryAfter(reply.headers.get('retry-after'), context.clock.now());
    if (retryAfterSeconds !== undefined) observation.retryAfterSeconds = retryAfterSeconds;
  }
  if (Object.keys(observation).length > 0) context.onRateLimit?.(observation);
  return retryAfterSeconds;
}

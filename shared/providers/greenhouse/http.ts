/**
 * Greenhouse request pipeline: Harvest v3 Bearer, one token per acting user (`sub`), refreshed once on 401; rate-limit
 * headers reported on every reply (`X-RateLimit-Limit`/`-Remaining` per 10 s window on successes; 429 carries
 * only `Retry-After` and `X-RateLimit-Reset`, docs/providers.md §2.4).
 */
import { type ProviderContext, ProviderError, type RateLimitObservation } from '../../ports/provider.js';
import { errorForStatus, type HttpReply, httpCall, replyMessage } from '../common/http-call.js';
import { parseIntHeader, parseRetryAfter, parseUnixSeconds } from '../common/retry-after.js';
import type { GreenhouseTokenSource } from './auth.js';
import type { GreenhouseCredentials } from './credentials.js';
import { v1ErrorSchema } from './schemas.js';
import type { GreenhouseSettings } from './settings.js';

export interface GreenhouseReply extends HttpReply {
  rate: RateLimitObservation;
}

export interface GreenhouseHttp {
  v3(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options?: { sub?: string; body?: unknown },
  ): Promise<GreenhouseReply>;
}

export function readRateLimit(reply: HttpReply, now: Date): RateLimitObservation {
  const observation: RateLimitObservation = {};
  const limit = parseIntHeader(reply.headers.get('x-ratelimit-limit'));
  const remaining = parseIntHeader(reply.headers.get('x-ratelimit-remaining'));
  const resetAt = parseUnixSeconds(reply.headers.get('x-ratelimit-reset'));
  const retryAfter = parseRetryAfter(reply.headers.get('retry-after'), now);
  if (limit !== undefined) observation.limit = limit;
  if (remaining !== undefined) observation.remaining = remaining;
  if (resetAt) observation.resetAt = resetAt;
  if (retryAfter !== undefined) observation.retryAfterSeconds = retryAfter;
  return observation;
}

export function createGreenhouseHttp(
  context: ProviderContext,
  credentials: GreenhouseCredentials,
  settings: GreenhouseSettings,
  tokens: GreenhouseTokenSource,
): GreenhouseHttp {
  const withRate = (reply: HttpReply): GreenhouseReply => {
    const rate = readRateLimit(reply, context.clock.now());
    if (Object.keys(rate).length > 0) context.onRateLimit?.(rate);
    return { ...reply, rate };
  };

  const bearer = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    token: string,
    body: unknown,
  ) =>
    withRate(
      await httpCall(context, {
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: settings.requestTimeoutMs,
      }),
    );

  return {
    async v3(method, url, options = {}) {
      const sub = options.sub ?? credentials.userId ?? '';
      let reply = await bearer(method, url, await tokens.token(sub), options.body);
      if (reply.status === 401) {
        reply = await bearer(method, url, await tokens.token(sub, true), options.body);
        if (reply.status === 401)
          throw new ProviderError('greenhouse: access token refused after refresh', 'auth', 401);
      }
      return reply;
    },
  };
}

/** Errors every call shares: 429 (with Retry-After), 5xx, 403 scope. Null for the caller's own cases. */
export function commonError(reply: GreenhouseReply, what: string): ProviderError | null {
  if (reply.status === 429) {
    return new ProviderError(`${what}: rate limited`, 'rate_limited', 429, reply.rate.retryAfterSeconds);
  }
  if (reply.status >= 500 || reply.status === 408) {
    return errorForStatus(reply.status, what, reply.rate.retryAfterSeconds);
  }
  if (reply.status === 403)
    return new ProviderError(`${what}: forbidden (missing scope or permission)`, 'auth', 403);
  return null;
}

/** The message of a Harvest error body (`{message, errors[]}`, schemas.ts), at most 300 characters, else the status. */
export function errorMessage(reply: HttpReply): string {
  return replyMessage(reply, (body) => {
    const parsed = v1ErrorSchema.safeParse(body);
    return parsed.success ? (parsed.data.errors?.[0]?.message ?? parsed.data.message) : null;
  });
}

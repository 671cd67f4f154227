import type { PostOutcome } from './http-client.js';

/**
 * When to try again (docs/providers.md §7's example schedule): attempt 1 at once, then 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after the previous failure; after the tenth failure the delivery is
 * `failed`. Entry n is the wait before attempt n + 1 (entry 0 is the first attempt's, i.e. none).
 */
export const RETRY_SCHEDULE_SECONDS = [
  0, 5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400,
] as const;

export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length;

/** SQS DelaySeconds maximum: longer waits are bridged by further delayed messages (or the sweep). */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** A receiver's Retry-After is honoured up to a day, the longest step of the schedule. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/** `Retry-After: <seconds>` or an HTTP date, as seconds from `now`; undefined when absent or unusable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
    seconds = Math.ceil((at - now.getTime()) / 1000);
  }
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, seconds));
}

/**
 * Seconds to wait after failed attempt number `attemptsMade` (1-based within the current schedule), or
 * null when the schedule is exhausted. A Retry-After longer than the step wins. Steps of five minutes and
 * more get up to 10 % jitter so that endpoints recovering from an outage are not hit by a wave.
 */
export function retryDelaySeconds(
  attemptsMade: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | null {
  const step = RETRY_SCHEDULE_SECONDS[attemptsMade];
  if (step === undefined) return null;
  const jittered = step >= 300 ? step + Math.floor(step * 0.1 * random()) : step;
  return retryAfterSeconds !== undefined && retryAfterSeconds > jittered ? retryAfterSeconds : jittered;
}

/** The DelaySeconds of the queue message that wakes the notifier at `at` (capped at the SQS maximum). */
export function hopDelaySeconds(now: Date, at: Date): number {
  const seconds = Math.ceil((at.getTime() - now.getTime()) / 1000);
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, seconds));
}

export type AttemptVerdict =
  | { kind: 'delivered'; statusCode: number }
  /** 410 Gone: the endpoint asks to be removed; the subscription is disabled. */
  | { kind: 'gone'; statusCode: number; error: string }
  | { kind: 'retry'; statusCode: number | null; error: string; retryAfterSeconds: number | undefined };

/** What an attempt's outcome means (§7): any 2xx succeeds; 3xx is a failure (never followed); 410 disables. */
export function judgeOutcome(outcome: PostOutcome, now: Date, timeoutMs: number): AttemptVerdict {
  switch (outcome.kind) {
    case 'response': {
      const { status } = outcome;
      if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
      if (status === 410)
        return {
          kind: 'gone',
          statusCode: status,
          error: 'endpoint answered 410 Gone; subscription disabled',
        };
      const error =
        status >= 300 && status < 400 ? `HTTP ${status}: redirect not followed` : `HTTP ${status}`;
      return {
        kind: 'retry',
        statusCode: status,
        error,
        retryAfterSeconds: parseRetryAfter(outcome.retryAfter, now),
      };
    }
    case 'timeout':
      return {
        kind: 'retry',
        statusCode: null,
        error: `timed out after ${timeoutMs} ms`,
        retryAfterSeconds: undefined,
      };
    case 'blocked':
      return {
        kind: 'retry',
        statusCode: null,
        error: `refused: ${outcome.reason}${outcome.addressClass ? ` (${outcome.addressClass})` : ''}`,
        retryAfterSeconds: undefined,
      };
    case 'error':
      return {
        kind: 'retry',
        statusCode: null,
        error: `network error: ${outcome.code}`,
        retryAfterSeconds: undefined,
      };
  }
}

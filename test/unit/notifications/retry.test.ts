import { describe, expect, it } from 'vitest';
import {
  hopDelaySeconds,
  judgeOutcome,
  MAX_ATTEMPTS,
  parseRetryAfter,
  RETRY_SCHEDULE_SECONDS,
  retryDelaySeconds,
} from '../../../shared/notifications/retry.js';

const now = new Date('2026-03-02T09:15:00.000Z');
const noJitter = () => 0;

describe('retry schedule', () => {
  it('is §7’s example: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h', () => {
    expect(RETRY_SCHEDULE_SECONDS).toEqual([0, 5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400]);
    expect(MAX_ATTEMPTS).toBe(10);
  });

  it('waits the next step after each failure and gives up after the tenth attempt', () => {
    const waits = Array.from({ length: 10 }, (_, i) => retryDelaySeconds(i + 1, undefined, noJitter));
    expect(waits).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400, null]);
  });

  it('adds at most 10 % jitter to steps of five minutes and more, none to 5 s', () => {
    expect(retryDelaySeconds(1, undefined, () => 0.999)).toBe(5);
    expect(retryDelaySeconds(2, undefined, () => 0.999)).toBe(329);
    expect(retryDelaySeconds(9, undefined, () => 0.5)).toBe(86_400 + 4320);
  });

  it('honours a Retry-After longer than the step, never a shorter one', () => {
    expect(retryDelaySeconds(1, 120, noJitter)).toBe(120);
    expect(retryDelaySeconds(3, 120, noJitter)).toBe(1800);
    expect(retryDelaySeconds(10, 120, noJitter)).toBeNull();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, caps at a day, ignores garbage', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:20:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(86_400);
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('2026', now)).toBe(2026);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('hop delays', () => {
  it('wakes at the due time when it is within 15 minutes, else after 900 s', () => {
    expect(hopDelaySeconds(now, new Date(now.getTime() + 5000))).toBe(5);
    expect(hopDelaySeconds(now, new Date(now.getTime() + 4500))).toBe(5);
    expect(hopDelaySeconds(now, new Date(now.getTime() + 7_200_000))).toBe(900);
    expect(hopDelaySeconds(now, new Date(now.getTime() - 1000))).toBe(0);
  });
});

describe('judgeOutcome', () => {
  const response = (status: number, retryAfter?: string) => ({
    kind: 'response' as const,
    status,
    retryAfter,
  });

  it('counts any 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204, 299])
      expect(judgeOutcome(response(status), now, 1000).kind).toBe('delivered');
  });

  it('counts 3xx as a failure (redirects are not followed) and retries', () => {
    for (const status of [301, 302, 307, 308]) {
      expect(judgeOutcome(response(status), now, 1000)).toMatchObject({
        kind: 'retry',
        statusCode: status,
        error: expect.stringMatching(/redirect/),
      });
    }
  });

  it('treats 410 as gone and everything else as retryable', () => {
    expect(judgeOutcome(response(410), now, 1000).kind).toBe('gone');
    for (const status of [400, 401, 404, 413, 429, 500, 502, 503, 504]) {
      expect(judgeOutcome(response(status), now, 1000).kind).toBe('retry');
    }
  });

  it('passes Retry-After on', () => {
    expect(judgeOutcome(response(429, '120'), now, 1000)).toMatchObject({
      kind: 'retry',
      retryAfterSeconds: 120,
    });
    expect(judgeOutcome(response(503, '30'), now, 1000)).toMatchObject({
      kind: 'retry',
      retryAfterSeconds: 30,
    });
  });

  it('retries timeouts, refusals and network errors without a status code', () => {
    expect(judgeOutcome({ kind: 'timeout' }, now, 1500)).toEqual({
      kind: 'retry',
      statusCode: null,
      error: 'timed out after 1500 ms',
      retryAfterSeconds: undefined,
    });
    expect(
      judgeOutcome(
        { kind: 'blocked', reason: 'destination address not allowed', addressClass: 'private' },
        now,
        1,
      ),
    ).toMatchObject({
      kind: 'retry',
      error: 'refused: destination address not allowed (private)',
    });
    expect(judgeOutcome({ kind: 'error', code: 'ECONNREFUSED' }, now, 1)).toMatchObject({
      kind: 'retry',
      error: 'network error: ECONNREFUSED',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatDuration,
  formatPercent,
  healthSummary,
  pushRetryPath,
  pushSubject,
  runElapsed,
  runProgressLine,
  toneOf,
} from '../../../console/src/format.js';

describe('console formatting', () => {
  it.each([
    [850, '850 ms'],
    [12_340, '12.3 s'],
    [245_000, '4 min 05 s'],
    [7_380_000, '2 h 03 min'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [0.25, '25%'],
    [0.12345, '12.3%'],
    [null, '—'],
  ])('writes the ratio %s as %s', (ratio, text) => {
    expect(formatPercent(ratio)).toBe(text);
  });

  it('writes a recent instant relative to now and an old one as its UTC time', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    expect([
      formatAgo('2026-12-04T11:59:30Z', now),
      formatAgo('2026-12-04T11:57:00Z', now),
      formatAgo('2026-12-01T08:30:00Z', now),
    ]).toEqual(['30 s ago', '3 min ago', '2026-12-01 08:30 UTC']);
  });

  it('sums up a run: records, pages and the rate-limit waits with their time', () => {
    expect(
      runProgressLine({ recordsProcessed: 1204, pagesFetched: 13, rateLimitWaits: 2, rateLimitWaitMs: 3500 }),
    ).toBe('1,204 records · 13 pages · 2 rate-limit waits (3.5 s)');
  });

  it('counts a running run up to now and a finished one up to its end', () => {
    const now = new Date('2026-12-04T12:00:10Z');
    expect([
      runElapsed({ startedAt: '2026-12-04T12:00:00Z', completedAt: null }, now),
      runElapsed({ startedAt: '2026-12-04T12:00:00Z', completedAt: '2026-12-04T12:00:02Z' }, now),
      runElapsed({ startedAt: null, completedAt: null }, now),
    ]).toEqual(['10 s', '2 s', 'not started']);
  });

  it("names an unhealthy integration's reason from the circuit breaker", () => {
    expect(
      healthSummary('unhealthy', { breaker: { state: 'open', lastFailure: 'provider answered 401' } }),
    ).toBe('Unhealthy: provider answered 401');
  });

  it('gives failures the bad tone and unknown words the neutral one', () => {
    expect([toneOf('failed'), toneOf('succeeded'), toneOf('whatever')]).toEqual(['bad', 'good', 'neutral']);
  });
});

describe('push log retry', () => {
  it('puts an entry id in the path as the log hands it out', () => {
    expect(pushRetryPath('note:42')).toBe('/push-log/note:42/retry');
  });

  it('encodes an id that could leave its path segment', () => {
    expect(pushRetryPath('note:1/../x')).toBe('/push-log/note%3A1%2F..%2Fx/retry');
  });

  it('names a note push by its candidate', () => {
    expect(pushSubject({ kind: 'note', applicationId: null, candidateId: 'c-1' })).toBe(
      'note push of candidate c-1',
    );
  });

  it('names a status push by its application', () => {
    expect(pushSubject({ kind: 'status', applicationId: 'a-1', candidateId: null })).toBe(
      'stage or status push of application a-1',
    );
  });
});

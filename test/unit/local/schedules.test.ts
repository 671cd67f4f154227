import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalSchedules, type ScheduleHandler } from '../../../infra/local/schedules.js';
import { functionByName } from '../../../infra/topology.js';

/** The topology's own tick schedule: one function with one schedule trigger. */
const tickFn = functionByName('sync-scheduler');

interface Call {
  event: Record<string, unknown>;
  context: Context;
}

type TestHandler = (event: Record<string, unknown>, context: Context) => Promise<unknown>;

function schedulesWith(handler: TestHandler, extra: { onError?: (e: unknown) => void } = {}) {
  const calls: Call[] = [];
  const handlerFor = vi.fn(async () => {
    const wrapped: ScheduleHandler = async (event: Record<string, unknown>, context: Context) => {
      calls.push({ event: structuredClone(event), context });
      return handler(event, context);
    };
    return wrapped;
  });
  const schedules = new LocalSchedules({ functions: [tickFn], handlerFor, ...extra });
  return { schedules, calls, handlerFor };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LocalSchedules', () => {
  it('lists every schedule of the topology with its local interval and function', () => {
    const schedules = new LocalSchedules({ handlerFor: async () => async () => undefined });

    expect(schedules.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'sync-tick', functionName: 'sync-scheduler', everySeconds: 15 }),
        expect.objectContaining({
          name: 'analytics-daily',
          functionName: 'analytics-export',
          everySeconds: 86_400,
        }),
      ]),
    );
  });

  it('invokes the function every localEverySeconds with the schedule input as the event', async () => {
    const { schedules, calls } = schedulesWith(async () => undefined);
    schedules.start();

    await vi.advanceTimersByTimeAsync(14_999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1 + 2 * 15_000);

    expect(calls.map((c) => c.event)).toEqual([{ task: 'tick' }, { task: 'tick' }, { task: 'tick' }]);
    await schedules.stop();
  });

  it('passes a copy of the input, so a handler that changes its event does not change the next one', async () => {
    const { schedules, calls } = schedulesWith(async (event) => {
      event.task = 'changed';
    });

    await schedules.runNow('sync-tick');
    await schedules.runNow('sync-tick');

    expect(calls[1]?.event).toEqual({ task: 'tick' });
    expect(tickFn.triggers[0]).toMatchObject({ input: { task: 'tick' } });
  });

  it('gives the handler a Lambda context of its function', async () => {
    const { schedules, calls } = schedulesWith(async () => undefined);

    await schedules.runNow('sync-tick');

    const context = calls[0]?.context;
    expect(context?.functionName).toBe('sync-scheduler');
    expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(60_000);
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(59_000);
  });

  it('runs a schedule now on request and resolves to its result', async () => {
    const { schedules } = schedulesWith(async () => ({ published: 3 }));

    await expect(schedules.runNow('sync-tick')).resolves.toEqual({ published: 3 });
  });

  it('refuses to run a schedule that does not exist', () => {
    const { schedules } = schedulesWith(async () => undefined);

    expect(() => schedules.runNow('nope')).toThrow(/no schedule named nope/);
  });

  it('skips a tick while the previous timer run is still busy', async () => {
    let release: () => void = () => undefined;
    const { schedules, calls } = schedulesWith(
      () =>
        new Promise<undefined>((resolve) => {
          release = () => resolve(undefined);
        }),
    );
    schedules.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(1);
    expect(schedules.stats('sync-tick').skipped).toBe(1);

    release();
    await vi.advanceTimersByTimeAsync(15_000);

    expect(calls).toHaveLength(2);
    release();
    await schedules.stop();
  });

  it('reports a failing run to onError and keeps ticking', async () => {
    const errors: unknown[] = [];
    const { schedules, calls } = schedulesWith(
      async () => {
        throw new Error('db down');
      },
      { onError: (e) => errors.push(e) },
    );
    schedules.start();

    await vi.advanceTimersByTimeAsync(30_000);

    expect(calls).toHaveLength(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['db down', 'db down']);
    await schedules.stop();
  });

  it('runs nothing more after stop', async () => {
    const { schedules, calls } = schedulesWith(async () => undefined);
    schedules.start();
    await vi.advanceTimersByTimeAsync(15_000);

    await schedules.stop();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(calls).toHaveLength(1);
  });

  it('loads the handler of a function once, however many runs', async () => {
    const { schedules, handlerFor } = schedulesWith(async () => undefined);

    await schedules.runNow('sync-tick');
    await schedules.runNow('sync-tick');
    await schedules.runNow('sync-tick');

    expect(handlerFor).toHaveBeenCalledTimes(1);
  });
});

/**
 * A clock the test moves by hand, shared by a fake and (when a test wants) the client under test, so token
 * expiry, cursor expiry, rate windows and retry schedules run in compressed time with no real sleeping.
 */
export interface ControllableClock {
  now(): Date;
  nowMs(): number;
  advance(ms: number): void;
  set(at: Date | number): void;
}

export function createControllableClock(
  start: Date | number = Date.UTC(2026, 0, 15, 12, 0, 0),
): ControllableClock {
  let current = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => new Date(current),
    nowMs: () => current,
    advance(ms) {
      if (ms < 0) throw new Error('a controllable clock only moves forward');
      current += ms;
    },
    set(at) {
      current = typeof at === 'number' ? at : at.getTime();
    },
  };
}

/**
 * A clock that follows wall time and can still be moved by hand (`advance`/`set` shift it): for a fake whose
 * limits must refill while a real process (the local runtime) talks to it, which a frozen clock never does.
 */
export function createWallClock(start: Date | number = Date.now()): ControllableClock {
  let offset = (typeof start === 'number' ? start : start.getTime()) - Date.now();
  const nowMs = () => Date.now() + offset;
  return {
    now: () => new Date(nowMs()),
    nowMs,
    advance(ms) {
      if (ms < 0) throw new Error('a controllable clock only moves forward');
      offset += ms;
    },
    set(at) {
      offset = (typeof at === 'number' ? at : at.getTime()) - Date.now();
    },
  };
}

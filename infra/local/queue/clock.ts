/**
 * Time for the local queue and its tests: `now()` in epoch milliseconds plus one-shot timers.
 * `systemClock` is real time; `ManualClock` only moves when a test advances it.
 */
export interface QueueClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: QueueClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface ManualTimer {
  id: number;
  at: number;
  callback: () => void;
}

/** Lets pending promise callbacks run (several macrotask turns, so chains of awaits settle too). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that stands still until `advance`/`advanceToNextTimer` is called. Due timers fire in time
 * order, each at its own instant, and asynchronous work they start is allowed to settle before the
 * next one fires.
 */
export class ManualClock implements QueueClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(start: number = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** The instant of the earliest pending timer, if any. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers.values()) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const due = this.earliestDue(target);
      if (!due) break;
      this.timers.delete(due.id);
      this.current = Math.max(this.current, due.at);
      due.callback();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  /** Jumps to the earliest pending timer and fires it (and any due at the same instant). */
  async advanceToNextTimer(): Promise<boolean> {
    const next = this.nextTimerAt();
    if (next === undefined) return false;
    await this.advance(Math.max(0, next - this.current));
    return true;
  }

  private earliestDue(target: number): ManualTimer | undefined {
    let due: ManualTimer | undefined;
    for (const t of this.timers.values()) {
      if (t.at <= target && (!due || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
    }
    return due;
  }
}

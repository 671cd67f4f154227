import type { Context } from 'aws-lambda';
import { type FunctionSpec, type ScheduleTrigger, functions as topologyFunctions } from '../topology.js';
import { contextForFunction } from './lambda-context.js';

/**
 * Schedule triggers of the topology, run locally on timers. EventBridge Scheduler invokes the target
 * Lambda with the schedule's `Input` JSON as the event (no envelope), so the handler receives a copy of
 * `trigger.input`, every `localEverySeconds`. A tick that finds the previous run of the same schedule
 * still busy is skipped (and counted), so a slow local database cannot pile runs up; `runNow` always
 * invokes. Handler errors of timer runs go to `onError`; `runNow` rejects with them.
 */
export type ScheduleEvent = Record<string, unknown>;
/**
 * Any Lambda handler. The event parameter is `never` so that handlers typed for their own event shape
 * (e.g. `{ task: 'tick' }`) are accepted; they receive a copy of the schedule's input.
 */
export type ScheduleHandler = (event: never, context: Context) => Promise<unknown>;

export interface ScheduleTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ScheduleEntry {
  name: string;
  functionName: string;
  expression: string;
  everySeconds: number;
  input: Record<string, unknown>;
}

export interface LocalSchedulesOptions {
  /** The handler of a function (may import it lazily); resolved once per function. */
  handlerFor: (fn: FunctionSpec) => ScheduleHandler | Promise<ScheduleHandler>;
  /** Defaults to the topology's functions. */
  functions?: readonly FunctionSpec[];
  /** Defaults to the global setInterval/clearInterval (vitest fake timers work with those). */
  timers?: ScheduleTimers;
  /** Interval override, e.g. to run every schedule faster in a demo. Defaults to localEverySeconds. */
  everySeconds?: (trigger: ScheduleTrigger, fn: FunctionSpec) => number;
  contextFor?: (fn: FunctionSpec) => Context;
  onError?: (error: unknown, entry: ScheduleEntry) => void;
}

const defaultTimers: ScheduleTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

interface Slot {
  entry: ScheduleEntry;
  fn: FunctionSpec;
  timer: unknown;
  running: Set<Promise<unknown>>;
  timerRunning: boolean;
  runs: number;
  skipped: number;
}

export class LocalSchedules {
  private readonly slots = new Map<string, Slot>();
  private readonly handlers = new Map<string, Promise<ScheduleHandler>>();
  private readonly timers: ScheduleTimers;
  private started = false;

  constructor(private readonly options: LocalSchedulesOptions) {
    this.timers = options.timers ?? defaultTimers;
    for (const fn of options.functions ?? topologyFunctions) {
      for (const trigger of fn.triggers) {
        if (trigger.type !== 'schedule') continue;
        if (this.slots.has(trigger.name)) throw new Error(`schedule ${trigger.name} is defined twice`);
        const everySeconds = options.everySeconds?.(trigger, fn) ?? trigger.localEverySeconds;
        if (!(everySeconds > 0)) throw new Error(`schedule ${trigger.name} needs an interval > 0`);
        this.slots.set(trigger.name, {
          entry: {
            name: trigger.name,
            functionName: fn.name,
            expression: trigger.expression,
            everySeconds,
            input: trigger.input,
          },
          fn,
          timer: undefined,
          running: new Set(),
          timerRunning: false,
          runs: 0,
          skipped: 0,
        });
      }
    }
  }

  get entries(): ScheduleEntry[] {
    return [...this.slots.values()].map((s) => s.entry);
  }

  /** Runs and skipped ticks per schedule. */
  stats(name: string): { runs: number; skipped: number; running: number } {
    const slot = this.slot(name);
    return { runs: slot.runs, skipped: slot.skipped, running: slot.running.size };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const slot of this.slots.values()) {
      slot.timer = this.timers.setInterval(() => this.tick(slot), slot.entry.everySeconds * 1000);
    }
  }

  /** Invokes the schedule's function once now, with the schedule's input; resolves to its result. */
  runNow(name: string): Promise<unknown> {
    return this.invoke(this.slot(name));
  }

  /** Clears the timers and waits for runs under way. */
  async stop(): Promise<void> {
    this.started = false;
    for (const slot of this.slots.values()) {
      if (slot.timer !== undefined) this.timers.clearInterval(slot.timer);
      slot.timer = undefined;
    }
    const pending = [...this.slots.values()].flatMap((s) => [...s.running]);
    await Promise.allSettled(pending);
  }

  private slot(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no schedule named ${name}`);
    return slot;
  }

  private tick(slot: Slot): void {
    if (!this.started) return;
    if (slot.timerRunning) {
      slot.skipped += 1;
      return;
    }
    slot.timerRunning = true;
    this.invoke(slot)
      .catch((error: unknown) => this.reportError(error, slot.entry))
      .finally(() => {
        slot.timerRunning = false;
      });
  }

  private reportError(error: unknown, entry: ScheduleEntry): void {
    if (this.options.onError) this.options.onError(error, entry);
    else console.error(`schedule ${entry.name} (${entry.functionName}) failed`, error);
  }

  private handler(fn: FunctionSpec): Promise<ScheduleHandler> {
    let handler = this.handlers.get(fn.name);
    if (!handler) {
      handler = Promise.resolve().then(() => this.options.handlerFor(fn));
      handler.catch(() => this.handlers.delete(fn.name));
      this.handlers.set(fn.name, handler);
    }
    return handler;
  }

  private invoke(slot: Slot): Promise<unknown> {
    slot.runs += 1;
    const run = (async () => {
      const handler = await this.handler(slot.fn);
      const event: ScheduleEvent = structuredClone(slot.entry.input);
      const context = this.options.contextFor?.(slot.fn) ?? contextForFunction(slot.fn);
      return handler(event as never, context);
    })();
    slot.running.add(run);
    const forget = () => slot.running.delete(run);
    run.then(forget, forget);
    return run;
  }
}

/**
 * Where a side's time went on the cores, from Linux's per-thread scheduler statistics
 * (/proc/<pid>/task/<tid>/schedstat: nanoseconds on a core, nanoseconds runnable but waiting for one). CPU time
 * alone cannot say whether a request waited because a core was busy; the wait column can. Threads are sampled
 * every 100 ms while the phase runs (the counters are cumulative from a thread's birth, so one found late loses
 * nothing), and backends and pgbench, which exit before the phase ends, are counted up to their last sample.
 * Used by B1 and B8s to split a ratio into what a unit costs the cores and how busy each side kept them;
 * undefined without /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { accounted, type CpuAccount } from './cpu-account.js';
import { median } from './harness.js';

/** The groups of processes a bench tells apart. */
export type SchedGroup = 'mainThread' | 'otherThreads' | 'children' | 'server';

type Totals = Record<SchedGroup, { cpuMs: number; waitMs: number }>;

// a thread that exits between samples loses at most this much; reading costs CPU on the measured thread
const SAMPLE_MS = 100;
/** New processes (pgbench and its backends) are looked for once every this many samples. */
const SCAN_EVERY = 5;

/** A thread's (or a process's main thread's) ms on a core and ms waiting for one, so far; undefined if gone. */
export function readSchedstat(path: string): { cpuMs: number; waitMs: number } | undefined {
  try {
    const [cpu, wait] = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number);
    return { cpuMs: cpu! / 1e6, waitMs: wait! / 1e6 };
  } catch {
    return undefined;
  }
}

const schedstat = (pid: number, tid: string) => readSchedstat(`/proc/${pid}/task/${tid}/schedstat`);

function tasks(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** The processes `pid` started (Linux's per-thread `children` list, so no scan of all of /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const tid of tasks(pid)) {
    try {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) found.push(...list.split(' ').map(Number));
    } catch {
      // the thread ended meanwhile
    }
  }
  return found;
}

/** Every live thread, grouped: this process's, its children's (pgbench, the AWS endpoint), the server's. */
function groupedThreads(postmaster: number | undefined): Map<string, SchedGroup> {
  const self = process.pid;
  const found = new Map<string, SchedGroup>();
  const add = (pid: number, group: SchedGroup) => {
    for (const tid of tasks(pid)) found.set(`${pid}/${tid}`, group);
  };
  for (const tid of tasks(self))
    found.set(`${self}/${tid}`, tid === String(self) ? 'mainThread' : 'otherThreads');
  for (const child of childrenOf(self)) add(child, 'children');
  if (postmaster !== undefined) {
    add(postmaster, 'server');
    for (const backend of childrenOf(postmaster)) add(backend, 'server');
  }
  return found;
}

export interface SchedAccount {
  /** Per unit of work, ms: on a core, and runnable but waiting for a core. */
  perUnit: Totals;
}

/**
 * Runs `fn` while sampling the scheduler statistics of this process, its children and the server, and returns
 * each group's time on a core and waiting for one, per unit of work that `fn` reports.
 */
export async function scheduled<T>(
  postmaster: number | undefined,
  fn: () => Promise<T>,
  units: (value: T) => number,
): Promise<{ value: T; sched: SchedAccount | undefined }> {
  if (schedstat(process.pid, String(process.pid)) === undefined)
    return { value: await fn(), sched: undefined };
  // first and last reading of every thread seen; a thread born during the phase starts from zero
  type Reading = { cpuMs: number; waitMs: number };
  const first = new Map<string, Reading>();
  const last = new Map<string, { group: SchedGroup; value: Reading }>();
  let known = groupedThreads(postmaster);
  let samples = 0;
  const sample = (baseline: boolean) => {
    if (++samples % SCAN_EVERY === 0) known = groupedThreads(postmaster);
    for (const [key, group] of known) {
      const [pid, tid] = key.split('/');
      const value = schedstat(Number(pid), tid!);
      if (!value) continue;
      if (!first.has(key)) first.set(key, baseline ? value : { cpuMs: 0, waitMs: 0 });
      last.set(key, { group, value });
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), SAMPLE_MS);
  let value: T;
  try {
    value = await fn();
  } finally {
    clearInterval(timer);
  }
  sample(false);
  const n = Math.max(1, units(value));
  const totals: Totals = {
    mainThread: { cpuMs: 0, waitMs: 0 },
    otherThreads: { cpuMs: 0, waitMs: 0 },
    children: { cpuMs: 0, waitMs: 0 },
    server: { cpuMs: 0, waitMs: 0 },
  };
  for (const [key, { group, value: end }] of last) {
    const start = first.get(key)!;
    totals[group].cpuMs += (end.cpuMs - start.cpuMs) / n;
    totals[group].waitMs += (end.waitMs - start.waitMs) / n;
  }
  return { value, sched: { perUnit: totals } };
}

/** One line: each group's ms on a core and ms waiting for one, per unit. */
export function describeSched(sched: SchedAccount | undefined, unit: string): string {
  if (!sched) return 'scheduler statistics n/a';
  const names: Record<SchedGroup, string> = {
    mainThread: 'main thread',
    otherThreads: 'other threads',
    children: 'child processes',
    server: 'server',
  };
  const parts = (Object.keys(names) as SchedGroup[]).map((g) => {
    const t = sched.perUnit[g];
    return `${names[g]} ${t.cpuMs.toFixed(2)} on a core + ${t.waitMs.toFixed(2)} waiting`;
  });
  return `per ${unit}, ms: ${parts.join(', ')}`;
}

const GROUPS: readonly SchedGroup[] = ['mainThread', 'otherThreads', 'children', 'server'];

/** The median of each group's figures over several runs (undefined when none was measured). */
export function medianSched(accounts: readonly (SchedAccount | undefined)[]): SchedAccount | undefined {
  const known = accounts.filter((a): a is SchedAccount => a !== undefined);
  if (known.length === 0) return undefined;
  const perUnit = Object.fromEntries(
    GROUPS.map((g) => [
      g,
      {
        cpuMs: median(known.map((a) => a.perUnit[g].cpuMs)),
        waitMs: median(known.map((a) => a.perUnit[g].waitMs)),
      },
    ]),
  ) as Totals;
  return { perUnit };
}

/** CPU on the machine's cores per unit, every group together, ms. */
export const machineCpuMs = (a: SchedAccount) => GROUPS.reduce((sum, g) => sum + a.perUnit[g].cpuMs, 0);

/**
 * A throughput ratio as the product of two measured factors: hub ÷ reference = (reference CPU per unit ÷ hub
 * CPU per unit) × (the share of the cores the hub kept busy ÷ the reference's). The first is what each unit
 * costs the cores; the second is how fully each side's clients kept the cores working. An identity, so the
 * factors multiply back to the measured ratio (up to the medians).
 */
export function ratioFactors(input: {
  cores: number;
  hub: { perSecond: number; sched: SchedAccount };
  reference: { perSecond: number; sched: SchedAccount };
}) {
  const hubCpu = machineCpuMs(input.hub.sched);
  const refCpu = machineCpuMs(input.reference.sched);
  const use = (perSecond: number, cpuMs: number) => (perSecond * cpuMs) / (input.cores * 1000);
  const hubUse = use(input.hub.perSecond, hubCpu);
  const refUse = use(input.reference.perSecond, refCpu);
  return { hubCpu, refCpu, cost: refCpu / hubCpu, hubUse, refUse, utilization: hubUse / refUse };
}

/** Each side's runs: their rates and the scheduler account of each run. */
export interface SideRuns {
  perSecond: readonly number[];
  sched: readonly (SchedAccount | undefined)[];
  /** What this side's child processes are (pgbench; the local AWS endpoint). */
  children: string;
}

/** One line: the CPU split of each side (medians over the runs) and the two factors of the ratio. */
export function describeFactors(input: { unit: string; hub: SideRuns; reference: SideRuns }): string {
  const hubSched = medianSched(input.hub.sched);
  const refSched = medianSched(input.reference.sched);
  if (!hubSched || !refSched) return 'scheduler statistics n/a';
  const f = ratioFactors({
    cores: availableParallelism(),
    hub: { perSecond: median([...input.hub.perSecond]), sched: hubSched },
    reference: { perSecond: median([...input.reference.perSecond]), sched: refSched },
  });
  const split = (a: SchedAccount, children: string) =>
    `main thread ${a.perUnit.mainThread.cpuMs.toFixed(2)}, other threads ${a.perUnit.otherThreads.cpuMs.toFixed(2)}, ${children} ${a.perUnit.children.cpuMs.toFixed(2)}, server ${a.perUnit.server.cpuMs.toFixed(2)}`;
  const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
  return (
    `CPU per ${input.unit} on the cores: hub ${f.hubCpu.toFixed(2)} ms (${split(hubSched, input.hub.children)}), ` +
    `reference ${f.refCpu.toFixed(2)} ms (${split(refSched, input.reference.children)}); ` +
    `cost factor ${f.cost.toFixed(2)} × use factor ${f.utilization.toFixed(2)} (cores kept busy: hub ${pct(f.hubUse)}, reference ${pct(f.refUse)}) = ${(f.cost * f.utilization).toFixed(2)}`
  );
}

/** `accounted` (CPU from /proc) and `scheduled` (the scheduler's split) over the same phase, per unit of work. */
export async function accountedAndScheduled<T>(
  postmaster: number | undefined,
  fn: () => Promise<T>,
  units: (value: T) => number,
): Promise<{ value: T; cpu: CpuAccount | undefined; sched: SchedAccount | undefined }> {
  const {
    value: { value, cpu },
    sched,
  } = await scheduled(
    postmaster,
    () => accounted(postmaster, fn, units),
    (v) => units(v.value),
  );
  return { value, cpu, sched };
}

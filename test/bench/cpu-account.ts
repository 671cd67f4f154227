/**
 * Where a side's CPU went, from Linux's /proc (CPU time, not wall time: a thread waiting for a core is not
 * counted): this process, its finished children (pgbench), the PostgreSQL server (postmaster, its live
 * processes and the backends it has reaped) and the whole machine (so whether the cores were saturated, by this
 * run or by anything else on the machine). Used by B1 and B5 to tell the hub's cost per request from pgbench's and the
 * server's. Everything is undefined where /proc is not readable or the server is not on this machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Sql } from 'postgres';
import { median } from './harness.js';

// USER_HZ, the unit of /proc's times: 100 on every Linux platform Node supports
const TICK_MS = 10;

interface Snapshot {
  self: number;
  children: number;
  server: number | undefined;
  machineBusy: number;
  machineTotal: number;
}

/** utime, stime, cutime, cstime of /proc/<pid>/stat in ms (the fields after the parenthesised command). */
function times(pid: number | 'self'): { own: number; children: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i]) * TICK_MS;
    return { own: n(11) + n(12), children: n(13) + n(14), ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}

/** The server's CPU so far: the postmaster, its live children and those it has reaped. */
function serverMs(postmaster: number | undefined): number | undefined {
  if (postmaster === undefined) return undefined;
  const root = times(postmaster);
  if (!root) return undefined;
  let total = root.own + root.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = times(Number(entry));
    if (t?.ppid === postmaster) total += t.own;
  }
  return total;
}

function machine(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const v = values.slice(0, 8).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  // idle and iowait are the not-busy columns
  return { busy: total - v[3]! - v[4]!, total };
}

function snapshot(postmaster: number | undefined): Snapshot | undefined {
  const self = times('self');
  if (!self) return undefined;
  const m = machine();
  return {
    self: self.own,
    children: self.children,
    server: serverMs(postmaster),
    machineBusy: m.busy,
    machineTotal: m.total,
  };
}

export interface CpuAccount {
  /** CPU of this process (handler, postgres.js, load generator) per unit of work, ms. */
  selfMs: number;
  /** CPU of children that finished during the phase (pgbench) per unit, ms. */
  childrenMs: number;
  /** CPU of the PostgreSQL server per unit, ms. */
  serverMs: number | undefined;
  /** Busy share of all cores over the phase, by anything on the machine (1 = every core busy throughout). */
  machineBusy: number;
  cores: number;
}

/**
 * The postmaster's pid, when the server runs on this machine: the parent of the session's own backend.
 * `backendPid` is `select pg_backend_pid()` of a live connection.
 */
export function postmasterOf(backendPid: number): number | undefined {
  try {
    if (readFileSync(`/proc/${backendPid}/comm`, 'utf8').trim() !== 'postgres') return undefined;
  } catch {
    return undefined;
  }
  return times(backendPid)?.ppid;
}

/** The postmaster's pid behind a live connection (its own backend's parent), when the server is on this machine. */
export async function postmasterBehind(sql: Sql): Promise<number | undefined> {
  const [backend] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  return postmasterOf(backend!.pid);
}

/** Runs `fn` and accounts the CPU spent meanwhile, per unit of work that `fn` reports. */
export async function accounted<T>(
  postmaster: number | undefined,
  fn: () => Promise<T>,
  units: (value: T) => number,
): Promise<{ value: T; cpu: CpuAccount | undefined }> {
  const before = snapshot(postmaster);
  const value = await fn();
  const after = snapshot(postmaster);
  if (!before || !after) return { value, cpu: undefined };
  const n = Math.max(1, units(value));
  const server =
    before.server !== undefined && after.server !== undefined
      ? (after.server - before.server) / n
      : undefined;
  return {
    value,
    cpu: {
      selfMs: (after.self - before.self) / n,
      childrenMs: (after.children - before.children) / n,
      serverMs: server,
      machineBusy:
        (after.machineBusy - before.machineBusy) / Math.max(1, after.machineTotal - before.machineTotal),
      cores: cpus().length,
    },
  };
}

/** Medians of each field of the CPU accounts of several runs (undefined where /proc was not readable). */
export function medianAccount(accounts: (CpuAccount | undefined)[]) {
  const known = accounts.filter((a): a is CpuAccount => a !== undefined);
  if (known.length === 0) return undefined;
  const servers = known.flatMap((a) => (a.serverMs === undefined ? [] : [a.serverMs]));
  return {
    clientMs: median(known.map((a) => a.selfMs + a.childrenMs)),
    serverMs: servers.length ? median(servers) : undefined,
    machineBusy: median(known.map((a) => a.machineBusy)),
  };
}

export function describeSplit(
  split: {
    hub: ReturnType<typeof medianAccount>;
    pgbench: ReturnType<typeof medianAccount>;
  },
  unit = 'delivery',
) {
  const side = (name: string, unit: string, a: ReturnType<typeof medianAccount>) =>
    a
      ? `${name} ${a.clientMs.toFixed(2)} ms + server ${a.serverMs?.toFixed(2) ?? 'n/a'} ms per ${unit}, cores ${percent(a.machineBusy)} busy`
      : `${name} n/a`;
  return `${side('hub process', unit, split.hub)}; ${side('pgbench', 'transaction', split.pgbench)}`;
}

export const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : 'n/a');

/**
 * The ratio the cores allow at most: each hub request costs `hubClientMs` of CPU in the hub's process and
 * `hubServerMs` in PostgreSQL, so `cores` carry at most cores ÷ (both) requests per second, against the
 * reference's measured rate. Printed, not scored; NaN parts print as n/a.
 */
export function cpuCeiling(input: {
  cores: number;
  referenceTps: number;
  hubClientMs: number;
  hubServerMs: number;
}): string {
  const ceilingTps = (input.cores * 1000) / (input.hubClientMs + input.hubServerMs);
  if (!Number.isFinite(ceilingTps)) return 'CPU ceiling n/a';
  return `${input.cores} cores carry at most ${ceilingTps.toFixed(0)} hub requests/s: ratio ≤ ${(ceilingTps / input.referenceTps).toFixed(2)}`;
}

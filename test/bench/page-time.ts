/**
 * Where a sync page's wall time goes (B2, B8i): one diagnostic hub run, not timed for the ratios, measured from
 * four sides at once so the parts add up to the page time:
 * - the hub's Node main thread, by a V8 CPU profile (1 ms samples, idle samples included): every millisecond of
 *   the run is either idle (waiting on a socket or timer) or spent in code named by its origin (the Greenhouse
 *   fake serving in this same process, the HTTP client, zod, mapping, the raw page store, statement building,
 *   postgres.js, the sync, GC);
 * - the main thread's and the hub backend's own time on a core and waiting for one (`/proc/…/schedstat`);
 * - the server's execution and planning time per statement (`pg_stat_statements`, `track_planning` on for the
 *   clone) and its WAL flushes (`pg_stat_wal`, `track_wal_io_timing` on);
 * - the machine's load average.
 * What the Node thread spends idle is the database's part: the backend's CPU, its wait for a core, the WAL flush
 * of each COMMIT, and the rest (loopback round trips and wake-ups), the remainder.
 * Needs the server on this machine and preloading pg_stat_statements; otherwise the server parts print n/a.
 */

import { loadavg } from 'node:os';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import { accounted, postmasterOf } from './cpu-account.js';
import { alwaysProfiled, classifySamples, type Frame } from './cpu-profile.js';
import { readSchedstat } from './sched-account.js';
import { type StatementStats, withStatementStats } from './statement-stats.js';

const mainThread = () => readSchedstat(`/proc/self/task/${process.pid}/schedstat`);

/** The Node parts, in print order; the first frame (leaf first) that matches names the sample. */
const NODE_PARTS: [string, (f: Frame) => boolean][] = [
  ['(a) fake serving (test/fakes, node:http server)', (f) => /\/test\/fakes\/|^node:_http_/.test(f.source)],
  ['(a) HTTP client (undici fetch)', (f) => /undici/.test(f.source)],
  ['(a) response body and JSON.parse', (f) => /shared\/providers\/common\/http-call/.test(f.source)],
  ['(b) zod parse', (f) => /node_modules\/zod\//.test(f.source)],
  ['(b) mapping (hub shared/providers)', (f) => /shared\/providers\//.test(f.source)],
  [
    '(c) raw page store (JSON.stringify, memory store)',
    (f) => /shared\/sync\/raw-payloads|memory-object-store/.test(f.source),
  ],
  ['(d) statement building (hub shared/db)', (f) => /shared\/db\//.test(f.source)],
  ['(d) postgres.js (encode, send, parse)', (f) => /node_modules\/postgres\//.test(f.source)],
  [
    '(e) sync logic and handler (shared/sync, privacy, functions)',
    (f) => /shared\/|functions\//.test(f.source),
  ],
  ['(e) logging, middleware, other packages', (f) => /node_modules\//.test(f.source)],
];
const IDLE = 'Node thread idle (waiting on sockets, timers)';
const GC = '(e) garbage collection';
const RUNTIME = '(e) V8 and Node runtime, unattributed';

const SOCKET_WRITE = '(d) socket writes to the server (write syscall into loopback TCP)';

function classify(stack: Frame[]): string {
  const leaf = stack[0]!.functionName;
  if (leaf === '(idle)') return IDLE;
  if (leaf === '(garbage collector)') return GC;
  // the native write into the kernel: loopback TCP hands the bytes to the backend, waking it, in this call
  if (/^write/.test(leaf) && stack.some((f) => /node_modules\/postgres\//.test(f.source)))
    return SOCKET_WRITE;
  for (const frame of stack)
    for (const [name, test] of NODE_PARTS) if (frame.source && test(frame)) return name;
  return RUNTIME;
}

/** Statements the psql references also send (the page's entity upserts). */
const UPSERT =
  /insert into (candidates|applications|jobs|rejection_reasons|interviews|scorecards|offers|notes|tags|candidate_attachments)\b/;

export interface ServerSide {
  /** CPU of all the server's processes (backends, WAL writer, …), ms per page. */
  serverCpuMs: number | undefined;
  /** Execution and planning (pg_stat_statements), ms per page: the entity upserts, then the rest. */
  upsertExecMs: number;
  upsertPlanMs: number;
  otherExecMs: number;
  otherPlanMs: number;
  statementsPerPage: number;
  walSyncsPerPage: number;
  walSyncMs: number;
  /** CPU of this process and its finished children (psql), ms per page. */
  clientCpuMs: number | undefined;
  /** Busy share of the machine's cores over the phase, by anything running on it. */
  machineBusy: number | undefined;
}

export interface PageTime {
  pages: number;
  wallMsPerPage: number;
  /** Node main thread: wall ms per page by part, idle included (sums to wallMsPerPage). */
  node: [string, number][];
  mainCpuMs: number | undefined;
  mainWaitMs: number | undefined;
  backendCpuMs: number | undefined;
  backendWaitMs: number | undefined;
  server: ServerSide | null;
  stats: StatementStats | null;
  load: number[];
}

async function walStats(owner: Sql) {
  const [row] = await owner<{ syncs: string; sync_ms: number }[]>`
    select wal_sync::text as syncs, wal_sync_time as sync_ms from pg_stat_wal`;
  return { syncs: Number(row!.syncs), ms: row!.sync_ms };
}

/** Planning and WAL timing on for the sessions opened on database `name` from now on. */
async function timingOn(db: { name: string; owner: Sql }) {
  await db.owner.unsafe(`alter database ${db.name} set pg_stat_statements.track_planning = on`);
  await db.owner.unsafe(`alter database ${db.name} set track_wal_io_timing = on`);
}

/** Server figures of a phase on database `db`, per page; sessions must open after `timingOn` (it is called here). */
export async function serverPhase<T>(
  db: { name: string; owner: Sql },
  fn: () => Promise<T>,
  pages: (value: T) => number,
  postmaster: number | undefined,
): Promise<{ value: T; server: ServerSide | null; stats: StatementStats | null }> {
  await timingOn(db);
  await db.owner`select pg_stat_reset_shared('wal')`;
  const { result, stats } = await withStatementStats(db.owner, () => accounted(postmaster, fn, () => 1));
  // a session's WAL counters reach pg_stat_wal when it ends or at most a second later
  await new Promise((r) => setTimeout(r, 1_100));
  const wal = await walStats(db.owner);
  if (!stats) return { value: result.value, server: null, stats };
  const n = Math.max(1, pages(result.value));
  const sum = (upsert: boolean, key: 'execMs' | 'planMs') =>
    stats.queries.filter((q) => UPSERT.test(q.query) === upsert).reduce((t, q) => t + q[key], 0) / n;
  return {
    value: result.value,
    stats,
    server: {
      serverCpuMs: result.cpu?.serverMs === undefined ? undefined : result.cpu.serverMs / n,
      upsertExecMs: sum(true, 'execMs'),
      upsertPlanMs: sum(true, 'planMs'),
      otherExecMs: sum(false, 'execMs'),
      otherPlanMs: sum(false, 'planMs'),
      statementsPerPage: stats.calls / n,
      walSyncsPerPage: wal.syncs / n,
      walSyncMs: wal.ms / n,
      clientCpuMs: result.cpu && (result.cpu.selfMs + result.cpu.childrenMs) / n,
      machineBusy: result.cpu?.machineBusy,
    },
  };
}

/**
 * One hub run on database `db` (a fresh clone), `run` driving the sync with the app client it is given
 * (`max: 1`, so the backend whose pid is read first is the run's).
 */
export async function measurePageTime(
  db: { name: string; appUrl: string; owner: Sql },
  run: (app: Sql) => Promise<{ pages: number }>,
): Promise<PageTime> {
  await timingOn(db);
  const app = createDbClient({ url: db.appUrl, max: 1, prepare: false, application: 'bench-sync' });
  try {
    const [{ pid }] = await app<[{ pid: number }]>`select pg_backend_pid() as pid`;
    const postmaster = postmasterOf(pid);
    const load0 = loadavg()[0]!;
    const main0 = mainThread();
    const backend0 = readSchedstat(`/proc/${pid}/schedstat`);
    let backend1: ReturnType<typeof readSchedstat>;
    let main1: ReturnType<typeof readSchedstat>;
    const phase = await serverPhase(
      db,
      async () => {
        const profiled = await alwaysProfiled(() => run(app));
        main1 = mainThread();
        backend1 = readSchedstat(`/proc/${pid}/schedstat`);
        const [{ same }] = await app<[{ same: boolean }]>`select pg_backend_pid() = ${pid} as same`;
        if (!same) backend1 = undefined; // the run reconnected: the backend figures would be partial
        return profiled;
      },
      (p) => p.value.pages,
      postmaster,
    );
    const { value, profile, wallMs } = phase.value;
    const n = Math.max(1, value.pages);
    const parts = classifySamples(profile, classify);
    const order = [...NODE_PARTS.map(([name]) => name), SOCKET_WRITE, GC, RUNTIME, IDLE];
    const delta = (a: typeof main0, b: typeof main0, k: 'cpuMs' | 'waitMs') =>
      a && b ? (b[k] - a[k]) / n : undefined;
    return {
      pages: value.pages,
      wallMsPerPage: wallMs / n,
      node: order.map((name) => [name, (parts.get(name) ?? 0) / n]),
      mainCpuMs: delta(main0, main1, 'cpuMs'),
      mainWaitMs: delta(main0, main1, 'waitMs'),
      backendCpuMs: delta(backend0, backend1, 'cpuMs'),
      backendWaitMs: delta(backend0, backend1, 'waitMs'),
      server: phase.server,
      stats: phase.stats,
      load: [load0, loadavg()[0]!],
    };
  } finally {
    await app.end({ timeout: 1 });
  }
}

const ms = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(2));

/** The breakdown as log lines, with the reference's server side per page beside it when given. */
export function pageTimeLines(t: PageTime, reference: ServerSide | null, referenceWallMs: number) {
  const busy = t.node.filter(([name]) => name !== IDLE).reduce((s, [, v]) => s + v, 0);
  const idle = t.node.find(([name]) => name === IDLE)?.[1] ?? 0;
  const s = t.server;
  const lines = [
    `${t.pages} pages, ${t.wallMsPerPage.toFixed(1)} ms wall per page (profiled run), load average ${t.load.map((l) => l.toFixed(1)).join(' → ')}`,
    `Node main thread busy ${busy.toFixed(2)} ms/page (on a core ${ms(t.mainCpuMs)}, waiting for a core ${ms(t.mainWaitMs)} over the run):`,
    ...t.node
      .filter(([name]) => name !== IDLE)
      .map(([name, v]) => `  ${v.toFixed(2).padStart(7)} ms  ${name}`),
    `Node main thread idle ${idle.toFixed(2)} ms/page, while:`,
    `  ${ms(t.backendCpuMs).padStart(7)} ms  hub backend on a core (parse, plan, execute, commit)`,
    `  ${ms(t.backendWaitMs).padStart(7)} ms  hub backend waiting for a core`,
    `  ${ms(s?.walSyncMs).padStart(7)} ms  WAL flushes (${ms(s?.walSyncsPerPage)} per page)`,
    `  ${ms(idle - (t.backendCpuMs ?? 0) - (t.backendWaitMs ?? 0) - (s?.walSyncMs ?? 0)).padStart(7)} ms  the rest (loopback round trips, wake-ups; negative = overlap with Node work)`,
  ];
  if (s) {
    lines.push(
      `server (pg_stat_statements) ${s.statementsPerPage.toFixed(2)} statements/page: entity upserts exec ${s.upsertExecMs.toFixed(2)} + plan ${s.upsertPlanMs.toFixed(2)} ms; the rest (resolves, side rows, run bookkeeping) exec ${s.otherExecMs.toFixed(2)} + plan ${s.otherPlanMs.toFixed(2)} ms; all server processes' CPU ${ms(s.serverCpuMs)} ms/page; bench process CPU ${ms(s.clientCpuMs)} ms/page; machine ${s.machineBusy === undefined ? 'n/a' : `${(s.machineBusy * 100).toFixed(0)} %`} busy`,
    );
  }
  if (reference) lines.push(referenceLine('psql reference B', reference, referenceWallMs));
  return lines;
}

/** A reference's side of the same pages, per hub page. */
export function referenceLine(name: string, r: ServerSide, wallMsPerPage: number): string {
  return `${name}, same pages: ${wallMsPerPage.toFixed(1)} ms wall/page; upserts exec ${r.upsertExecMs.toFixed(2)} + plan ${r.upsertPlanMs.toFixed(2)} ms/page, ${r.statementsPerPage.toFixed(2)} statements/page, all server processes' CPU ${ms(r.serverCpuMs)} ms/page, client CPU (this process, psql) ${ms(r.clientCpuMs)} ms/page, WAL flushes ${r.walSyncsPerPage.toFixed(2)}/page (${r.walSyncMs.toFixed(2)} ms)`;
}

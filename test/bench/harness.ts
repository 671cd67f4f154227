/**
 * Shared protocol of the benchmarks (docs/performance.md §7.1): one discarded warm-up pair, then interleaved
 * pairs (reference, hub, reference, hub, …); medians of each side; ratio = hub ÷ reference per pair, printed
 * as the median with its min–max over the pairs. Benchmarks measure and print; they never assert.
 */

export interface BenchOptions {
  quick: boolean;
  /** Measured pairs after the warm-up pair (≥ 5). */
  pairs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}

export interface PairRun<R, C> {
  /** Measured pairs only (the warm-up pair is dropped). */
  reference: R[];
  candidate: C[];
}

/**
 * Runs `1 + pairs` pairs, reference first in each; the first pair is a warm-up and discarded.
 * `between` runs after every run (e.g. cleaning tables so every run starts from the same state).
 */
export async function interleave<R, C>(input: {
  pairs: number;
  reference: (pair: number) => Promise<R>;
  candidate: (pair: number) => Promise<C>;
  between?: (side: 'reference' | 'candidate', pair: number) => Promise<void>;
  progress?: (line: string) => void;
}): Promise<PairRun<R, C>> {
  const out: PairRun<R, C> = { reference: [], candidate: [] };
  for (let pair = 0; pair <= input.pairs; pair++) {
    const r = await input.reference(pair);
    await input.between?.('reference', pair);
    const c = await input.candidate(pair);
    await input.between?.('candidate', pair);
    input.progress?.(pair === 0 ? 'warm-up pair done' : `pair ${pair}/${input.pairs} done`);
    if (pair === 0) continue;
    out.reference.push(r);
    out.candidate.push(c);
  }
  return out;
}

export interface RatioStats {
  ratio: number;
  min: number;
  max: number;
  perPair: number[];
}

/** Per-pair ratio hub ÷ reference; median and spread. */
export function ratios(reference: readonly number[], candidate: readonly number[]): RatioStats {
  const perPair = reference.map((r, i) => candidate[i]! / r);
  return { ratio: median(perPair), min: Math.min(...perPair), max: Math.max(...perPair), perPair };
}

export type Comparison = '≥' | '≤' | '=';

export interface Target {
  op: Comparison;
  value: number;
}

export function meets(value: number, target: Target): boolean {
  if (!Number.isFinite(value)) return false;
  if (target.op === '≥') return value >= target.value;
  if (target.op === '≤') return value <= target.value;
  return value === target.value;
}

export const targetText = (t: Target, unit = '') => `${t.op} ${t.value}${unit}`;

/** One side of a result: what was measured, its median (the table shows it) and anything else worth keeping. */
export interface Side {
  label: string;
  unit: string;
  median: number;
  samples: number[];
  [detail: string]: unknown;
}

/** One row of the results table and of bench-results.json. */
export interface BenchResult {
  name: string;
  title: string;
  reference: Side;
  candidate: Side;
  ratio: number;
  min: number;
  max: number;
  target: string;
  met: boolean;
}

export function side(
  label: string,
  unit: string,
  samples: readonly number[],
  details: Record<string, unknown> = {},
): Side {
  return { label, unit, median: median(samples), samples: [...samples], ...details };
}

/** A result held against a fixed ceiling rather than a reference run: its ratio is the one measured value. */
export function ceilingResult(input: {
  name: string;
  title: string;
  label: string;
  unit: string;
  value: number;
  ceiling: number;
  ceilingLabel?: string;
  details?: Record<string, unknown>;
}): BenchResult {
  const { value, ceiling } = input;
  return {
    name: input.name,
    title: input.title,
    reference: side(input.ceilingLabel ?? 'target', input.unit, [ceiling]),
    candidate: side(input.label, input.unit, [value], input.details),
    ratio: value,
    min: value,
    max: value,
    target: `≤ ${ceiling}`,
    met: value <= ceiling,
  };
}

/** A result whose ratio comes from interleaved pairs. */
export function pairedResult(input: {
  name: string;
  title: string;
  reference: Side;
  candidate: Side;
  target: Target;
  /** Extra conditions of the target (e.g. "duplicates = 0"); all must hold for `met`. */
  alsoRequired?: { text: string; ok: boolean }[];
  /** For counters: the ratio is given, not derived from samples. */
  ratioOverride?: RatioStats;
}): BenchResult {
  const r = input.ratioOverride ?? ratios(input.reference.samples, input.candidate.samples);
  const extra = input.alsoRequired ?? [];
  return {
    name: input.name,
    title: input.title,
    reference: input.reference,
    candidate: input.candidate,
    ratio: r.ratio,
    min: r.min,
    max: r.max,
    target: [targetText(input.target), ...extra.map((e) => e.text)].join('; '),
    met: meets(r.ratio, input.target) && extra.every((e) => e.ok),
  };
}

/** Runs `concurrency` async loops of `fn` until `durationMs` has passed; latencies in ms. */
export async function timeBoxedLoops(
  concurrency: number,
  durationMs: number,
  fn: (loop: number, iteration: number) => Promise<void>,
): Promise<{
  completed: number;
  elapsedMs: number;
  latencies: number[];
  errors: number;
  firstError?: unknown;
}> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      let iteration = 0;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await fn(loop, iteration++);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors += 1;
          firstError ??= error;
        }
      }
    }),
  );
  return {
    completed: latencies.length,
    elapsedMs: performance.now() - started,
    latencies,
    errors,
    firstError,
  };
}

/** timeBoxedLoops with stdout muted, failing on any failed request: throughput and latency percentiles. */
export async function measuredLoops(
  concurrency: number,
  durationMs: number,
  what: string,
  fn: (loop: number, iteration: number) => Promise<void>,
): Promise<{ tps: number; p50: number; p99: number; completed: number }> {
  const { value } = await muteStdout(() => timeBoxedLoops(concurrency, durationMs, fn));
  if (value.errors > 0) throw new Error(`${value.errors} ${what} failed: ${String(value.firstError)}`);
  return {
    tps: value.completed / (value.elapsedMs / 1000),
    p50: median(value.latencies),
    p99: percentile(value.latencies, 99),
    completed: value.completed,
  };
}

const fmt = (v: number, digits = 2): string => {
  if (!Number.isFinite(v)) return 'n/a';
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toFixed(0);
  if (abs >= 100) return v.toFixed(1);
  if (abs > 0 && abs < 0.1) return v.toPrecision(2);
  return v.toFixed(digits);
};

export const formatValue = (s: Side) => `${fmt(s.median)} ${s.unit}`.trim();

export function formatRatio(r: BenchResult): string {
  return `${fmt(r.ratio)} [${fmt(r.min)}–${fmt(r.max)}]`;
}

/** Plain-text table (also valid Markdown). */
export function formatTable(results: readonly BenchResult[]): string {
  const header = [
    'name',
    'title',
    'reference (median)',
    'hub (median)',
    'ratio median [min–max]',
    'target',
    'met',
  ];
  const rows = results.map((r) => [
    r.name,
    r.title,
    formatValue(r.reference),
    formatValue(r.candidate),
    formatRatio(r),
    r.target,
    r.met ? 'yes' : 'NO',
  ]);
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

/** Progress lines go to stderr, so the table on stdout stays clean. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Swallows what handlers write to stdout (Powertools JSON logs) while a measurement runs: the work of
 * building a log line is still paid, the terminal is not. Returns the number of lines dropped.
 */
export async function muteStdout<T>(fn: () => Promise<T>): Promise<{ value: T; lines: number }> {
  const original = process.stdout.write.bind(process.stdout);
  let lines = 0;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines += 1;
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    void chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { value: await fn(), lines };
  } finally {
    process.stdout.write = original;
  }
}

/**
 * Shared helpers of the reliability suite (docs/reliability.md §10): whether a real PostgreSQL is there, seeds,
 * run-count scaling, percentiles and the one-line figures every test prints.
 */
import { appendFileSync } from 'node:fs';
import { describe } from 'vitest';

/** The matrix runs on the real PostgreSQL 15 of DATABASE_URL; on PGlite these tests are not required. */
export const onPostgres = Boolean(process.env.DATABASE_URL);

export function skipNotice(id: string, title: string): void {
  if (!onPostgres)
    console.log(`${id} ${title}: SKIPPED (needs DATABASE_URL, a real PostgreSQL 15; not required on PGlite)`);
}

/** One row of the matrix: its suite, skipped with a notice where no real PostgreSQL is there. */
export function describeOnPostgres(id: string, title: string, body: () => void): void {
  skipNotice(id, title);
  describe.skipIf(!onPostgres)(`${id} ${title}`, body);
}

/** RELIABILITY_SEED when set, otherwise a fresh one; always printed so a failing run can be replayed. */
export function seedFor(id: string): number {
  const given = process.env.RELIABILITY_SEED;
  const seed = given !== undefined && given !== '' ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error('RELIABILITY_SEED must be an integer');
  console.log(`${id} seed=${seed} (replay with RELIABILITY_SEED=${seed})`);
  return seed;
}

/** RELIABILITY_SCALE (0 < s ≤ 1) scales run counts down when time forces it; the figures then say so. */
export function runs(full: number): number {
  const scale = Number(process.env.RELIABILITY_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) return full;
  return Math.max(1, Math.round(full * scale));
}

export function scaledNote(full: number, actual: number): string {
  return actual === full ? '' : ` (scaled from ${full})`;
}

/** The run count as the figures print it: `actual`, and what it was scaled from when it was. */
export function scaled(full: number, actual: number): string {
  return `${actual}${scaledNote(full, actual)}`;
}

/** Prints the figures on one line (and appends them to RELIABILITY_FIGURES_FILE as JSON when set). */
export function figures(id: string, title: string, values: Record<string, unknown>): string {
  const text = Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  const line = `${id} ${title}: ${text}`;
  console.log(line);
  const file = process.env.RELIABILITY_FIGURES_FILE;
  if (file) appendFileSync(file, `${JSON.stringify({ id, title, ...values })}\n`);
  return line;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index]! * 10) / 10;
}

export function histogram<T extends string | number>(values: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

/** Deterministic PRNG (mulberry32) for seeded permutations and choices. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The test's seed (see seedFor) and the PRNG it drives. */
export function randomFor(id: string): { seed: number; random: () => number } {
  const seed = seedFor(id);
  return { seed, random: rng(seed) };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * B8 naive baseline, import: node-postgres (`pg`) Pool, one row per statement, each sent with `pool.query` in
 * its own implicit transaction. The rows are those of the hub's page upserts (the same upsert statement with
 * one-element arrays, so the result is row for row what the hub writes: candidate or application or job,
 * its external ref, an imported application's first history row).
 */
import pg from 'pg';
import type { CapturedStatement } from '../pgbench.js';
import { textOf } from '../pgbench.js';

/** The page statements split into single-row statements (array parameters cut to one element each). */
export function perRowStatements(pages: CapturedStatement[]): CapturedStatement[] {
  const out: CapturedStatement[] = [];
  for (const page of pages) {
    const arrays = page.params.map((p) => (Array.isArray(p) ? p : null));
    const rows = Math.max(0, ...arrays.map((a) => a?.length ?? 0));
    // job pages carry stages and refs in arrays of other lengths: those rows stay together with their job
    const lengths = new Set(arrays.filter((a): a is unknown[] => a !== null).map((a) => a.length));
    if (lengths.size > 1) {
      out.push(page);
      continue;
    }
    for (let r = 0; r < rows; r++) {
      out.push({ text: page.text, params: page.params.map((p, i) => (arrays[i] ? [arrays[i]![r]] : p)) });
    }
  }
  return out;
}

const asParam = (v: unknown) =>
  Array.isArray(v)
    ? `{${v.map((x) => (x === null ? 'NULL' : `"${textOf(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`
    : v === null || v === undefined
      ? null
      : textOf(v);

/** A Pool whose connections carry the tenant settings for the session (set once per connection). */
export function naiveImportPool(url: string, max: number, organizationId: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'bench-naive-import' });
  // an idle connection ended by the server (the database dropped after a run) must not crash the process
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client
      .query("select set_config('app.organization_id', $1, false), set_config('app.role', 'worker', false)", [
        organizationId,
      ])
      .catch(() => undefined);
  });
  return pool;
}

/** One statement after the other, each with `pool.query`: its own implicit transaction, one row each. */
export async function naiveImport(pool: pg.Pool, statements: CapturedStatement[]): Promise<void> {
  for (const s of statements) await pool.query(s.text, s.params.map(asParam));
}

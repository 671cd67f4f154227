/**
 * Where a run's database time goes, by statement, from `pg_stat_statements` (B2). Only when the server preloads
 * the module (`shared_preload_libraries = 'pg_stat_statements'`; the throwaway server of `.ci/postgres.sh` does
 * not, so point `DATABASE_URL` at one that does): otherwise `null` and the bench prints nothing of it.
 */
import type { Sql } from '../../shared/db/client.js';

export interface StatementStat {
  /** The statement's first words, whitespace folded: enough to tell the page's statements apart. */
  statement: string;
  calls: number;
  totalMs: number;
  rows: number;
}

export interface StatementStats {
  statements: StatementStat[];
  calls: number;
  totalMs: number;
  /** Planning time, when `pg_stat_statements.track_planning` is on for the session (else 0). */
  planMs: number;
  /** Every statement as the server normalised it, for callers that split them their own way. */
  queries: { query: string; calls: number; execMs: number; planMs: number }[];
}

/** The tables a statement writes (`insert into` / `update`), else its first words: a page's statements apart. */
const label = (query: string) => {
  const written = [...query.matchAll(/(?:insert into|update|delete from)\s+([a-z_]+)/g)]
    .map((m) => m[1])
    .filter((table) => table !== 'set');
  const folded = query.replace(/\s+/g, ' ').trim();
  return written.length > 0 ? `writes ${[...new Set(written)].join(', ')}` : folded.slice(0, 70);
};

/** Resets the database's statement statistics, runs `fn`, and reads what it cost; null when not available. */
export async function withStatementStats<T>(
  owner: Sql,
  fn: () => Promise<T>,
): Promise<{ result: T; stats: StatementStats | null }> {
  const [preload] = await owner<[{ libraries: string }]>`
    select current_setting('shared_preload_libraries') as libraries`;
  const available = /\bpg_stat_statements\b/.test(preload.libraries);
  if (available) {
    await owner`create extension if not exists pg_stat_statements`;
    await owner`select pg_stat_statements_reset()`;
  }
  const result = await fn();
  if (!available) return { result, stats: null };
  const rows = await owner<
    { query: string; calls: string; total_ms: number; plan_ms: number; rows: string }[]
  >`
    select s.query, s.calls::text, s.total_exec_time as total_ms, s.total_plan_time as plan_ms, s.rows::text
    from pg_stat_statements s join pg_roles r on r.oid = s.userid
    where s.dbid = (select oid from pg_database where datname = current_database()) and r.rolname = 'hub_app'
    order by s.total_exec_time desc`;
  const byLabel = new Map<string, StatementStat>();
  for (const row of rows) {
    const key = label(row.query);
    const stat = byLabel.get(key) ?? { statement: key, calls: 0, totalMs: 0, rows: 0 };
    stat.calls += Number(row.calls);
    stat.totalMs += row.total_ms;
    stat.rows += Number(row.rows);
    byLabel.set(key, stat);
  }
  const statements = [...byLabel.values()].sort((a, b) => b.totalMs - a.totalMs);
  return {
    result,
    stats: {
      statements,
      calls: statements.reduce((n, s) => n + s.calls, 0),
      totalMs: statements.reduce((n, s) => n + s.totalMs, 0),
      planMs: rows.reduce((n, r) => n + r.plan_ms, 0),
      queries: rows.map((r) => ({
        query: r.query,
        calls: Number(r.calls),
        execMs: r.total_ms,
        planMs: r.plan_ms,
      })),
    },
  };
}

/** The attribution as log lines: per page calls and milliseconds of each statement, the costliest first. */
export function statementLines(stats: StatementStats, pages: number, wallMs: number): string[] {
  const per = (n: number) => (n / pages).toFixed(2);
  return [
    `${pages} pages, ${per(stats.calls)} statements/page, server time ${stats.totalMs.toFixed(0)} ms of ${wallMs.toFixed(0)} ms wall`,
    ...stats.statements
      .slice(0, 25)
      .map(
        (s) =>
          `  ${per(s.calls).padStart(6)} calls/page ${(s.totalMs / pages).toFixed(2).padStart(7)} ms/page ${(s.totalMs / s.calls).toFixed(2).padStart(7)} ms/call  ${s.statement}`,
      ),
  ];
}

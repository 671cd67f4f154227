/** Row counts and row versions of the tables a sync writes (B2, B8). */
import type { Sql } from '../../shared/db/client.js';

/** Entity tables a sync writes. */
export const SYNC_TABLES = [
  'jobs',
  'job_stages',
  'candidates',
  'applications',
  'application_stage_history',
  'external_refs',
  'rejection_reasons',
  'interviews',
  'scorecards',
  'offers',
  'notes',
  'candidate_attachments',
  'tags',
  'candidate_tags',
] as const;

export async function entityCounts(owner: Sql): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of SYNC_TABLES) {
    const [row] = await owner.unsafe<{ n: number }[]>(`select count(*)::int as n from ${t}`);
    out[t] = row?.n ?? 0;
  }
  return out;
}

/** The tables the no-op pass watches, with each row's key: every table a sync writes entities to (core and ATS record). */
const NOOP_KEYS: Record<string, string> = Object.fromEntries(
  SYNC_TABLES.map((t) => [
    t,
    t === 'candidate_tags' ? "candidate_id::text || '/' || tag_id::text" : 'id::text',
  ]),
);

export async function rowVersions(owner: Sql): Promise<Map<string, string>> {
  const rows = await owner.unsafe<{ k: string; x: string }[]>(
    Object.entries(NOOP_KEYS)
      .map(([t, key]) => `select '${t}:' || ${key} as k, xmin::text as x from ${t}`)
      .join(' union all '),
  );
  return new Map(rows.map((r) => [r.k, r.x]));
}

export async function tupleStats(owner: Sql): Promise<number> {
  const [row] = await owner<{ n: string }[]>`
    select coalesce(sum(n_tup_upd + n_dead_tup), 0)::text as n from pg_stat_user_tables
    where relname = any(${Object.keys(NOOP_KEYS)}::text[])`;
  return Number(row?.n ?? 0);
}

/**
 * Privacy checks shared by the erasure tests: every text, varchar and jsonb column of every table, searched for
 * a person's markers (case-insensitive), as the database owner (no row-level security in the way).
 */
import type { Sql } from '../../shared/db/client.js';

/** `table.column` of every place that still holds one of the markers. */
export async function columnsHolding(owner: Sql, markers: readonly string[]): Promise<string[]> {
  const columns = await owner<{ table_name: string; column_name: string; data_type: string }[]>`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
    join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
    order by c.table_name, c.column_name`;
  const hits: string[] = [];
  for (const col of columns) {
    const [row] = await owner<{ n: number }[]>`
      select count(*)::int as n from ${owner(col.table_name)}
      where ${owner(col.column_name)}::text ilike any(${markers.map((m) => `%${m}%`)}::text[])`;
    if ((row?.n ?? 0) > 0) hits.push(`${col.table_name}.${col.column_name}`);
  }
  return hits;
}

/** Applications per stage and status of an organization: the funnel's raw counts. */
export async function funnelCounts(owner: Sql, organizationId: string) {
  return owner<{ stage_id: string; status: string; n: number }[]>`
    select stage_id, status, count(*)::int as n from applications where organization_id = ${organizationId}
    group by stage_id, status order by stage_id, status`;
}

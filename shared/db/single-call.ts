import type { Sql } from 'postgres';
import { renewPool } from './client.js';
import { isConnectionLost, type Tx } from './tenant.js';

/**
 * A JSON document as an SQL constant, `E'…'::jsonb`: inside an E'' constant a backslash and a quote are the only
 * characters with a meaning, and both are doubled, so the text is read back exactly whatever
 * `standard_conforming_strings` says. JSON.stringify writes every control character as an escape, and the
 * connection's client encoding is UTF-8 (postgres.js sets it), whose multi-byte sequences never contain a quote or
 * a backslash byte.
 */
export function jsonbConstant(value: unknown): string {
  const text = JSON.stringify(value);
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'::jsonb`;
}

/**
 * One call of a hub function that takes its whole input as one jsonb document and answers one (the hot writes of
 * migrations 0019/0020), as a statement WITHOUT parameters: with `prepare: false` (production, behind RDS Proxy)
 * postgres.js describes a statement that has parameters and waits for the answer before it binds (two round
 * trips); a statement without parameters goes as Parse/Bind/Execute in one flight (one round trip). Unnamed
 * whatever the pool's `prepare`, so no named statement is kept per distinct text. Outside a transaction the
 * call is its own transaction; a connection lost during it renews the pool, as `withTenant` does (postgres.js
 * cannot reuse a connection lost with a statement in flight, docs/performance-results.md).
 */
export async function callWithDocument<T>(sql: Sql | Tx, fn: string, input: unknown): Promise<T> {
  if (!/^[a-z_]{1,63}$/.test(fn)) throw new TypeError(`invalid function name ${JSON.stringify(fn)}`);
  try {
    const [row] = await sql.unsafe<{ r: T }[]>(`select ${fn}(${jsonbConstant(input)}) as r`, [], {
      prepare: false,
    });
    return row!.r;
  } catch (error) {
    if (isConnectionLost(error)) renewPool(sql as Sql);
    throw error;
  }
}

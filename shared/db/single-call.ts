import type { Sql } from 'postgres';
import { renewPool } from './client.js';
import { isConnectionLost, type Tx } from './tenant.js';

/**
 * RDS Proxy pins a session to its connection when a statement's text is over 16 KB
 * (docs/performance-results.md, "RDS Proxy"), so a value is inlined only while the whole statement stays under
 * this many bytes (UTF-8, as postgres.js sends it); a larger one goes as a parameter.
 */
export const MAX_INLINED_STATEMENT_BYTES = 16 * 1024;

/**
 * A string as an SQL constant, `E'…'`: inside an E'' constant a backslash and a quote are the only characters with
 * a meaning, and both are doubled, so the text is read back exactly whatever `standard_conforming_strings` says.
 * The connection's client encoding is UTF-8 (postgres.js sets it), whose multi-byte sequences never contain a
 * quote or a backslash byte. The caller keeps NUL out: text cannot hold it, and the protocol ends a statement's
 * text at it.
 */
export function stringConstant(value: string): string {
  return `E'${value.replace(/[\\']/g, '$&$&')}'`;
}

/**
 * A JSON document as an SQL constant, `E'…'::jsonb` (see `stringConstant`). JSON.stringify writes every control
 * character, NUL included, as an escape.
 */
export function jsonbConstant(value: unknown): string {
  return `${stringConstant(JSON.stringify(value))}::jsonb`;
}

/**
 * Sends one statement outside `withTenant`; a connection lost during it renews the pool, as `withTenant` does
 * (postgres.js cannot reuse a connection lost with a statement in flight, shared/db/client.ts).
 */
export async function renewingOnLoss<T>(sql: Sql | Tx, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (isConnectionLost(error)) renewPool(sql as Sql);
    throw error;
  }
}

/**
 * A statement WITHOUT parameters, its values inlined as constants: with `prepare: false` (production, behind RDS
 * Proxy) postgres.js describes a statement that has parameters and waits for the answer before it binds (two
 * round trips); a statement without parameters goes as Parse/Bind/Execute in one flight (one round trip).
 * Unnamed whatever the pool's `prepare`, so no named statement is kept per distinct text.
 */
export function sendWithoutParameters<T extends object>(sql: Sql | Tx, text: string): Promise<T[]> {
  return renewingOnLoss(sql, () => sql.unsafe<T[]>(text, [], { prepare: false }));
}

/**
 * One call of a hub function that takes its whole input as one jsonb document and answers one (the hot writes of
 * migrations 0019/0020), sent without parameters (`sendWithoutParameters`). Outside a transaction the call is its
 * own transaction.
 */
export async function callWithDocument<T>(sql: Sql | Tx, fn: string, input: unknown): Promise<T> {
  if (!/^[a-z_]{1,63}$/.test(fn)) throw new TypeError(`invalid function name ${JSON.stringify(fn)}`);
  const [row] = await sendWithoutParameters<{ r: T }>(sql, `select ${fn}(${jsonbConstant(input)}) as r`);
  return row!.r;
}

/** Keyset pagination of the record's lists (shared/api/cursor.ts holds the cursor's encoding). */
import type { Tx } from '../tenant.js';

/** A timestamp's exact text (microseconds) for a keyset cursor: a JS Date would round it to milliseconds. */
export const sortKey = (tx: Tx, column: string) =>
  tx.unsafe(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_at`);

/** The previous page's last sort key and id, or nulls for the first page. */
export const keyset = (after?: readonly string[]): [string | null, string | null] => [
  after?.[0] ?? null,
  after?.[1] ?? null,
];

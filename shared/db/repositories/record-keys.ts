/** Keyset pagination of the record's lists (shared/api/cursor.ts holds the cursor's encoding). */
import type { PendingQuery, Row } from 'postgres';
import type { Tx } from '../tenant.js';

/** A timestamp's exact text (microseconds) for a keyset cursor: a JS Date would round it to milliseconds. */
export const sortKey = (tx: Tx, column: string) =>
  tx.unsafe(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_at`);

/** The previous page's last sort key and id, or nulls for the first page. */
export const keyset = (after?: readonly string[]): [string | null, string | null] => [
  after?.[0] ?? null,
  after?.[1] ?? null,
];

export interface TimeOrderedList {
  /** Constants of the repository, never input: the select list, the table with its alias, the sort columns. */
  columns: string;
  from: string;
  time: string;
  id: string;
  where: PendingQuery<Row[]>;
}

/** One page (`limit + 1` rows, oldest first) of a list ordered by (time, id), with each row's `sort_at`. */
export function timeOrderedPage<R extends object>(
  tx: Tx,
  list: TimeOrderedList,
  limit: number,
  after?: readonly string[],
) {
  const [at, id] = keyset(after);
  // the cursor's instant goes as text: a parameter typed timestamptz is sent through a JS Date, cut to milliseconds,
  // and the page would start again at its own last row
  const [time, key] = [tx.unsafe(list.time), tx.unsafe(list.id)];
  return tx<R[]>`
    select ${tx.unsafe(list.columns)}, ${sortKey(tx, list.time)} from ${tx.unsafe(list.from)}
    where ${list.where} and (${at}::text is null or (${time}, ${key}) > (${at}::text::timestamptz, ${id}::uuid))
    order by ${time}, ${key}
    limit ${limit + 1}`;
}

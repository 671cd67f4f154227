/**
 * Every row of a v3 list filtered by an id array, following the `Link` cursor to the end. Harvest v3 id-array
 * filters take at most 50 ids (docs/providers.md §2.3), so the ids go in batches of 50, one paginated list each.
 */
import type * as z from 'zod';
import { assertSameOrigin } from '../common/client-kit.js';

/** Harvest v3 list endpoints document a cap of 50 ids per id-array filter (`ids`, `job_ids`, …); more is a 422. */
export const MAX_IDS_PER_FILTER = 50;

export type GetList = <S extends z.ZodType>(
  url: string,
  schema: S,
  what: string,
  followUp: boolean,
) => Promise<{ records: z.output<S>[]; next: string | null }>;

export interface BatchedQuery<S extends z.ZodType> {
  path: string;
  /** The id-array filter (`job_ids`, `candidate_ids`, `ids`). */
  param: string;
  ids: readonly string[];
  schema: S;
  what: string;
}

export function createBatchedList(base: string, getList: GetList) {
  return async function listByIds<S extends z.ZodType>(query: BatchedQuery<S>): Promise<z.output<S>[]> {
    const rows: z.output<S>[] = [];
    const ids = [...new Set(query.ids)];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_FILTER) {
      const first = new URL(`${base}${query.path}`);
      first.searchParams.set(query.param, ids.slice(start, start + MAX_IDS_PER_FILTER).join(','));
      first.searchParams.set('per_page', '500');
      let url: string | null = first.toString();
      let followUp = false;
      while (url) {
        assertSameOrigin(url, base);
        const page: { records: z.output<S>[]; next: string | null } = await getList(
          url,
          query.schema,
          query.what,
          followUp,
        );
        rows.push(...page.records);
        url = page.next;
        followUp = true;
      }
    }
    return rows;
  };
}

export type ListByIds = ReturnType<typeof createBatchedList>;

import type { Tx } from '../../tenant.js';
import type { SyncScope, UpsertCounts } from '../sync-jobs.js';
import { inputRows, noCounts, notOlder, type RecordWriteBase, refsAndCounts } from './common.js';

export interface RejectionReasonWrite extends RecordWriteBase {
  name: string;
  category: string | null;
}

/**
 * Like upsertInterviewsPage. A hub reason adopted by name keeps its source (`hub`): a full pass that no longer
 * sees it unlinks nothing the organization made itself.
 */
export async function upsertRejectionReasonsPage(
  tx: Tx,
  scope: SyncScope,
  writes: readonly RejectionReasonWrite[],
): Promise<UpsertCounts> {
  if (writes.length === 0) return noCounts;
  const [counts] = await tx<UpsertCounts[]>`
    with ${inputRows(tx, writes, [
      ['name', 'text[]', (w) => w.name],
      ['category', 'text[]', (w) => w.category],
    ])}, upserted as (
      insert into rejection_reasons as r (id, organization_id, name, category, source, source_updated_at, created_at,
        updated_at)
      select id, ${scope.organizationId}, name, category, ${scope.provider}, source_updated_at, ${scope.now}, ${scope.now}
      from input
      on conflict (id) do update set name = excluded.name, category = excluded.category,
        source_updated_at = coalesce(excluded.source_updated_at, r.source_updated_at), deleted_at = null,
        updated_at = now()
      where (r.name, r.category, r.source_updated_at, r.deleted_at)
        is distinct from (excluded.name, excluded.category, coalesce(excluded.source_updated_at, r.source_updated_at),
          null)
        and ${notOlder(tx, 'r')}
      returning r.id, r.source_updated_at, (xmax = 0) as inserted
    ), ${refsAndCounts(tx, scope, 'rejection_reason')}`;
  return counts ?? noCounts;
}

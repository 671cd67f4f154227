import type { NoteVisibility } from '../../../domain/canonical.js';
import type { Tx } from '../../tenant.js';
import type { SyncScope, UpsertCounts } from '../sync-jobs.js';
import { inputRows, noCounts, notOlder, type RecordWriteBase, refsAndCounts } from './common.js';

export interface NoteWrite extends RecordWriteBase {
  candidateId: string;
  applicationId: string | null;
  body: string;
  author: string | null;
  visibility: NoteVisibility;
  createdAt: string;
}

/**
 * Like upsertInterviewsPage, without events (notes announce nothing). A hub note the provider reports back (it
 * was pushed, so it is linked) stays as the hub's user wrote it: author, visibility and body are the hub's.
 */
export async function upsertNotesPage(
  tx: Tx,
  scope: SyncScope,
  writes: readonly NoteWrite[],
): Promise<UpsertCounts> {
  if (writes.length === 0) return noCounts;
  const [counts] = await tx<UpsertCounts[]>`
    with ${inputRows(tx, writes, [
      ['candidate_id', 'uuid[]', (w) => w.candidateId],
      ['application_id', 'uuid[]', (w) => w.applicationId],
      ['body', 'text[]', (w) => w.body],
      ['author', 'text[]', (w) => w.author],
      ['visibility', 'text[]', (w) => w.visibility],
      ['created_at', 'timestamptz[]', (w) => w.createdAt],
    ])}, upserted as (
      insert into notes as n (id, organization_id, candidate_id, application_id, body, author, visibility, source,
        source_updated_at, created_at, updated_at)
      select id, ${scope.organizationId}, candidate_id, application_id, body, author, visibility, ${scope.provider},
        source_updated_at, created_at, ${scope.now}
      from input
      on conflict (id) do update set candidate_id = excluded.candidate_id, application_id = excluded.application_id,
        body = excluded.body, author = excluded.author, visibility = excluded.visibility,
        source_updated_at = coalesce(excluded.source_updated_at, n.source_updated_at), deleted_at = null,
        updated_at = now()
      where (n.candidate_id, n.application_id, n.body, n.author, n.visibility, n.source_updated_at, n.deleted_at)
        is distinct from (excluded.candidate_id, excluded.application_id, excluded.body, excluded.author,
          excluded.visibility, coalesce(excluded.source_updated_at, n.source_updated_at), null)
        and ${notOlder(tx, 'n')} and n.source <> 'hub'
      returning n.id, n.source_updated_at, (xmax = 0) as inserted
    ), ${refsAndCounts(tx, scope, 'note')}`;
  return counts ?? noCounts;
}

import type { OfferStatus } from '../../../domain/canonical.js';
import type { Tx } from '../../tenant.js';
import type { SyncScope, UpsertCounts } from '../sync-jobs.js';
import { inputRows, noCounts, notOlder, type RecordWriteBase, refsAndCounts } from './common.js';

export interface OfferWrite extends RecordWriteBase {
  applicationId: string;
  status: OfferStatus;
  sentAt: string | null;
  resolvedAt: string | null;
  startsAt: string | null;
}

/**
 * Like upsertInterviewsPage; `offer.created` for each offer stored for the first time and `offer.accepted` when an
 * offer's status becomes accepted. `previous` reads the rows as they were before this statement (every CTE of
 * one statement sees the same snapshot), which tells a status that became accepted from one that was.
 */
export async function upsertOffersPage(
  tx: Tx,
  scope: SyncScope,
  writes: readonly OfferWrite[],
): Promise<UpsertCounts> {
  if (writes.length === 0) return noCounts;
  const [counts] = await tx<UpsertCounts[]>`
    with ${inputRows(tx, writes, [
      ['application_id', 'uuid[]', (w) => w.applicationId],
      ['status', 'text[]', (w) => w.status],
      ['sent_at', 'timestamptz[]', (w) => w.sentAt],
      ['resolved_at', 'timestamptz[]', (w) => w.resolvedAt],
      ['starts_at', 'date[]', (w) => w.startsAt],
    ])}, previous as (
      select o.id, o.status from offers o join input on input.id = o.id
    ), upserted as (
      insert into offers as o (id, organization_id, application_id, status, sent_at, resolved_at, starts_at, source,
        source_updated_at, created_at, updated_at)
      select id, ${scope.organizationId}, application_id, status, sent_at, resolved_at, starts_at, ${scope.provider},
        source_updated_at, ${scope.now}, ${scope.now}
      from input
      on conflict (id) do update set application_id = excluded.application_id, status = excluded.status,
        sent_at = excluded.sent_at, resolved_at = excluded.resolved_at, starts_at = excluded.starts_at,
        source_updated_at = coalesce(excluded.source_updated_at, o.source_updated_at), deleted_at = null,
        updated_at = now()
      where (o.application_id, o.status, o.sent_at, o.resolved_at, o.starts_at, o.source_updated_at, o.deleted_at)
        is distinct from (excluded.application_id, excluded.status, excluded.sent_at, excluded.resolved_at,
          excluded.starts_at, coalesce(excluded.source_updated_at, o.source_updated_at), null)
        and ${notOlder(tx, 'o')}
      returning o.id, o.application_id, o.status, o.source_updated_at, (xmax = 0) as inserted
    ), events as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select ${scope.organizationId}::uuid, 'application', u.application_id, 'offer.created',
        jsonb_build_object('applicationId', u.application_id, 'offerId', u.id, 'status', u.status,
          'source', ${scope.provider}::text)
      from upserted u where u.inserted
      union all
      select ${scope.organizationId}::uuid, 'application', u.application_id, 'offer.accepted',
        jsonb_build_object('applicationId', u.application_id, 'offerId', u.id, 'source', ${scope.provider}::text)
      from upserted u left join previous p on p.id = u.id
      where u.status = 'accepted' and p.status is distinct from 'accepted'
    ), ${refsAndCounts(tx, scope, 'offer')}`;
  return counts ?? noCounts;
}

import type { CanonicalPerson, InterviewStatus } from '../../../domain/canonical.js';
import type { Tx } from '../../tenant.js';
import type { SyncScope, UpsertCounts } from '../sync-jobs.js';
import { inputRows, noCounts, notOlder, type RecordWriteBase, refsAndCounts } from './common.js';

export interface InterviewWrite extends RecordWriteBase {
  applicationId: string;
  title: string;
  stageId: string | null;
  stageName: string | null;
  startAt: string;
  endAt: string;
  location: string | null;
  status: InterviewStatus;
  interviewers: CanonicalPerson[];
}

/**
 * ONE statement for the page: new interviews inserted and linked, known ones rewritten only when a column differs
 * and the record is not older than the row (a soft-deleted one is restored), and `interview.scheduled` in the
 * outbox for each scheduled interview stored for the first time.
 */
export async function upsertInterviewsPage(
  tx: Tx,
  scope: SyncScope,
  writes: readonly InterviewWrite[],
): Promise<UpsertCounts> {
  if (writes.length === 0) return noCounts;
  const [counts] = await tx<UpsertCounts[]>`
    with ${inputRows(tx, writes, [
      ['application_id', 'uuid[]', (w) => w.applicationId],
      ['title', 'text[]', (w) => w.title],
      ['stage_id', 'uuid[]', (w) => w.stageId],
      ['stage_name', 'text[]', (w) => w.stageName],
      ['start_at', 'timestamptz[]', (w) => w.startAt],
      ['end_at', 'timestamptz[]', (w) => w.endAt],
      ['location', 'text[]', (w) => w.location],
      ['status', 'text[]', (w) => w.status],
      ['interviewers', 'text[]', (w) => JSON.stringify(w.interviewers)],
    ])}, upserted as (
      insert into interviews as i (id, organization_id, application_id, title, stage_id, stage_name, start_at, end_at,
        location, status, interviewers, source, source_updated_at, created_at, updated_at)
      select id, ${scope.organizationId}, application_id, title, stage_id, stage_name, start_at, end_at, location,
        status, interviewers::jsonb, ${scope.provider}, source_updated_at, ${scope.now}, ${scope.now}
      from input
      on conflict (id) do update set application_id = excluded.application_id, title = excluded.title,
        stage_id = excluded.stage_id, stage_name = excluded.stage_name, start_at = excluded.start_at,
        end_at = excluded.end_at, location = excluded.location, status = excluded.status,
        interviewers = excluded.interviewers,
        source_updated_at = coalesce(excluded.source_updated_at, i.source_updated_at), deleted_at = null,
        updated_at = now()
      where (i.application_id, i.title, i.stage_id, i.stage_name, i.start_at, i.end_at, i.location, i.status,
          i.interviewers, i.source_updated_at, i.deleted_at)
        is distinct from (excluded.application_id, excluded.title, excluded.stage_id, excluded.stage_name,
          excluded.start_at, excluded.end_at, excluded.location, excluded.status, excluded.interviewers,
          coalesce(excluded.source_updated_at, i.source_updated_at), null)
        and ${notOlder(tx, 'i')}
      returning i.id, i.application_id, i.start_at, i.end_at, i.status, i.source_updated_at, (xmax = 0) as inserted
    ), events as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select ${scope.organizationId}::uuid, 'application', u.application_id, 'interview.scheduled',
        jsonb_build_object('applicationId', u.application_id, 'interviewId', u.id, 'startAt', u.start_at,
          'endAt', u.end_at, 'source', ${scope.provider}::text)
      from upserted u where u.inserted and u.status = 'scheduled'
    ), ${refsAndCounts(tx, scope, 'interview')}`;
  return counts ?? noCounts;
}

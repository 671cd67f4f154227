import type { Recommendation } from '../../../domain/canonical.js';
import type { Tx } from '../../tenant.js';
import type { SyncScope, UpsertCounts } from '../sync-jobs.js';
import { inputRows, noCounts, notOlder, type RecordWriteBase, refsAndCounts } from './common.js';

export interface ScorecardWrite extends RecordWriteBase {
  applicationId: string;
  interviewId: string | null;
  interviewerName: string;
  interviewerEmail: string | null;
  recommendation: Recommendation;
  submittedAt: string;
  attributes: { name: string; rating: string }[];
}

/** Like upsertInterviewsPage; `scorecard.submitted` for each scorecard stored for the first time. */
export async function upsertScorecardsPage(
  tx: Tx,
  scope: SyncScope,
  writes: readonly ScorecardWrite[],
): Promise<UpsertCounts> {
  if (writes.length === 0) return noCounts;
  const [counts] = await tx<UpsertCounts[]>`
    with ${inputRows(tx, writes, [
      ['application_id', 'uuid[]', (w) => w.applicationId],
      ['interview_id', 'uuid[]', (w) => w.interviewId],
      ['interviewer_name', 'text[]', (w) => w.interviewerName],
      ['interviewer_email', 'text[]', (w) => w.interviewerEmail],
      ['recommendation', 'text[]', (w) => w.recommendation],
      ['submitted_at', 'timestamptz[]', (w) => w.submittedAt],
      ['attributes', 'text[]', (w) => JSON.stringify(w.attributes)],
    ])}, upserted as (
      insert into scorecards as s (id, organization_id, application_id, interview_id, interviewer_name,
        interviewer_email, recommendation, submitted_at, attributes, source, source_updated_at, created_at, updated_at)
      select id, ${scope.organizationId}, application_id, interview_id, interviewer_name, interviewer_email,
        recommendation, submitted_at, attributes::jsonb, ${scope.provider}, source_updated_at, ${scope.now}, ${scope.now}
      from input
      on conflict (id) do update set application_id = excluded.application_id, interview_id = excluded.interview_id,
        interviewer_name = excluded.interviewer_name, interviewer_email = excluded.interviewer_email,
        recommendation = excluded.recommendation, submitted_at = excluded.submitted_at,
        attributes = excluded.attributes,
        source_updated_at = coalesce(excluded.source_updated_at, s.source_updated_at), deleted_at = null,
        updated_at = now()
      where (s.application_id, s.interview_id, s.interviewer_name, s.interviewer_email, s.recommendation,
          s.submitted_at, s.attributes, s.source_updated_at, s.deleted_at)
        is distinct from (excluded.application_id, excluded.interview_id, excluded.interviewer_name,
          excluded.interviewer_email, excluded.recommendation, excluded.submitted_at, excluded.attributes,
          coalesce(excluded.source_updated_at, s.source_updated_at), null)
        and ${notOlder(tx, 's')}
      returning s.id, s.application_id, s.interview_id, s.recommendation, s.source_updated_at,
        (xmax = 0) as inserted
    ), events as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select ${scope.organizationId}::uuid, 'application', u.application_id, 'scorecard.submitted',
        jsonb_build_object('applicationId', u.application_id, 'scorecardId', u.id, 'interviewId', u.interview_id,
          'recommendation', u.recommendation, 'source', ${scope.provider}::text)
      from upserted u where u.inserted
    ), ${refsAndCounts(tx, scope, 'scorecard')}`;
  return counts ?? noCounts;
}

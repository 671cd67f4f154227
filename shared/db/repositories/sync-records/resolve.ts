import type { RecordObjectType } from '../../../domain/canonical.js';
import type { Tx } from '../../tenant.js';
import type { SyncScope } from '../sync-jobs.js';

/** What one record of a page points at, by remote id (null: it points at nothing of that kind). */
export interface RecordLinks {
  remoteId: string;
  applicationRemoteId?: string | null;
  candidateRemoteId?: string | null;
  interviewRemoteId?: string | null;
  stage?: { remoteId: string | null; name: string } | null;
  /** A rejection reason's name: an unlinked hub reason of that name is adopted rather than duplicated. */
  reasonName?: string | null;
}

/** The local ids the links resolve to; null where nothing is synced. */
export interface RecordResolution {
  /** The local row linked to the record's remote id, or the hub reason it adopts. */
  id: string | null;
  refExists: boolean;
  applicationId: string | null;
  /** The candidate of the resolved application. */
  applicationCandidateId: string | null;
  candidateId: string | null;
  interviewId: string | null;
  stageId: string | null;
}

interface ResolveRow {
  ord: number;
  ref_id: string | null;
  adopt_id: string | null;
  application_id: string | null;
  application_candidate_id: string | null;
  candidate_id: string | null;
  interview_id: string | null;
  stage_id: string | null;
}

const trimmed = (value: string | null | undefined): string | null => value?.trim() || null;

/**
 * ONE statement for the page: each record's own ref, its application (with the application's candidate and job),
 * its candidate, its interview and its stage on the application's job (stage ref of that job, else the same name),
 * as LATERAL probes of unique indexes like resolveApplications. The own ref's probe repeats the partial index's
 * predicate (`object_type <> 'stage'`) so the index serves a parameterised object type.
 */
export async function resolveRecordLinks(
  tx: Tx,
  scope: SyncScope,
  objectType: RecordObjectType,
  records: readonly RecordLinks[],
): Promise<RecordResolution[]> {
  if (records.length === 0) return [];
  const adoptReasons = objectType === 'rejection_reason';
  const rows = await tx<ResolveRow[]>`
    select t.ord::int, s.local_id as ref_id, rr.id as adopt_id, a.local_id as application_id,
      ap.candidate_id as application_candidate_id, c.local_id as candidate_id, i.local_id as interview_id,
      st.id as stage_id
    from unnest(${records.map((r) => r.remoteId)}::text[], ${records.map((r) => r.applicationRemoteId ?? null)}::text[],
        ${records.map((r) => r.candidateRemoteId ?? null)}::text[], ${records.map((r) => r.interviewRemoteId ?? null)}::text[],
        ${records.map((r) => r.stage?.remoteId ?? null)}::text[], ${records.map((r) => trimmed(r.stage?.name))}::text[],
        ${records.map((r) => trimmed(r.reasonName))}::text[]) with ordinality
        as t(remote_id, application_remote_id, candidate_remote_id, interview_remote_id, stage_remote_id, stage_name,
          reason_name, ord)
    left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
      and object_type = ${objectType} and object_type <> 'stage' and remote_id = t.remote_id limit 1) s on true
    left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
      and object_type = 'application' and remote_id = t.application_remote_id limit 1) a on true
    left join lateral (select p.candidate_id, p.job_id from applications p where p.id = a.local_id) ap on true
    left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
      and object_type = 'candidate' and remote_id = t.candidate_remote_id limit 1) c on true
    left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
      and object_type = 'interview' and remote_id = t.interview_remote_id limit 1) i on true
    left join lateral (select js.id from job_stages js
        left join external_refs sr on sr.integration_id = ${scope.integrationId} and sr.object_type = 'stage'
          and sr.local_id = js.id
      where js.job_id = ap.job_id and (t.stage_remote_id is not null or t.stage_name is not null)
        and (sr.remote_id = t.stage_remote_id or lower(js.name) = lower(t.stage_name))
      order by (sr.remote_id = t.stage_remote_id) desc nulls last limit 1) st on true
    left join lateral (select q.id from rejection_reasons q
      where ${adoptReasons} and s.local_id is null and q.organization_id = ${scope.organizationId}
        and lower(q.name) = lower(t.reason_name) and q.deleted_at is null
        and not exists (select 1 from external_refs x where x.integration_id = ${scope.integrationId}
          and x.object_type = 'rejection_reason' and x.local_id = q.id)
      order by q.created_at, q.id limit 1) rr on true
    order by t.ord`;
  return rows.map((row) => ({
    id: row.ref_id ?? row.adopt_id,
    refExists: row.ref_id !== null,
    applicationId: row.application_id,
    applicationCandidateId: row.application_candidate_id,
    candidateId: row.candidate_id,
    interviewId: row.interview_id,
    stageId: row.stage_id,
  }));
}

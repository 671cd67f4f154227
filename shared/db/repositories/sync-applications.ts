import { randomUUID } from 'node:crypto';
import type { CanonicalApplication } from '../../domain/canonical.js';
import type { ApplicationStatus } from '../../domain/pipeline.js';
import type { Tx } from '../tenant.js';
import type { RecordFailure } from './sync-candidates.js';
import type { SyncScope } from './sync-jobs.js';

/** What the resolve statement knows about one remote application. */
export interface ApplicationResolution {
  record: CanonicalApplication;
  /** Local application linked to the remote id (or the unlinked open one it matched), if any. */
  applicationId: string | null;
  refExists: boolean;
  current: {
    stageId: string;
    status: ApplicationStatus;
    jobId: string;
    candidateId: string;
    sourceUpdatedAt: Date | null;
    deleted: boolean;
  } | null;
  candidateId: string | null;
  jobId: string | null;
  /** The provider stage mapped to the job's stage (stage ref, else same name); null when none matches. */
  targetStageId: string | null;
  offerAcceptedStageId: string | null;
  /** The job's first stage: where a closed application the provider reports without a stage is kept. */
  firstStageId: string | null;
  /** The hub's active application of this candidate × job (at most one: applications_one_active_idx), if any. */
  activeId: string | null;
}

interface ResolveRow {
  ord: number;
  app_id: string | null;
  ref_exists: boolean;
  stage_id: string | null;
  status: ApplicationStatus | null;
  app_job_id: string | null;
  app_candidate_id: string | null;
  source_updated_at: Date | null;
  deleted: boolean | null;
  candidate_id: string | null;
  job_id: string | null;
  target_stage_id: string | null;
  offer_accepted_id: string | null;
  first_stage_id: string | null;
  active_id: string | null;
}

/** One statement: refs, current state, candidate and job links and the target stage of every record. */
export async function resolveApplications(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalApplication[],
): Promise<ApplicationResolution[]> {
  if (records.length === 0) return [];
  // Every lookup is a LATERAL probe of a unique index, so the plan stays linear even on tables the planner has
  // no statistics for yet (a first import). Under RLS a probe keyed by an expression (`id = coalesce(…)`) is not
  // pushed below the policy's filter and turns into a scan of the organization per record, so the current row
  // comes from a UNION ALL of plain-key probes, which also yields the job whose stages are searched.
  const rows = await tx<ResolveRow[]>`
    select t.ord::int, a.id as app_id, (ar.local_id is not null) as ref_exists,
      a.stage_id, a.status, a.job_id as app_job_id, a.candidate_id as app_candidate_id, a.source_updated_at,
      (a.deleted_at is not null) as deleted, cr.local_id as candidate_id, jr.local_id as job_id,
      st.id as target_stage_id, oa.id as offer_accepted_id, fs.id as first_stage_id, act.id as active_id
    from unnest(${records.map((r) => r.remoteId)}::text[], ${records.map((r) => r.candidateRemoteId)}::text[],
        ${records.map((r) => r.jobRemoteId)}::text[], ${records.map((r) => r.stage?.remoteId ?? null)}::text[],
        ${records.map((r) => r.stage?.name?.trim() || null)}::text[], ${records.map((r) => r.status)}::text[])
        with ordinality as t(remote_id, candidate_remote_id, job_remote_id, stage_remote_id, stage_name, status, ord)
    left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
      and object_type = 'application' and remote_id = t.remote_id limit 1) ar on true
    left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
      and object_type = 'candidate' and remote_id = t.candidate_remote_id limit 1) cr on true
    left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
      and object_type = 'job' and remote_id = t.job_remote_id limit 1) jr on true
    left join lateral (select d.id, d.stage_id, d.status, d.job_id, d.candidate_id, d.source_updated_at, d.deleted_at
      from applications d where d.organization_id = ${scope.organizationId}
        and d.candidate_id = cr.local_id and d.job_id = jr.local_id and d.status = 'active' and d.deleted_at is null
      limit 1) act on true
    -- an open remote application links to the open local one of its pair that no remote one holds yet (a portal
    -- submission whose push has not linked it); a closed one is history of its own
    left join lateral (select act.id where ar.local_id is null and t.status = 'active' and act.id is not null
        and not exists (select 1 from external_refs u where u.integration_id = ${scope.integrationId}
          and u.object_type = 'application' and u.local_id = act.id)) m on true
    left join lateral (
      select k.id, k.stage_id, k.status, k.job_id, k.candidate_id, k.source_updated_at, k.deleted_at
        from applications k where k.id = ar.local_id
      union all
      select act.id, act.stage_id, act.status, act.job_id, act.candidate_id, act.source_updated_at, act.deleted_at
        where m.id is not null
      union all
      select null, null, null, jr.local_id, null, null, null where ar.local_id is null and m.id is null
    ) a on true
    left join lateral (select s.id from job_stages s
        left join external_refs sr on sr.integration_id = ${scope.integrationId} and sr.object_type = 'stage'
          and sr.local_id = s.id
      where s.job_id = a.job_id and (sr.remote_id = t.stage_remote_id or lower(s.name) = lower(t.stage_name))
      order by (sr.remote_id = t.stage_remote_id) desc nulls last limit 1) st on true
    left join lateral (select s.id from job_stages s where s.job_id = a.job_id
        and s.kind = 'offer_accepted' limit 1) oa on true
    left join lateral (select s.id from job_stages s where s.job_id = a.job_id order by s.position limit 1) fs on true
    order by t.ord`;
  return rows.map((row) => ({
    record: records[row.ord - 1]!,
    applicationId: row.app_id,
    refExists: row.ref_exists,
    current:
      row.app_id && row.stage_id && row.status
        ? {
            stageId: row.stage_id,
            status: row.status,
            jobId: row.app_job_id!,
            candidateId: row.app_candidate_id!,
            sourceUpdatedAt: row.source_updated_at,
            deleted: row.deleted === true,
          }
        : null,
    candidateId: row.candidate_id,
    jobId: row.job_id,
    targetStageId: row.target_stage_id,
    offerAcceptedStageId: row.offer_accepted_id,
    firstStageId: row.first_stage_id,
    activeId: row.active_id,
  }));
}

export interface ApplicationWrite {
  id: string;
  remoteId: string;
  candidateId: string;
  jobId: string;
  stageId: string;
  status: ApplicationStatus;
  sourceUpdatedAt: string | null;
  appliedAt: string | null;
  /** No local row yet: inserted with its first history row. */
  isNew: boolean;
  /** No external ref yet (new, or the unlinked open application of its candidate × job). */
  newRef: boolean;
}

/**
 * ONE statement for the page: inserts new applications (with their first history row and their refs) and, for
 * known ones, moves `source_updated_at` forward (and undeletes) only where it differs; the candidate's attachments
 * synced before their application (pending_application_remote_id) are linked to it. Stage and status changes of
 * known applications do not go through here: they follow the ATS rules one by one (applyChange).
 */
export async function upsertApplicationsPage(
  tx: Tx,
  scope: SyncScope,
  writes: readonly ApplicationWrite[],
): Promise<{ created: number; updated: number }> {
  if (writes.length === 0) return { created: 0, updated: 0 };
  const [counts] = await tx<{ created: number; updated: number }[]>`
    with input as (
      select * from unnest(${writes.map((w) => w.id)}::uuid[], ${writes.map((w) => w.remoteId)}::text[],
        ${writes.map((w) => w.candidateId)}::uuid[], ${writes.map((w) => w.jobId)}::uuid[],
        ${writes.map((w) => w.stageId)}::uuid[], ${writes.map((w) => w.status)}::text[],
        ${writes.map((w) => w.sourceUpdatedAt)}::timestamptz[], ${writes.map((w) => w.appliedAt)}::timestamptz[],
        ${writes.map((w) => String(w.newRef))}::text[]::bool[])
        as t(id, remote_id, candidate_id, job_id, stage_id, status, source_updated_at, applied_at, new_ref)
    ), upserted as (
      insert into applications as a (id, organization_id, candidate_id, job_id, stage_id, status, source,
        source_updated_at, created_at, updated_at, stage_entered_at)
      select id, ${scope.organizationId}, candidate_id, job_id, stage_id, status, ${scope.provider}, source_updated_at,
        coalesce(applied_at, ${scope.now}), ${scope.now}, coalesce(source_updated_at, ${scope.now})
      from input
      on conflict (id) do update set source_updated_at = coalesce(excluded.source_updated_at, a.source_updated_at),
        deleted_at = null, updated_at = now()
      where (a.source_updated_at, a.deleted_at)
        is distinct from (coalesce(excluded.source_updated_at, a.source_updated_at), null)
      returning a.id, (xmax = 0) as inserted, a.stage_id, a.status, a.created_at
    ), history as (
      insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id, from_status,
        to_status, actor_role, source, note, occurred_at)
      select ${scope.organizationId}, u.id, null, u.stage_id, null, u.status, 'provider', ${scope.provider}, 'imported', u.created_at
      from upserted u where u.inserted
    ), refs as (
      insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id, remote_updated_at, created_at)
      select ${scope.organizationId}, ${scope.integrationId}, 'application', id, remote_id, source_updated_at, ${scope.now}
      from input where new_ref
    ), linked as (
      -- the page's applications are paired with their input first (offset 0 keeps that join apart): joined in one
      -- step, a low estimate for the attachments made the planner rescan the upserted rows for each attachment
      update candidate_attachments x set application_id = l.id, pending_application_remote_id = null, updated_at = now()
      from (select u.id, i.candidate_id, i.remote_id from upserted u join input i on i.id = u.id offset 0) l
      where x.organization_id = ${scope.organizationId} and x.candidate_id = l.candidate_id and x.deleted_at is null
        and x.source = ${scope.provider} and x.pending_application_remote_id = l.remote_id
    )
    select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated
    from upserted`;
  return counts ?? { created: 0, updated: 0 };
}

export function newApplicationId(): string {
  return randomUUID();
}

export type { RecordFailure };

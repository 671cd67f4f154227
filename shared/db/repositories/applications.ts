import type { ApplicationStatus, StageKind, StageRef } from '../../domain/pipeline.js';
import type { Tx } from '../tenant.js';
import { sortKey } from './record-keys.js';

export interface ApplicationState {
  id: string;
  jobId: string;
  candidateId: string;
  source: string;
  status: ApplicationStatus;
  version: number;
  createdAt: Date;
  stage: StageRef;
  stages: StageRef[];
  /**
   * The caller's part (docs/parties.md): the receiving organization's, the submitting agency's, or a party that
   * only reads it (the brokering platform).
   */
  party: ApplicationParty;
}

export type ApplicationParty = 'receiver' | 'submitter' | 'observer';

interface StateRow {
  id: string;
  job_id: string;
  candidate_id: string;
  source: string;
  status: ApplicationStatus;
  version: number;
  created_at: Date;
  stage_id: string;
  stage_name: string;
  stage_kind: StageKind;
  stage_position: number;
  stages: StageRef[];
  party: ApplicationParty;
}

/** The application, its current stage and its job's whole pipeline, in one statement. */
export async function findApplicationState(tx: Tx, id: string): Promise<ApplicationState | undefined> {
  const [row] = await tx<StateRow[]>`
    select a.id, a.job_id, a.candidate_id, a.source, a.status, a.version, a.created_at,
      cs.id as stage_id, cs.name as stage_name, cs.kind as stage_kind, cs.position as stage_position,
      (select json_agg(json_build_object('id', s.id, 'name', s.name, 'position', s.position, 'kind', s.kind)
        order by s.position) from job_stages s where s.job_id = a.job_id) as stages,
      case when a.organization_id = app_org() then 'receiver'
        when a.submitting_organization_id = app_org() then 'submitter' else 'observer' end as party
    from applications a join job_stages cs on cs.id = a.stage_id
    where a.id = ${id} and a.deleted_at is null`;
  if (!row) return undefined;
  return {
    id: row.id,
    jobId: row.job_id,
    candidateId: row.candidate_id,
    source: row.source,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    stage: { id: row.stage_id, name: row.stage_name, kind: row.stage_kind, position: row.stage_position },
    stages: row.stages,
    party: row.party,
  };
}

export interface ChangeInput {
  applicationId: string;
  expectedStageId: string;
  expectedVersion: number;
  toStageId: string;
  toStatus: ApplicationStatus;
  rejectionReasonId: string | null;
  actorRole: 'portal' | 'ats' | 'admin' | 'provider' | 'system';
  actor: string | null;
  source: string;
  note: string | null;
  eventTypes: string[];
  eventPayload: Record<string, unknown>;
  /** Provider events: the source timestamp; an older one never overwrites a newer state. */
  sourceTimestamp?: Date | null;
}

export interface ChangedApplication {
  id: string;
  job_id: string;
  candidate_id: string;
  status: ApplicationStatus;
  source: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

type ChangeActor = Pick<ChangeInput, 'actorRole' | 'source'>;

const whichApplication = (state: ApplicationState) => ({
  applicationId: state.id,
  jobId: state.jobId,
  candidateId: state.candidateId,
});

/** Outbox payload of `application.stage_changed`: one shape whether the API or a provider moved the stage. */
export function stageChangedPayload(
  state: ApplicationState,
  target: StageRef,
  status: ApplicationStatus,
  by: ChangeActor,
): Record<string, unknown> {
  return {
    ...whichApplication(state),
    fromStage: state.stage.name,
    fromStageId: state.stage.id,
    toStage: target.name,
    toStageId: target.id,
    toStageKind: target.kind,
    status,
    ...by,
  };
}

/** Outbox payload of `application.status_changed`. */
export function statusChangedPayload(
  state: ApplicationState,
  status: ApplicationStatus,
  reasonId: string | null,
  by: ChangeActor,
): Record<string, unknown> {
  return {
    ...whichApplication(state),
    stage: state.stage.name,
    stageId: state.stage.id,
    fromStatus: state.status,
    status,
    reasonId,
    ...by,
  };
}

/**
 * Compare-and-set on (stage, version, active): exactly one of N concurrent identical changes matches; the
 * history row and the outbox rows are written by the same statement, so none exists without the others.
 */
export async function applyChange(tx: Tx, input: ChangeInput): Promise<ChangedApplication | undefined> {
  const [row] = await tx<ChangedApplication[]>`
    with moved as (
      update applications set
        stage_id = ${input.toStageId},
        status = ${input.toStatus},
        rejection_reason_id = coalesce(${input.rejectionReasonId}::uuid, rejection_reason_id),
        version = version + 1,
        updated_at = now(),
        stage_entered_at = case when stage_id = ${input.toStageId}::uuid then stage_entered_at else now() end,
        source_updated_at = coalesce(${input.sourceTimestamp ?? null}::timestamptz, source_updated_at)
      where id = ${input.applicationId} and stage_id = ${input.expectedStageId} and version = ${input.expectedVersion}
        and status = 'active' and deleted_at is null
      returning id, organization_id, job_id, candidate_id, status, source, version, created_at, updated_at
    ), history as (
      insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id,
        from_status, to_status, actor_role, actor, source, note, occurred_at)
      select moved.organization_id, moved.id, ${input.expectedStageId}, ${input.toStageId}, 'active', moved.status,
        ${input.actorRole}, ${input.actor}, ${input.source}, ${input.note}, moved.updated_at
      from moved
    ), events as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select moved.organization_id, 'application', moved.id, e.event_type,
        ${tx.json(input.eventPayload as never)}::jsonb || jsonb_build_object('version', moved.version,
          'occurredAt', to_char(moved.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      from moved, unnest(${input.eventTypes}::text[]) as e(event_type)
    )
    select * from moved`;
  return row;
}

/** The columns every application read returns. */
interface ApplicationRow {
  id: string;
  job_id: string;
  candidate_id: string;
  stage_name: string;
  status: ApplicationStatus;
  source: string;
  version: number;
  created_at: Date;
}

export interface DetailRow extends ApplicationRow {
  submitting_organization_id: string;
  receiving_organization_id: string;
  application_type: 'direct' | 'agency_submission' | 'platform_referral';
  candidate: { id: string; first_name: string; last_name: string; email: string; phone: string | null };
  job: { id: string; title: string };
  history: {
    from_stage: string | null;
    to_stage: string;
    from_status: string | null;
    to_status: string;
    occurred_at: string;
    actor_role: string;
    /** The acting user of a personal key (docs/api.md, "Users"). */
    user: { id: string; name: string } | null;
    source: string;
    note: string | null;
  }[];
  documents: {
    id: string;
    file_name: string;
    content_type: string;
    size_bytes: number;
    scan_status: string;
  }[];
  push: {
    state: 'pending' | 'pushed' | 'failed';
    attempts: number;
    last_error_code: string | null;
    last_error_message: string | null;
    pushed_at: string | null;
  } | null;
  external_refs: {
    provider: string;
    integration_id: string;
    type: 'candidate' | 'application' | 'attachment';
    remote_id: string;
  }[];
}

/** Application, candidate, job, full history and documents in one statement. */
export async function findApplicationDetail(
  tx: Tx,
  id: string,
  portalOnly: boolean,
): Promise<DetailRow | undefined> {
  const [row] = await tx<DetailRow[]>`
    select a.id, a.job_id, a.candidate_id, s.name as stage_name, a.status, a.source, a.version, a.created_at,
      a.submitting_organization_id, a.organization_id as receiving_organization_id, a.application_type,
      json_build_object('id', c.id, 'first_name', c.first_name, 'last_name', c.last_name, 'email', c.email,
        'phone', c.phone) as candidate,
      json_build_object('id', j.id, 'title', j.title) as job,
      coalesce((select json_agg(json_build_object('from_stage', fs.name, 'to_stage', ts.name,
          'from_status', h.from_status, 'to_status', h.to_status, 'occurred_at', h.occurred_at,
          'actor_role', h.actor_role, 'source', h.source, 'note', h.note,
          'user', (select json_build_object('id', u.id, 'name', u.name) from users u
            where u.organization_id = h.organization_id and u.id = h.actor_user_id)) order by h.id)
        from application_stage_history h
        left join job_stages fs on fs.id = h.from_stage_id
        join job_stages ts on ts.id = h.to_stage_id
        where h.application_id = a.id), '[]'::json) as history,
      coalesce((select json_agg(json_build_object('id', d.id, 'file_name', d.file_name,
          'content_type', d.content_type, 'size_bytes', d.size_bytes, 'scan_status', d.scan_status)
          order by d.created_at)
        from candidate_documents d where d.application_id = a.id), '[]'::json) as documents,
      (select json_build_object('state', p.state, 'attempts', p.attempts, 'last_error_code', p.last_error_code,
          'last_error_message', p.last_error_message, 'pushed_at', p.pushed_at)
        from submission_pushes p where p.application_id = a.id) as push,
      coalesce((select json_agg(json_build_object(
          -- the portal may not read integrations: a synced job of the same integration names its provider
          'provider', coalesce(i.provider, (select xj.source from external_refs x join jobs xj on xj.id = x.local_id
            where x.object_type = 'job' and x.integration_id = r.integration_id limit 1)),
          'integration_id', r.integration_id, 'type', r.object_type, 'remote_id', r.remote_id) order by r.id)
        from external_refs r left join integrations i on i.id = r.integration_id
        where (r.object_type = 'application' and r.local_id = a.id)
          or (r.object_type = 'candidate' and r.local_id = a.candidate_id)
          or (r.object_type = 'attachment'
            and r.local_id in (select d.id from candidate_documents d where d.application_id = a.id))),
        '[]'::json) as external_refs
    from applications a
    join job_stages s on s.id = a.stage_id
    join candidates c on c.organization_id = a.organization_id and c.id = a.candidate_id
    join jobs j on j.organization_id = a.organization_id and j.id = a.job_id
    where a.id = ${id} and a.deleted_at is null and (not ${portalOnly} or a.source = 'portal')`;
  return row;
}

export interface ListRow extends ApplicationRow {
  /** created_at with microseconds, the keyset cursor's instant (a JS Date keeps milliseconds only). */
  sort_at: string;
  first_name: string;
  last_name: string;
  email: string;
}

export interface ListFilter {
  jobId: string;
  stage?: string;
  status?: ApplicationStatus;
  limit: number;
  after?: { createdAt: string; id: string };
  portalOnly: boolean;
}

/** Keyset pagination on (created_at, id) descending; one row more than asked tells whether a next page exists. */
export async function listApplications(tx: Tx, filter: ListFilter): Promise<ListRow[]> {
  const stage = filter.stage ?? null;
  return tx<ListRow[]>`
    select a.id, a.job_id, a.candidate_id, s.name as stage_name, a.status, a.source, a.version, a.created_at,
      ${sortKey(tx, 'a.created_at')}, c.first_name, c.last_name, c.email
    from applications a
    join job_stages s on s.id = a.stage_id
    join candidates c on c.organization_id = a.organization_id and c.id = a.candidate_id
    where a.organization_id = app_org() and a.job_id = ${filter.jobId} and a.deleted_at is null
      and (not ${filter.portalOnly} or a.source = 'portal')
      and (${filter.status ?? null}::text is null or a.status = ${filter.status ?? null})
      and (${stage}::text is null or s.id::text = ${stage} or lower(s.name) = lower(${stage}))
      and (${filter.after?.createdAt ?? null}::text is null
        or (a.created_at, a.id) < (${filter.after?.createdAt ?? null}::text::timestamptz, ${filter.after?.id ?? null}::uuid))
    order by a.created_at desc, a.id desc
    limit ${filter.limit + 1}`;
}

export async function jobExists(tx: Tx, jobId: string): Promise<boolean> {
  const [row] = await tx<{ exists: boolean }[]>`
    select exists (select 1 from jobs where id = ${jobId} and deleted_at is null) as exists`;
  return row?.exists ?? false;
}

export async function rejectionReasonExists(tx: Tx, id: string): Promise<boolean> {
  const [row] = await tx<
    { exists: boolean }[]
  >`select exists (select 1 from rejection_reasons where id = ${id} and deleted_at is null) as exists`;
  return row?.exists ?? false;
}

export interface DocumentRow {
  id: string;
  s3_key: string;
  scan_status: string;
}

/** One document of a visible application (the portal: only what its portal submitted). */
export async function findApplicationDocument(
  tx: Tx,
  input: { applicationId: string; documentId: string; portalOnly: boolean },
): Promise<DocumentRow | undefined> {
  const [row] = await tx<DocumentRow[]>`
    select d.id, d.s3_key, d.scan_status
    from candidate_documents d
    join applications a on a.organization_id = d.organization_id and a.id = d.application_id
    where d.id = ${input.documentId} and a.id = ${input.applicationId} and a.deleted_at is null
      and (not ${input.portalOnly} or a.source = 'portal')`;
  return row;
}

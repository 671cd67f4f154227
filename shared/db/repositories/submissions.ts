import type { Tx } from '../tenant.js';

export interface SubmissionInput {
  jobId: string;
  candidateId: string;
  applicationId: string;
  candidate: { firstName: string; lastName: string; email: string; phone: string | null };
  externalPortalId: string | null;
  submittedBy: string | null;
  actor: string;
  document: { id: string; s3Key: string; fileName: string; contentType: string; sizeBytes: number } | null;
  idempotency: { key: string; requestHash: string } | null;
  /** Merged into the stored response (the presigned upload), so a replay returns it unchanged. */
  responseExtra: Record<string, unknown>;
}

export type SubmissionOutcome =
  | { kind: 'created'; response: Record<string, unknown>; receivingOrganizationId: string }
  | { kind: 'replay'; requestHash: string; statusCode: number; response: Record<string, unknown> }
  | { kind: 'job_not_found' }
  | { kind: 'job_not_open' };

interface Row {
  job_status: string | null;
  prior: { request_hash: string; status_code: number; response: Record<string, unknown> } | null;
  response: Record<string, unknown> | null;
  receiving_organization_id: string | null;
}

/**
 * The whole submission in one statement: idempotency lookup, job check, candidate upsert (one candidate per
 * organization × lower-cased email), application, first history row, resume document, outbox event and the
 * stored idempotent response. A second ACTIVE application of the candidate to the job raises the unique violation
 * of applications_one_active_idx and writes nothing; after a rejection or a withdrawal the candidate applies anew.
 */
export async function insertSubmission(tx: Tx, input: SubmissionInput): Promise<SubmissionOutcome> {
  const c = input.candidate;
  const d = input.document;
  const key = input.idempotency?.key ?? null;
  const [row] = await tx<Row[]>`
    with prior as (
      select request_hash, status_code, response from idempotency_keys
      where organization_id = app_org() and idempotency_key = ${key}
    ), job as (
      -- a job of the caller, or (an agency) a job of a live partnership; the application belongs to the job owner
      select j.id, j.organization_id, j.status, s.id as stage_id, s.name as stage_name,
        j.organization_id <> app_org() as by_party
      from jobs j join job_stages s on s.job_id = j.id and s.kind = 'screening'
      where j.id = ${input.jobId} and j.deleted_at is null and not exists (select 1 from prior)
        and (j.organization_id = app_org() or partner_job(j.id, true))
    ), cand as (
      -- one candidate per receiving organization × submitting party × lower-cased email
      insert into candidates (id, organization_id, submitting_organization_id, first_name, last_name, email, phone,
        external_portal_id, source)
      select ${input.candidateId}, job.organization_id, app_org(), ${c.firstName}, ${c.lastName}, ${c.email}, ${c.phone},
        ${input.externalPortalId}, 'portal'
      from job where job.status = 'open'
      on conflict (organization_id, submitting_organization_id, lower(email))
        do update set updated_at = now(), deleted_at = null
      returning id
    ), app as (
      insert into applications (id, organization_id, candidate_id, job_id, stage_id, status, source,
        external_portal_id, submitted_by, submitting_organization_id, application_type, platform_organization_id)
      select ${input.applicationId}, job.organization_id, cand.id, job.id, job.stage_id, 'active', 'portal',
        ${input.externalPortalId}, ${input.submittedBy}, app_org(),
        case when job.by_party then 'agency_submission' else 'direct' end,
        case when job.by_party then app_platform() end
      from cand, job
      returning id, organization_id, candidate_id, job_id, created_at, submitting_organization_id, application_type
    ), history as (
      insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id,
        from_status, to_status, actor_role, actor, source, occurred_at)
      select app.organization_id, app.id, null, job.stage_id, null, 'active', 'portal', ${input.actor}, 'portal', app.created_at
      from app, job
    ), document as (
      insert into candidate_documents (id, organization_id, candidate_id, application_id, s3_key, file_name,
        content_type, size_bytes)
      select ${d?.id ?? null}::uuid, app.organization_id, app.candidate_id, app.id, ${d?.s3Key ?? null}, ${d?.fileName ?? null},
        ${d?.contentType ?? null}, ${d?.sizeBytes ?? null}
      from app where ${d?.id ?? null}::uuid is not null
    ), event as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select app.organization_id, 'application', app.id, 'application.created',
        jsonb_build_object('applicationId', app.id, 'jobId', app.job_id, 'candidateId', app.candidate_id,
          'stage', job.stage_name, 'source', 'portal')
      from app, job
    ), response as (
      select jsonb_build_object('application', jsonb_build_object(
          'id', app.id, 'jobId', app.job_id, 'candidateId', app.candidate_id, 'stage', job.stage_name,
          'status', 'active', 'source', 'portal', 'version', 1,
          'submittingOrganizationId', app.submitting_organization_id, 'receivingOrganizationId', app.organization_id,
          'applicationType', app.application_type,
          'createdAt', to_char(app.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
        || ${tx.json(input.responseExtra as never)}::jsonb as body
      from app, job
    ), remembered as (
      insert into idempotency_keys (organization_id, idempotency_key, request_hash, status_code, response)
      select app_org(), ${key}, ${input.idempotency?.requestHash ?? ''}, 201, response.body
      from response where ${key}::text is not null
    )
    select (select status from job) as job_status,
      (select row_to_json(prior) from prior) as prior,
      (select body from response) as response,
      (select organization_id from app) as receiving_organization_id`;
  if (row?.prior) {
    return {
      kind: 'replay',
      requestHash: row.prior.request_hash,
      statusCode: row.prior.status_code,
      response: row.prior.response,
    };
  }
  if (!row?.job_status) return { kind: 'job_not_found' };
  if (!row.response) return { kind: 'job_not_open' };
  return { kind: 'created', response: row.response, receivingOrganizationId: row.receiving_organization_id! };
}

export async function findIdempotentResponse(
  tx: Tx,
  key: string,
): Promise<{ requestHash: string; statusCode: number; response: Record<string, unknown> } | undefined> {
  const [row] = await tx<{ request_hash: string; status_code: number; response: Record<string, unknown> }[]>`
    select request_hash, status_code, response from idempotency_keys
    where organization_id = app_org() and idempotency_key = ${key}`;
  return row
    ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response }
    : undefined;
}

/**
 * The caller's own active application of this email to the job (the one a new submission collides with), if any:
 * none while a collision exists means another party holds it (docs/parties.md).
 */
export async function findApplicationIdByEmail(
  tx: Tx,
  jobId: string,
  email: string,
): Promise<string | undefined> {
  const [row] = await tx<{ id: string }[]>`
    select a.id from applications a
    where a.job_id = ${jobId} and a.candidate_email = lower(${email}) and a.submitting_organization_id = app_org()
      and a.status = 'active' and a.deleted_at is null`;
  return row?.id;
}

import type { Sql } from 'postgres';
import { callWithDocument } from '../single-call.js';
import type { DbRole, Tx } from '../tenant.js';

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

/** Who submits: the settings `withCaller` would set, here set by the function itself. */
export interface SubmissionCaller {
  organizationId: string;
  role: DbRole;
  keyId: string;
  userId?: string | undefined;
}

interface CallResult {
  prior?: { request_hash: string; status_code: number; response: Record<string, unknown> };
  jobStatus?: string | null;
  response?: Record<string, unknown>;
  receivingOrganizationId?: string;
}

/**
 * The whole submission in one call of `hub_submit_application` (migration 0020), which sets the caller's settings
 * itself: idempotency lookup, job check, candidate upsert (one candidate per receiving organization × submitting
 * party × lower-cased email), application, first history row, resume document, outbox event, the stored
 * idempotent response and the reappearance flag. A second ACTIVE application of the person to the job raises the
 * unique violation of applications_one_active_email_idx and writes nothing; after a rejection or a withdrawal the
 * candidate applies anew. One statement, one round trip, no BEGIN/COMMIT (docs/performance-results.md, "B1").
 */
export async function insertSubmission(
  sql: Sql | Tx,
  caller: SubmissionCaller,
  input: SubmissionInput,
): Promise<SubmissionOutcome> {
  const c = input.candidate;
  const result = await callWithDocument<CallResult>(sql, 'hub_submit_application', {
    organizationId: caller.organizationId,
    role: caller.role,
    actorId: caller.keyId,
    userId: caller.userId ?? null,
    jobId: input.jobId,
    candidateId: input.candidateId,
    applicationId: input.applicationId,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    externalPortalId: input.externalPortalId,
    submittedBy: input.submittedBy,
    actor: input.actor,
    document: input.document,
    idempotencyKey: input.idempotency?.key ?? null,
    requestHash: input.idempotency?.requestHash ?? null,
    responseExtra: input.responseExtra,
  });
  if (result.prior) {
    return {
      kind: 'replay',
      requestHash: result.prior.request_hash,
      statusCode: result.prior.status_code,
      response: result.prior.response,
    };
  }
  if (result.response) {
    return {
      kind: 'created',
      response: result.response,
      receivingOrganizationId: result.receivingOrganizationId!,
    };
  }
  return result.jobStatus ? { kind: 'job_not_open' } : { kind: 'job_not_found' };
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

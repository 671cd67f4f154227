import { createHash, randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { SubmitApplicationBody } from '../../shared/api/applications.js';
import { bucketLayout, type QueueName } from '../../shared/config/resources.js';
import { receivingOrganization } from '../../shared/db/repositories/parties.js';
import {
  findApplicationIdByEmail,
  findIdempotentResponse,
  insertSubmission,
  type SubmissionOutcome,
} from '../../shared/db/repositories/submissions.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import { publishSoon } from '../../shared/outbox/publisher.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { Queue } from '../../shared/ports/queue.js';

export interface SubmissionDependencies {
  sql: Sql;
  objectStore: ObjectStore;
  clock: Clock;
  uploadTtlSeconds: number;
  /** Publishes the submission's outbox row at once (the write-back starts without waiting for the tick). */
  queues?: Readonly<Partial<Record<QueueName, Queue>>>;
}

export interface SubmissionResult {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

const UNIQUE_VIOLATION = '23505';

/** Canonical JSON of the validated body: the same request always hashes the same. */
function requestHash(body: SubmitApplicationBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

function replay(
  stored: { requestHash: string; statusCode: number; response: Record<string, unknown> },
  hash: string,
) {
  if (stored.requestHash !== hash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was used with a different request body');
  }
  return { status: stored.statusCode, body: stored.response, replayed: true };
}

export async function submitApplication(
  deps: SubmissionDependencies,
  principal: Principal,
  body: SubmitApplicationBody,
  idempotencyKey: string | undefined,
): Promise<SubmissionResult> {
  const organizationId = principal.organizationId;
  const applicationId = randomUUID();
  const hash = requestHash(body);
  // the resume belongs to the receiving organization (an agency submits into its partner employer's pipeline)
  const receiving = body.resume
    ? await receivingOrganization(deps.sql, organizationId, body.jobId)
    : organizationId;
  const document = body.resume
    ? {
        id: randomUUID(),
        s3Key: `${bucketLayout.resumes}${receiving}/${applicationId}/${randomUUID()}`,
        fileName: body.resume.fileName,
        contentType: body.resume.contentType,
        sizeBytes: body.resume.sizeBytes,
      }
    : null;
  // presigning is a local signature, no network: done before the transaction so it can be stored with it
  const resumeUpload = document
    ? await deps.objectStore.presignPost({
        key: document.s3Key,
        contentType: document.contentType,
        maxBytes: document.sizeBytes,
        expiresSeconds: deps.uploadTtlSeconds,
      })
    : undefined;
  let outcome: SubmissionOutcome;
  try {
    outcome = await insertSubmission(deps.sql, principal, {
      jobId: body.jobId,
      candidateId: randomUUID(),
      applicationId,
      candidate: {
        firstName: body.candidate.firstName,
        lastName: body.candidate.lastName,
        email: body.candidate.email,
        phone: body.candidate.phone ?? null,
      },
      externalPortalId: body.externalPortalId ?? null,
      submittedBy: body.submittedBy ?? null,
      actor: body.submittedBy ?? principal.keyId,
      document,
      idempotency: idempotencyKey ? { key: idempotencyKey, requestHash: hash } : null,
      responseExtra: resumeUpload ? { resumeUpload } : {},
    });
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    return resolveConflict(deps, organizationId, body, idempotencyKey, hash);
  }
  switch (outcome.kind) {
    case 'replay':
      return replay(outcome, hash);
    case 'job_not_found':
      throw notFound('job');
    case 'job_not_open':
      throw new DomainError('JOB_NOT_OPEN', 'the job is not open for applications');
    case 'created':
      await publishSoon(deps.sql, deps.queues, {
        organizationId: outcome.receivingOrganizationId,
        aggregateId: applicationId,
      });
      return { status: 201, body: outcome.response, replayed: false };
  }
}

/**
 * A unique violation means a concurrent twin with the same key, or an open application by this email to the job:
 * the caller's own (DUPLICATE_APPLICATION, naming it) or another party's (SUBMISSION_CONFLICT, naming nothing).
 */
async function resolveConflict(
  deps: SubmissionDependencies,
  organizationId: string,
  body: SubmitApplicationBody,
  idempotencyKey: string | undefined,
  hash: string,
): Promise<SubmissionResult> {
  return withTenant(deps.sql, organizationId, 'portal', async (tx) => {
    if (idempotencyKey) {
      const stored = await findIdempotentResponse(tx, idempotencyKey);
      if (stored) return replay(stored, hash);
    }
    const existing = await findApplicationIdByEmail(tx, body.jobId, body.candidate.email);
    if (!existing) {
      throw new DomainError(
        'SUBMISSION_CONFLICT',
        'another party holds an active application of this person to this job',
      );
    }
    throw new DomainError(
      'DUPLICATE_APPLICATION',
      'this email already has an active application to this job',
      {
        ...(existing ? { applicationId: existing } : {}),
      },
    );
  });
}

import type { Sql } from 'postgres';
import { computeFunnel } from '../../shared/analytics/funnel.js';
import { type FunnelQuery, funnelScopeFromQuery } from '../../shared/analytics/funnel-schema.js';
import type { JobView } from '../../shared/api/jobs.js';
import { iso, isoOrNull, toJobView } from '../../shared/api/views.js';
import {
  type DetailRow,
  findApplicationDetail,
  findApplicationDocument,
  jobExists,
  listApplications,
} from '../../shared/db/repositories/applications.js';
import { findJob, listOpenJobs } from '../../shared/db/repositories/jobs.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DOWNLOAD_LINK_SECONDS, decideDownload } from '../../shared/domain/documents.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import type { ApplicationStatus } from '../../shared/domain/pipeline.js';
import type { Principal } from '../../shared/http/types.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';

export interface PipelineReadDependencies {
  sql: Sql;
  clock: Clock;
  objectStore: ObjectStore;
}

export async function databaseAnswers(deps: PipelineReadDependencies): Promise<boolean> {
  try {
    await deps.sql`select 1`.execute();
    return true;
  } catch {
    return false;
  }
}

export async function getJobs(
  deps: PipelineReadDependencies,
  principal: Principal,
): Promise<{ items: JobView[] }> {
  const rows = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) => listOpenJobs(tx));
  return { items: rows.map(toJobView) };
}

export async function getJob(
  deps: PipelineReadDependencies,
  principal: Principal,
  jobId: string,
): Promise<JobView> {
  const row = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    findJob(tx, jobId),
  );
  if (!row) throw notFound('job');
  return toJobView(row);
}

export async function getApplication(deps: PipelineReadDependencies, principal: Principal, id: string) {
  const row = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    findApplicationDetail(tx, id, principal.role === 'portal'),
  );
  if (!row) throw notFound('application');
  return {
    application: {
      id: row.id,
      jobId: row.job_id,
      candidateId: row.candidate_id,
      stage: row.stage_name,
      status: row.status,
      source: row.source,
      version: row.version,
      createdAt: iso(row.created_at),
      submittingOrganizationId: row.submitting_organization_id,
      receivingOrganizationId: row.receiving_organization_id,
      applicationType: row.application_type,
    },
    candidate: {
      id: row.candidate.id,
      firstName: row.candidate.first_name,
      lastName: row.candidate.last_name,
      email: row.candidate.email,
      phone: row.candidate.phone,
    },
    job: row.job,
    history: row.history.map((h) => {
      const statusChange = h.from_stage === h.to_stage && h.from_status !== h.to_status;
      return {
        kind: statusChange ? 'status' : 'stage',
        from: statusChange ? h.from_status : h.from_stage,
        to: statusChange ? h.to_status : h.to_stage,
        status: h.to_status,
        at: iso(h.occurred_at),
        by: h.actor_role,
        user: h.user,
        source: h.source,
        note: h.note,
      };
    }),
    documents: row.documents.map((d) => ({
      id: d.id,
      fileName: d.file_name,
      contentType: d.content_type,
      sizeBytes: Number(d.size_bytes),
      scanStatus: d.scan_status,
    })),
    push: pushView(row.push),
    externalRefs: row.external_refs.map((r) => ({
      provider: r.provider,
      integrationId: r.integration_id,
      type: r.type,
      remoteId: r.remote_id,
    })),
  };
}

/** No push row: the application's job is local, or write-back did not apply to it. */
function pushView(push: DetailRow['push']) {
  if (!push) return { state: 'not_applicable' as const, attempts: 0, lastError: null, pushedAt: null };
  return {
    state: push.state,
    attempts: push.attempts,
    lastError: push.last_error_code
      ? { code: push.last_error_code, message: push.last_error_message ?? '' }
      : null,
    pushedAt: isoOrNull(push.pushed_at),
  };
}

/** A short-lived presigned GET of a clean document of a visible application. */
export async function getDocumentLink(
  deps: PipelineReadDependencies,
  principal: Principal,
  applicationId: string,
  documentId: string,
) {
  const document = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    findApplicationDocument(tx, { applicationId, documentId, portalOnly: principal.role === 'portal' }),
  );
  if (!document) throw notFound('document');
  const decision = decideDownload(document.scan_status);
  if (!decision.ok) throw new DomainError(decision.code, decision.reason);
  return deps.objectStore.presignGet(document.s3_key, DOWNLOAD_LINK_SECONDS);
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      c?: unknown;
      i?: unknown;
    };
    if (typeof value.c === 'string' && typeof value.i === 'string' && !Number.isNaN(Date.parse(value.c))) {
      if (/^[0-9a-f-]{36}$/i.test(value.i)) return { createdAt: value.c, id: value.i };
    }
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', 'invalid cursor', {
    issues: [{ path: 'query.cursor', message: 'not a cursor returned by this route' }],
  });
}

const encodeCursor = (createdAt: Date, id: string) =>
  Buffer.from(JSON.stringify({ c: createdAt.toISOString(), i: id })).toString('base64url');

export async function getJobApplications(
  deps: PipelineReadDependencies,
  principal: Principal,
  jobId: string,
  query: { limit: number; cursor?: string; stage?: string; status?: ApplicationStatus },
) {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    const [exists, page] = await Promise.all([
      jobExists(tx, jobId),
      listApplications(tx, {
        jobId,
        limit: query.limit,
        portalOnly: principal.role === 'portal',
        ...(after ? { after } : {}),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.status ? { status: query.status } : {}),
      }),
    ]);
    if (!exists) throw notFound('job');
    return page;
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      jobId: r.job_id,
      candidateId: r.candidate_id,
      stage: r.stage_name,
      status: r.status,
      source: r.source,
      version: r.version,
      createdAt: iso(r.created_at),
      candidate: { firstName: r.first_name, lastName: r.last_name, email: r.email },
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/** The same SQL the analytics export runs (shared/analytics/funnel.ts), scoped to the caller. */
export async function getFunnel(deps: PipelineReadDependencies, principal: Principal, query: FunnelQuery) {
  const scope = funnelScopeFromQuery(query, principal);
  const now = deps.clock.now();
  return withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    computeFunnel(tx, scope, now),
  );
}

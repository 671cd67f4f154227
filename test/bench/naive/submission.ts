/**
 * B8 naive baseline, submission: node-postgres (`pg`) Pool, a checked-out client, the submission's statements
 * one after another inside BEGIN/COMMIT, each awaited before the next. Writes exactly the rows the hub's one
 * CTE writes (candidate, application, first history row, resume document, outbox event, idempotency key).
 * Database work only: no validation, no presigning (both favour this side).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface NaiveSubmission {
  organizationId: string;
  jobId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  externalPortalId: string;
  submittedBy: string;
  idempotencyKey: string;
  requestHash: string;
  resume: { fileName: string; contentType: string; sizeBytes: number };
}

export function naivePool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'bench-naive' });
  // an idle connection ended by the server (the database dropped after a run) must not crash the process
  pool.on('error', () => {});
  return pool;
}

export async function naiveSubmit(pool: pg.Pool, s: NaiveSubmission): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      "select set_config('app.organization_id', $1, true), set_config('app.role', 'portal', true)",
      [s.organizationId],
    );
    const prior = await client.query(
      'select request_hash, status_code, response from idempotency_keys where organization_id = app_org() and idempotency_key = $1',
      [s.idempotencyKey],
    );
    if (prior.rowCount) throw new Error('unexpected replay');
    const job = await client.query<{ id: string; status: string; stage_id: string; stage_name: string }>(
      `select j.id, j.status, st.id as stage_id, st.name as stage_name
       from jobs j join job_stages st on st.job_id = j.id and st.kind = 'screening'
       where j.id = $1 and j.deleted_at is null`,
      [s.jobId],
    );
    const j = job.rows[0];
    if (j?.status !== 'open') throw new Error('job not open');
    const candidate = await client.query<{ id: string }>(
      `insert into candidates (id, organization_id, submitting_organization_id, first_name, last_name, email, phone,
         external_portal_id, source)
       values ($1, app_org(), app_org(), $2, $3, $4, $5, $6, 'portal')
       on conflict (organization_id, submitting_organization_id, lower(email)) do update set updated_at = now(), deleted_at = null
       returning id`,
      [randomUUID(), s.firstName, s.lastName, s.email, s.phone, s.externalPortalId],
    );
    const application = await client.query<{ id: string; created_at: Date }>(
      `insert into applications (id, organization_id, candidate_id, job_id, stage_id, status, source, external_portal_id,
         submitted_by)
       values ($1, app_org(), $2, $3, $4, 'active', 'portal', $5, $6)
       returning id, created_at`,
      [randomUUID(), candidate.rows[0]!.id, j.id, j.stage_id, s.externalPortalId, s.submittedBy],
    );
    const app = application.rows[0]!;
    await client.query(
      `insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id, from_status,
         to_status, actor_role, actor, source, occurred_at)
       values (app_org(), $1, null, $2, null, 'active', 'portal', $3, 'portal', $4)`,
      [app.id, j.stage_id, s.submittedBy, app.created_at],
    );
    await client.query(
      `insert into candidate_documents (id, organization_id, candidate_id, application_id, s3_key, file_name,
         content_type, size_bytes)
       values ($1, app_org(), $2, $3, $4, $5, $6, $7)`,
      [
        randomUUID(),
        candidate.rows[0]!.id,
        app.id,
        `resumes/${s.organizationId}/${app.id}/${randomUUID()}`,
        s.resume.fileName,
        s.resume.contentType,
        s.resume.sizeBytes,
      ],
    );
    await client.query(
      `insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
       values (app_org(), 'application', $1, 'application.created', $2)`,
      [
        app.id,
        JSON.stringify({
          applicationId: app.id,
          jobId: j.id,
          candidateId: candidate.rows[0]!.id,
          stage: j.stage_name,
          source: 'portal',
        }),
      ],
    );
    const response = {
      application: {
        id: app.id,
        jobId: j.id,
        candidateId: candidate.rows[0]!.id,
        stage: j.stage_name,
        status: 'active',
        source: 'portal',
        version: 1,
        createdAt: app.created_at.toISOString(),
      },
    };
    await client.query(
      `insert into idempotency_keys (organization_id, idempotency_key, request_hash, status_code, response)
       values (app_org(), $1, $2, 201, $3)`,
      [s.idempotencyKey, s.requestHash, JSON.stringify(response)],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

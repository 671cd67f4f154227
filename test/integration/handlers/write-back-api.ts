/**
 * A tenant with a synced Greenhouse job, the write-back routes' handlers over the embedded database, and the rows
 * the routes read (push rows, external refs, documents), written as the owner. Shared by the route tests of the
 * write-back API (application-push, documents-download, jobs-source, integration-settings).
 */
import { randomUUID } from 'node:crypto';
import type { PushState, ScanStatus } from '../../../shared/db/repositories/submission-pushes.js';
import type { AdapterOverrides } from '../../../shared/runtime/adapters.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { httpEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../../support/handler-harness.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

export type Role = 'portal' | 'ats' | 'admin';
export type { ScanStatus };

export interface WriteBackWorld {
  db: TestDatabase;
  graph: TenantGraph;
  store: MemoryObjectStore;
  sync: MemoryQueue;
  /** Calls a route: `call('GET /jobs/{jobId}', { jobId }, 'portal')`. */
  call(
    routeKey: string,
    params: Record<string, string>,
    role: Role,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  /** An open job linked to the graph's Greenhouse integration, with the hub's default pipeline. */
  syncedJob(remoteId?: string): Promise<string>;
  /** An application to `jobId` (default: a synced job) of the given source, with its own candidate. */
  application(input?: { jobId?: string; source?: string }): Promise<{ id: string; candidateId: string }>;
  pushRow(
    applicationId: string,
    row: { state: PushState; attempts?: number; error?: [string, string] },
  ): Promise<void>;
  link(
    type: 'job' | 'candidate' | 'application' | 'attachment',
    localId: string,
    remoteId: string,
  ): Promise<void>;
  /** A stored resume of the application, with its object in the store. */
  document(applicationId: string, scanStatus: ScanStatus, bytes?: string): Promise<string>;
  close(): Promise<void>;
}

const HANDLER_OF: Record<string, string> = {
  'GET /jobs': 'pipeline-read',
  'GET /jobs/{jobId}': 'pipeline-read',
  'POST /jobs': 'job-admin',
  'PATCH /jobs/{jobId}': 'job-admin',
  'GET /applications/{id}': 'pipeline-read',
  'GET /applications/{id}/documents/{documentId}': 'pipeline-read',
  'POST /applications/{id}/push': 'stage-advance',
  'POST /applications': 'portal-submission',
  'POST /integrations': 'integrations-admin',
  'PATCH /integrations/{id}': 'integrations-admin',
};

export async function writeBackWorld(): Promise<WriteBackWorld> {
  const db = await createTestDatabase();
  const graph = await seedTenantGraph(db.owner);
  const store = new MemoryObjectStore();
  const sync = new MemoryQueue();
  const overrides: AdapterOverrides = {
    sql: db.app,
    objectStore: store,
    queues: { sync, notify: new MemoryQueue() },
    secrets: new MemorySecretStore(),
  };
  const handlers: Record<string, HttpHandler> = {};
  for (const fn of new Set(Object.values(HANDLER_OF))) handlers[fn] = await loadHandler(fn, overrides);
  const org = graph.organizationId;

  const world: WriteBackWorld = {
    db,
    graph,
    store,
    sync,
    async call(routeKey, params, role, body) {
      const [, template] = routeKey.split(' ') as [string, string];
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
      const event = httpEvent({
        routeKey,
        path,
        pathParameters: params,
        headers: {
          authorization: `Bearer ${graph.keys[role]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return invoke(handlers[HANDLER_OF[routeKey]!]!, event);
    },
    async syncedJob(remoteId = `gh-job-${randomUUID().slice(0, 8)}`) {
      const jobId = randomUUID();
      await db.owner.begin(async (tx) => {
        await tx`insert into jobs (id, organization_id, title, employment_type, source)
          values (${jobId}, ${org}, 'Platform Engineer', 'full_time', 'greenhouse')`;
        await tx`insert into job_stages (organization_id, job_id, name, position, kind, owner, fixed)
          select organization_id, ${jobId}, name, position, kind, owner, fixed from job_stages
          where job_id = ${graph.jobId}`;
      });
      await world.link('job', jobId, remoteId);
      return jobId;
    },
    async application(input = {}) {
      const jobId = input.jobId ?? (await world.syncedJob());
      const id = randomUUID();
      const candidateId = randomUUID();
      await db.owner.begin(async (tx) => {
        await tx`insert into candidates (id, organization_id, first_name, last_name, email)
          values (${candidateId}, ${org}, 'Grace', 'Hopper', ${`grace-${id}@example.com`})`;
        await tx`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
          select ${id}, ${org}, ${candidateId}, ${jobId}, s.id, ${input.source ?? 'portal'}
          from job_stages s where s.job_id = ${jobId} order by s.position limit 1`;
      });
      return { id, candidateId };
    },
    async pushRow(applicationId, row) {
      await db.owner`
        insert into submission_pushes (organization_id, application_id, integration_id, state, attempts,
          last_error_code, last_error_message, pushed_at)
        values (${org}, ${applicationId}, ${graph.integrationId}, ${row.state}, ${row.attempts ?? 0},
          ${row.error?.[0] ?? null}, ${row.error?.[1] ?? null}, ${row.state === 'pushed' ? new Date() : null})`;
    },
    async link(type, localId, remoteId) {
      await db.owner`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
        values (${org}, ${graph.integrationId}, ${type}, ${localId}, ${remoteId})`;
    },
    async document(applicationId, scanStatus, bytes = '%PDF- resume') {
      const id = randomUUID();
      const key = `resumes/${org}/${applicationId}/${id}`;
      await db.owner`insert into candidate_documents (id, organization_id, candidate_id, application_id, s3_key,
          file_name, content_type, size_bytes, scan_status)
        select ${id}, ${org}, a.candidate_id, a.id, ${key}, 'cv.pdf', 'application/pdf', ${bytes.length},
          ${scanStatus}
        from applications a where a.id = ${applicationId}`;
      await store.put(key, bytes, { contentType: 'application/pdf' });
      return id;
    },
    async close() {
      await db.close();
    },
  };
  return world;
}

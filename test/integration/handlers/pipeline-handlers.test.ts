import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdapterOverrides } from '../../../shared/runtime/adapters.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadEvent, loadHandler } from '../../support/handler-harness.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { allPages } from '../../support/pages.js';

let db: TestDatabase;
let graph: TenantGraph;
let overrides: AdapterOverrides;
let sync: MemoryQueue;
let tokens: Record<string, string>;
const handlers: Record<string, HttpHandler> = {};

async function freshApplication(): Promise<string> {
  const id = randomUUID();
  const candidate = randomUUID();
  await db.owner`insert into candidates (id, organization_id, first_name, last_name, email)
    values (${candidate}, ${graph.organizationId}, 'Grace', 'Hopper', ${`grace-${id}@example.com`})`;
  await db.owner`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
    values (${id}, ${graph.organizationId}, ${candidate}, ${graph.jobId}, ${graph.stageIds[0]!}, 'portal')`;
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await seedTenantGraph(db.owner);
  sync = new MemoryQueue();
  overrides = {
    sql: db.app,
    objectStore: new MemoryObjectStore(),
    queues: { sync, notify: new MemoryQueue() },
    secrets: new MemorySecretStore(),
  };
  for (const fn of ['stage-advance', 'pipeline-read', 'job-admin', 'integrations-admin', 'webhook-intake']) {
    handlers[fn] = await loadHandler(fn, overrides);
  }
});

beforeEach(async () => {
  tokens = {
    jobId: graph.jobId,
    portalKey: graph.keys.portal,
    atsKey: graph.keys.ats,
    adminKey: graph.keys.admin,
    applicationId: await freshApplication(),
    integrationId: graph.integrationId,
  };
});

afterAll(async () => {
  await db?.close();
});

describe('stage-advance', () => {
  it('moves Screening to Shortlist and publishes the change at once', async () => {
    const res = await invoke(handlers['stage-advance']!, loadEvent('stage-advance/move-shortlist', tokens));
    expect(res.body.transition).toMatchObject({ from: 'Screening', to: 'Shortlist', note: 'strong profile' });
    expect(sync.sent.map((m) => JSON.parse(m.body).aggregateId)).toContain(tokens.applicationId);
  });

  it('refuses a skip with 422', async () => {
    const res = await invoke(handlers['stage-advance']!, loadEvent('stage-advance/move-skip', tokens));
    expect([res.status, res.body.error.code]).toEqual([422, 'INVALID_TRANSITION']);
  });

  it('refuses the ATS in a portal stage with 403 STAGE_NOT_OWNED', async () => {
    const res = await invoke(handlers['stage-advance']!, loadEvent('stage-advance/move-not-owned', tokens));
    expect([res.status, res.body.error.code]).toEqual([403, 'STAGE_NOT_OWNED']);
  });

  it('refuses a stale expected stage with 409', async () => {
    const res = await invoke(
      handlers['stage-advance']!,
      loadEvent('stage-advance/move-stale-expected', tokens),
    );
    expect([res.status, res.body.error.code]).toEqual([409, 'STAGE_CONFLICT']);
  });

  it('answers an unknown application with 404', async () => {
    const res = await invoke(
      handlers['stage-advance']!,
      loadEvent('stage-advance/move-unknown-application', tokens),
    );
    expect(res.status).toBe(404);
  });

  it('rejects with a history row and an outbox event in one transaction', async () => {
    await invoke(handlers['stage-advance']!, loadEvent('stage-advance/status-reject', tokens));
    const [row] = await db.owner`select a.status,
      (select count(*)::int from application_stage_history h where h.application_id = a.id) as history,
      (select count(*)::int from outbox o where o.aggregate_id = a.id and o.event_type = 'application.status_changed') as events
      from applications a where a.id = ${tokens.applicationId!}`;
    expect(row).toEqual({ status: 'rejected', history: 1, events: 1 });
  });

  it('forbids the portal the status route', async () => {
    const res = await invoke(handlers['stage-advance']!, loadEvent('stage-advance/status-by-portal', tokens));
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('pipeline-read', () => {
  it('answers health', async () => {
    expect((await invoke(handlers['pipeline-read']!, loadEvent('pipeline-read/health'))).body).toEqual({
      status: 'ok',
    });
  });

  it('lists jobs for the portal', async () => {
    const res = await invoke(handlers['pipeline-read']!, loadEvent('pipeline-read/list-jobs', tokens));
    expect(res.body.items.map((j: { id: string }) => j.id)).toContain(graph.jobId);
  });

  it('reads a job', async () => {
    const res = await invoke(handlers['pipeline-read']!, loadEvent('pipeline-read/get-job', tokens));
    expect(res.body.stages[0]).toMatchObject({ name: 'Screening', owner: 'portal', fixed: true, order: 0 });
  });

  it('refuses a job id that is not a UUID with 400', async () => {
    const res = await invoke(handlers['pipeline-read']!, loadEvent('pipeline-read/get-job-bad-id', tokens));
    expect(res.body.error.details.issues[0].path).toBe('path.jobId');
  });

  it('lists applications with the candidate’s name', async () => {
    const res = await invoke(
      handlers['pipeline-read']!,
      loadEvent('pipeline-read/list-applications', tokens),
    );
    expect(res.body.items.find((i: { id: string }) => i.id === tokens.applicationId)).toMatchObject({
      candidate: { firstName: 'Grace' },
    });
  });

  it('pages through applications created in the same microsecond without skipping one', async () => {
    await freshApplication();
    await db.owner`update applications set created_at = '2026-03-01T10:00:00.123456Z' where job_id = ${graph.jobId}`;
    const [{ n }] = await db.owner<[{ n: number }]>`select count(*)::int as n from applications
      where job_id = ${graph.jobId} and deleted_at is null and status = 'active'`;

    const seen = await allPages<{ id: string }>(async (cursor) => {
      const event = loadEvent('pipeline-read/list-applications', tokens);
      event.queryStringParameters = { limit: '1', status: 'active', ...(cursor ? { cursor } : {}) };
      return (await invoke(handlers['pipeline-read']!, event)).body;
    });

    expect([seen.length, new Set(seen.map((a) => a.id)).size]).toEqual([n, n]);
  });

  it('shows the portal its own application', async () => {
    const res = await invoke(handlers['pipeline-read']!, loadEvent('pipeline-read/get-application', tokens));
    expect(res.body.application.id).toBe(tokens.applicationId);
  });

  it('hides an application the portal did not submit', async () => {
    await db.owner`update applications set source = 'greenhouse' where id = ${tokens.applicationId!}`;
    const res = await invoke(handlers['pipeline-read']!, loadEvent('pipeline-read/get-application', tokens));
    expect(res.status).toBe(404);
  });

  it('serves the OpenAPI document', async () => {
    const res = await invoke(handlers['pipeline-read']!, loadEvent('pipeline-read/openapi'));
    expect(res.body.paths['/applications'].post.requestBody).toBeDefined();
  });
});

describe('job-admin', () => {
  it('creates a job', async () => {
    const res = await invoke(handlers['job-admin']!, loadEvent('job-admin/create-job', tokens));
    expect(res.status).toBe(201);
    expect(res.body.stages).toHaveLength(7);
  });

  it('refuses a custom stage named like a fixed one', async () => {
    const res = await invoke(
      handlers['job-admin']!,
      loadEvent('job-admin/create-job-duplicate-stage', tokens),
    );
    expect(res.status).toBe(400);
  });
});

describe('integrations-admin', () => {
  it('connects Greenhouse, generates its webhook secret once and stores credentials outside the database', async () => {
    const res = await invoke(
      handlers['integrations-admin']!,
      loadEvent('integrations-admin/create-greenhouse', tokens),
    );
    expect(res.status).toBe(201);
    expect(res.body.webhookSecret).toEqual(expect.any(String));
    const [row] =
      await db.owner`select settings::text as s, secret_ref from integrations where id = ${res.body.id}`;
    expect(row!.s).not.toContain('gh-secret');
    const secrets = overrides.secrets as MemorySecretStore;
    expect(secrets.values.get(row!.secret_ref)).toMatchObject({ clientSecret: 'gh-secret' });
  });

  it('forbids the ATS role', async () => {
    const res = await invoke(
      handlers['integrations-admin']!,
      loadEvent('integrations-admin/create-by-ats', tokens),
    );
    expect(res.status).toBe(403);
  });

  it('never returns credentials when listing', async () => {
    const res = await invoke(handlers['integrations-admin']!, loadEvent('integrations-admin/list', tokens));
    expect(JSON.stringify(res.body)).not.toContain('gh-secret');
  });
});

describe('webhook-intake', () => {
  it('answers an unknown integration with 404', async () => {
    const res = await invoke(
      handlers['webhook-intake']!,
      loadEvent('webhook-intake/unknown-integration', tokens),
    );
    expect(res.status).toBe(404);
  });
});

/**
 * The users-admin handler over an embedded database: adding users with their personal keys, listing them in
 * pages, deactivating them (their keys answer 401 at once, whatever the handler's key cache holds), the refusals,
 * and a personal key's stage move and note naming its user.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { routeEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadEvent, loadHandler } from '../../support/handler-harness.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

let db: TestDatabase;
let graph: TenantGraph;
let other: TenantGraph;
const handlers = {} as Record<'users' | 'stages' | 'record' | 'read' | 'submit', HttpHandler>;

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await seedTenantGraph(db.owner);
  other = await seedTenantGraph(db.owner, 'Other');
  const overrides = {
    sql: db.app,
    objectStore: new MemoryObjectStore(),
    queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
    secrets: new MemorySecretStore(),
  };
  handlers.users = await loadHandler('users-admin', overrides);
  handlers.stages = await loadHandler('stage-advance', overrides);
  handlers.record = await loadHandler('ats-record', overrides);
  handlers.read = await loadHandler('pipeline-read', overrides);
  handlers.submit = await loadHandler('portal-submission', overrides);
});

afterAll(async () => {
  await db?.close();
});

interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

function call(handler: keyof typeof handlers, routeKey: string, key: string, input: CallInput = {}) {
  const event = routeEvent(routeKey, {
    ...(input.params ? { params: input.params } : {}),
    ...(input.query ? { query: input.query } : {}),
    headers: {
      authorization: `Bearer ${key}`,
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(input.body === undefined ? {} : { body: input.body }),
  });
  return invoke(handlers[handler], event);
}

const email = () => `person-${randomUUID()}@example.com`;

const addUser = (body: Record<string, unknown>, key = graph.keys.admin) =>
  call('users', 'POST /users', key, { body: { email: email(), name: 'Dorothy Vaughan', ...body } });

const userCount = async () => (await db.owner<{ n: number }[]>`select count(*)::int as n from users`)[0]!.n;

describe('POST /users', () => {
  it('answers the sample event with the user and its personal key', async () => {
    const res = await invoke(
      handlers.users,
      loadEvent('users-admin/create-user', { adminKey: graph.keys.admin, email: email() }),
    );

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Katherine Johnson',
      role: 'recruiter',
      keyRole: 'ats',
      active: true,
    });
    expect(res.body.apiKey).toMatch(/^hub_ats_/);
  });

  it('gives a key that authenticates as its user’s mapped role', async () => {
    const created = await addUser({ role: 'admin' });

    const res = await call('users', 'GET /users', created.body.apiKey);

    expect([created.body.keyRole, res.status]).toEqual(['admin', 200]);
  });

  it('refuses an e-mail an active user of the organization has, in any case, with 409 and writes nothing', async () => {
    const address = email();
    await addUser({ email: address, role: 'recruiter' });
    const before = await userCount();

    const res = await addUser({ email: address.toUpperCase(), role: 'admin' });

    expect([res.status, res.body.error.code, await userCount()]).toEqual([409, 'USER_EXISTS', before]);
  });

  it('accepts an e-mail another organization’s user has', async () => {
    const address = email();
    await addUser({ email: address, role: 'recruiter' }, other.keys.admin);

    const res = await addUser({ email: address, role: 'recruiter' });

    expect(res.status).toBe(201);
  });

  it('refuses an unknown role with 400 and writes nothing', async () => {
    const before = await userCount();

    const res = await addUser({ role: 'superuser' });

    expect([res.status, res.body.error.details.issues[0].path, await userCount()]).toEqual([
      400,
      'body.role',
      before,
    ]);
  });

  it('is refused to an ats key with 403', async () => {
    const res = await addUser({ role: 'recruiter' }, graph.keys.ats);

    expect(res.status).toBe(403);
  });
});

describe('GET /users', () => {
  it('pages through the organization’s users without repeats', async () => {
    for (let i = 0; i < 3; i++) await addUser({ role: 'hiring_manager' });
    const seen: string[] = [];
    let cursor: string | null = null;

    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(
        'users',
        'GET /users',
        graph.keys.ats,
        { query: { limit: '2', ...(cursor ? { cursor } : {}) } },
      );
      seen.push(...res.body.items.map((u) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);

    const [row] = await db.owner<{ n: number }[]>`
      select count(*)::int as n from users where organization_id = ${graph.organizationId}`;
    expect([seen.length, new Set(seen).size]).toEqual([row!.n, row!.n]);
  });

  it('refuses a cursor it did not hand out with 400', async () => {
    const res = await call('users', 'GET /users', graph.keys.admin, {
      query: { cursor: 'bm90LWEtY3Vyc29y' },
    });

    expect(res.status).toBe(400);
  });
});

describe('DELETE /users/{id}', () => {
  it('deactivates the user: its key, just used, answers 401 on the next request', async () => {
    const created = await addUser({ role: 'admin' });
    const before = await call('users', 'GET /users', created.body.apiKey);

    const res = await invoke(
      handlers.users,
      loadEvent('users-admin/delete-user', { adminKey: graph.keys.admin, userId: created.body.id }),
    );
    const after = await call('users', 'GET /users', created.body.apiKey);

    expect([before.status, res.status, after.status]).toEqual([200, 204, 401]);
  });

  it('lists a deactivated user as inactive', async () => {
    const created = await addUser({ role: 'recruiter' });
    await call('users', 'DELETE /users/{id}', graph.keys.admin, { params: { id: created.body.id } });

    const res = await call('users', 'GET /users', graph.keys.admin, { query: { limit: '200' } });

    expect(res.body.items.find((u: { id: string }) => u.id === created.body.id)).toMatchObject({
      active: false,
      deactivatedAt: expect.any(String),
    });
  });

  it('answers a user of another organization with 404 and leaves it active', async () => {
    const foreign = await addUser({ role: 'recruiter' }, other.keys.admin);

    const res = await call('users', 'DELETE /users/{id}', graph.keys.admin, {
      params: { id: foreign.body.id },
    });
    const stillWorks = await call('users', 'GET /users', foreign.body.apiKey);

    expect([res.status, stillWorks.status]).toEqual([404, 200]);
  });
});

describe('a personal key acting', () => {
  it('is named as the user on the stage history and on its note', async () => {
    const created = await addUser({ role: 'recruiter', name: 'Annie Easley' });
    const key = created.body.apiKey as string;
    const id = graph.applicationId;
    await call('stages', 'POST /applications/{id}/stage', graph.keys.portal, {
      params: { id },
      body: { toStage: 'Shortlist' },
    });
    await call('stages', 'POST /applications/{id}/stage', graph.keys.portal, {
      params: { id },
      body: { toStage: 'Client Endorsement' },
    });

    const moved = await call('stages', 'POST /applications/{id}/stage', key, {
      params: { id },
      body: { toStage: 'Interview' },
    });
    const note = await call('record', 'POST /applications/{id}/notes', key, {
      params: { id },
      body: { body: 'Good call.', visibility: 'organization' },
    });
    const detail = await call('read', 'GET /applications/{id}', graph.keys.admin, { params: { id } });

    expect([moved.status, note.status]).toEqual([200, 201]);
    expect(note.body).toMatchObject({ author: 'Annie Easley', authorUserId: created.body.id });
    expect(detail.body.history.at(-1)).toMatchObject({
      to: 'Interview',
      user: { id: created.body.id, name: 'Annie Easley' },
    });
    expect(detail.body.history[0].user).toBeNull();
  });

  it('submitting as an agency recruiter, is named on the creation entry', async () => {
    const created = await addUser({ role: 'agency_recruiter', name: 'Mary Jackson' });

    const submitted = await call('submit', 'POST /applications', created.body.apiKey, {
      body: {
        jobId: graph.jobId,
        candidate: { firstName: 'Christine', lastName: 'Darden', email: email() },
      },
    });
    const detail = await call('read', 'GET /applications/{id}', graph.keys.admin, {
      params: { id: submitted.body.application.id },
    });

    expect(submitted.status).toBe(201);
    expect(detail.body.history[0]).toMatchObject({
      to: 'Screening',
      user: { id: created.body.id, name: 'Mary Jackson' },
    });
  });
});

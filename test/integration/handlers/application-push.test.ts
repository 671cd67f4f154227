import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WriteBackWorld, writeBackWorld } from './write-back-api.js';

let world: WriteBackWorld;

beforeAll(async () => {
  world = await writeBackWorld();
});

afterAll(async () => {
  await world?.close();
});

const getApplication = (id: string, role: 'portal' | 'ats' | 'admin' = 'ats') =>
  world.call('GET /applications/{id}', { id }, role);
const retry = (id: string, role: 'portal' | 'ats' | 'admin' = 'admin') =>
  world.call('POST /applications/{id}/push', { id }, role);

describe('GET /applications/{id}: push and externalRefs', () => {
  it('answers not_applicable and no refs for an application without a push', async () => {
    const { id } = await world.application({ jobId: world.graph.jobId });
    const res = await getApplication(id);
    expect([res.body.push, res.body.externalRefs]).toEqual([
      { state: 'not_applicable', attempts: 0, lastError: null, pushedAt: null },
      [],
    ]);
  });

  it('shows a failed push with its attempts and last error', async () => {
    const { id } = await world.application();
    await world.pushRow(id, { state: 'failed', attempts: 5, error: ['PERMISSION', 'user may not create'] });
    const res = await getApplication(id);
    expect(res.body.push).toEqual({
      state: 'failed',
      attempts: 5,
      lastError: { code: 'PERMISSION', message: 'user may not create' },
      pushedAt: null,
    });
  });

  it('shows when a pushed application was pushed', async () => {
    const { id } = await world.application();
    await world.pushRow(id, { state: 'pushed', attempts: 1 });
    const res = await getApplication(id);
    expect([res.body.push.state, Number.isNaN(Date.parse(res.body.push.pushedAt))]).toEqual([
      'pushed',
      false,
    ]);
  });

  it('lists the remote ids of the application, its candidate and its documents', async () => {
    const { id, candidateId } = await world.application();
    const documentId = await world.document(id, 'clean');
    await world.link('candidate', candidateId, 'gh-cand-1');
    await world.link('application', id, 'gh-app-1');
    await world.link('attachment', documentId, 'gh-att-1');
    const res = await getApplication(id);
    const ref = (type: string, remoteId: string) => ({
      provider: 'greenhouse',
      integrationId: world.graph.integrationId,
      type,
      remoteId,
    });
    expect(res.body.externalRefs).toEqual([
      ref('candidate', 'gh-cand-1'),
      ref('application', 'gh-app-1'),
      ref('attachment', 'gh-att-1'),
    ]);
  });

  it('shows the portal the push state and refs of its own submission', async () => {
    const { id } = await world.application();
    await world.pushRow(id, { state: 'pending', attempts: 2 });
    await world.link('application', id, 'gh-app-portal');
    const res = await getApplication(id, 'portal');
    expect([res.status, res.body.push.state, res.body.externalRefs[0]?.provider]).toEqual([
      200,
      'pending',
      'greenhouse',
    ]);
  });

  it('still hides an application the portal did not submit', async () => {
    const { id } = await world.application({ source: 'greenhouse' });
    await world.pushRow(id, { state: 'failed' });
    const res = await getApplication(id, 'portal');
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('POST /applications/{id}/push', () => {
  it('requeues a failed push with a fresh budget and answers 202', async () => {
    const { id } = await world.application();
    await world.pushRow(id, { state: 'failed', attempts: 5, error: ['TIMEOUT', 'no answer'] });
    const res = await retry(id);
    const after = await getApplication(id);
    expect([res.status, res.body, after.body.push.state, after.body.push.attempts]).toEqual([
      202,
      { applicationId: id, state: 'pending' },
      'pending',
      0,
    ]);
  });

  it('hands the retry to the sync worker at once', async () => {
    const { id } = await world.application();
    await world.pushRow(id, { state: 'failed', attempts: 5 });
    await retry(id);
    const requests = world.sync.sent
      .map((m) => JSON.parse(m.body) as { eventType?: string; aggregateId?: string })
      .filter((m) => m.aggregateId === id);
    expect(requests.map((m) => m.eventType)).toEqual(['application.push_requested']);
  });

  it('refuses an application without a push with 422 PUSH_NOT_APPLICABLE', async () => {
    const { id } = await world.application({ jobId: world.graph.jobId });
    const res = await retry(id);
    expect([res.status, res.body.error.code]).toEqual([422, 'PUSH_NOT_APPLICABLE']);
  });

  it('refuses an application already pushed with 422 PUSH_NOT_APPLICABLE', async () => {
    const { id } = await world.application();
    await world.pushRow(id, { state: 'pushed', attempts: 1 });
    const res = await retry(id);
    expect([res.status, res.body.error.code]).toEqual([422, 'PUSH_NOT_APPLICABLE']);
  });

  it('answers 404 for an unknown application', async () => {
    const res = await retry('00000000-0000-4000-8000-000000000000');
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it.each(['ats', 'portal'] as const)('refuses the %s role with 403', async (role) => {
    const { id } = await world.application();
    await world.pushRow(id, { state: 'failed' });
    const res = await retry(id, role);
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

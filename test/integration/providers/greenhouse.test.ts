// Over 400 lines: the Greenhouse adapter's catalogue against its fake, one describe per operation.
/**
 * The Greenhouse client against its fake over loopback: pagination, incremental filters, OAuth refresh, rate
 * limits, error kinds and guarded writes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../shared/ports/clock.js';
import type { RateLimitObservation } from '../../../shared/ports/provider.js';
import { provider } from '../../../shared/providers/greenhouse/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import {
  type GreenhouseFake,
  type GreenhouseFakeOptions,
  startGreenhouseFake,
} from '../../fakes/greenhouse/index.js';
import {
  type ClientOverrides,
  caught,
  clientWith,
  drain,
  followUpError,
  fullPage,
} from './client-harness.js';

let fake: GreenhouseFake;
let observations: RateLimitObservation[];

const fakes = fakeLifecycle(startGreenhouseFake, { jobs: 4, candidates: 120 });
async function start(options: GreenhouseFakeOptions = {}) {
  fake = await fakes.start(options);
}

const client = (overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { ...fake.credentials },
      settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 1_000 },
      clock: fake.clock,
      onRateLimit: (o) => observations.push(o),
    },
    overrides,
  );

const v3Requests = (path: string) => fake.requests.filter((r) => r.path === path);

beforeEach(() => {
  observations = [];
});

describe('greenhouse client: pagination', () => {
  it('reads every application over several pages, exactly once each', async () => {
    await start({ candidates: 1_150 });

    const { pages, records } = await drain(client(), 'application');

    expect(pages).toHaveLength(3);
    expect(records).toHaveLength(fake.state.applications.length);
    expect(new Set(records.map((r) => r.remoteId)).size).toBe(1_150);
  });

  it('sends filters and per_page on the first request only, then nothing but cursor', async () => {
    await start({ candidates: 1_150 });

    await drain(client(), 'application', 'incremental', { updatedAfter: '2025-01-01T00:00:00.000Z' });

    const [first, ...followUps] = v3Requests('/v3/applications');
    expect(Object.keys(first!.query).sort()).toEqual(['per_page', 'updated_at']);
    expect(followUps.length).toBeGreaterThan(0);
    for (const request of followUps) expect(Object.keys(request.query)).toEqual(['cursor']);
  });

  it('follows the Link URL byte for byte', async () => {
    await start({ candidates: 30 });

    const first = await fullPage(client(), 'candidate', { pageSize: 10 });
    await fullPage(client(), 'candidate', { pageToken: first.nextPageToken, pageSize: 10 });

    const sent = v3Requests('/v3/candidates')[1]!;
    expect(`${fake.url}${sent.rawUrl}`).toBe(JSON.parse(first.nextPageToken!).next);
  });

  it('returns the next cursor only on the last page', async () => {
    await start({ candidates: 30 });

    const { pages } = await drain(client(), 'candidate', 'full', null, 10);

    expect(pages.slice(0, -1).every((p) => p.nextCursor === null)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toEqual({ updatedAfter: fake.clock.now().toISOString() });
  });

  it('maps jobs with their interview stages in plan order', async () => {
    await start({ jobs: 3 });

    const { records } = await drain(client(), 'job');

    expect(records).toHaveLength(3);
    const job = fake.state.jobs[0]!;
    const mapped = records.find((r) => r.remoteId === String(job.id))!;
    expect(mapped.stages.map((s) => s.name)).toEqual(job.stages.map((s) => s.name));
    expect(mapped.stages.map((s) => s.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses a page token that points to another origin', async () => {
    await start();
    const token = JSON.stringify({
      next: 'https://evil.example/v3/candidates?cursor=x',
      passStartedAt: '2026-01-01T00:00:00Z',
    });

    const error = await caught(fullPage(client(), 'candidate', { pageToken: token }));

    expect(error.kind).toBe('permanent');
    expect(fake.requests.filter((r) => r.path.startsWith('/v3/'))).toHaveLength(0);
  });
});

describe('greenhouse client: incremental', () => {
  it('returns only the applications changed since the stored cursor', async () => {
    await start({ candidates: 300 });
    const c = client();
    const full = await drain(c, 'application');
    fake.clock.advance(2 * 3_600_000);
    const changed = fake.state.applications.slice(10, 13);
    for (const app of changed) fake.moveApplication(app.id, fake.state.jobById.get(app.jobId)!.stages[3]!.id);

    const incremental = await drain(c, 'application', 'incremental', full.cursor);

    expect(incremental.records.map((r) => r.remoteId).sort()).toEqual(
      changed.map((a) => String(a.id)).sort(),
    );
    expect(incremental.records.every((r) => r.stage?.name === 'Onsite')).toBe(true);
  });

  it('filters on updated_at with the lookback overlap, never on created_at', async () => {
    await start();

    await drain(client({ settings: { lookbackSeconds: 3600 } }), 'application', 'incremental', {
      updatedAfter: '2026-01-10T10:00:00.000Z',
    });

    const first = v3Requests('/v3/applications')[0]!;
    expect(first.query['updated_at']).toEqual(['gte|2026-01-10T09:00:00.000Z']);
    expect(first.query['created_at']).toBeUndefined();
  });

  it('asks for a full sync when the stored cursor is unreadable', async () => {
    await start();

    const error = await caught(
      client().listPage('application', { mode: 'incremental', cursor: { since: 'x' }, pageToken: null }),
    );

    expect(error.kind).toBe('sync_token_invalid');
  });
});

describe('greenhouse client: OAuth', () => {
  it('reuses one access token while it is valid', async () => {
    await start({ candidates: 30 });

    await drain(client(), 'candidate', 'full', null, 10);

    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(1);
  });

  it('reuses the access token in the next client built with the same credentials (the next SQS message)', async () => {
    await start({ candidates: 30 });

    await fullPage(client(), 'job');
    await fullPage(client(), 'candidate');

    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(1);
  });

  it('sends client credentials as Basic and the user as sub', async () => {
    await start();

    await fullPage(client(), 'job');

    const tokenCall = fake.requests.find((r) => r.path === '/token')!;
    const basic = Buffer.from(String(tokenCall.headers.authorization).slice(6), 'base64').toString();
    expect(basic).toBe(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`);
    expect(new URLSearchParams(tokenCall.body).get('sub')).toBe(fake.credentials.userId);
    expect(new URLSearchParams(tokenCall.body).get('grant_type')).toBe('client_credentials');
  });

  it('refreshes the token once after a 401 when the provider expired it early', async () => {
    await start({ candidates: 30 });
    // The client's clock stands still, so only the provider knows the token has expired.
    const startedAt = fake.clock.nowMs();
    const c = client({ clock: { now: () => new Date(startedAt) } satisfies Clock });
    await fullPage(c, 'candidate');
    fake.clock.advance(3_601_000);

    const page = await fullPage(c, 'candidate');

    expect(page.records.length).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(2);
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('refreshes ahead of expiry when its clock says the token is old', async () => {
    await start();
    const c = client();
    await fullPage(c, 'candidate');
    fake.clock.advance(3_590_000);

    await fullPage(c, 'candidate');

    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(2);
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('reports auth when the API still answers 401 after a refresh', async () => {
    await start();
    fake.failNext(2, { kind: 'status', status: 401, body: { message: 'Unauthorized' } }, (r) =>
      r.path.startsWith('/v3/'),
    );

    const error = await caught(fullPage(client(), 'candidate'));

    expect(error.kind).toBe('auth');
    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(2);
  });
});

describe('greenhouse client: errors and rate limits', () => {
  it('maps a 429 to rate_limited with the Retry-After of the window', async () => {
    await start({ candidates: 30, rateLimit: { limit: 2, windowSeconds: 10 } });
    fake.clock.set(Math.floor(fake.clock.nowMs() / 10_000) * 10_000 + 4_000);
    // one request per candidate page: no attachment lookup
    const c = client({ settings: { fetchCandidateAttachments: false } });
    await c.listPage('candidate', { mode: 'full', cursor: null, pageToken: null, pageSize: 5 });
    await c.listPage('candidate', { mode: 'full', cursor: null, pageToken: null, pageSize: 5 });

    const error = await caught(
      c.listPage('candidate', { mode: 'full', cursor: null, pageToken: null, pageSize: 5 }),
    );

    expect(error.kind).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(6);
  });

  it('reports limit and remaining from successes, Retry-After and reset from the 429', async () => {
    await start({ rateLimit: { limit: 2, windowSeconds: 10 } });
    const windowEnd = Math.floor(fake.clock.nowMs() / 10_000) * 10_000 + 10_000;
    // one request per candidate page: no attachment lookup
    const c = client({ settings: { fetchCandidateAttachments: false } });
    await fullPage(c, 'candidate');
    await fullPage(c, 'candidate');
    await caught(fullPage(c, 'candidate'));

    expect(observations[0]).toEqual({ limit: 2, remaining: 1 });
    expect(observations[1]).toEqual({ limit: 2, remaining: 0 });
    expect(observations[2]!.limit).toBeUndefined();
    expect(observations[2]!.remaining).toBeUndefined();
    expect(observations[2]!.resetAt?.getTime()).toBe(windowEnd);
    expect(observations[2]!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('never retries a 429 by itself', async () => {
    await start({ rateLimit: { limit: 1, windowSeconds: 10 } });
    // one request per candidate page: no attachment lookup
    const c = client({ settings: { fetchCandidateAttachments: false } });
    await fullPage(c, 'candidate');
    const before = fake.requests.length;

    await caught(fullPage(c, 'candidate'));

    expect(fake.requests.length - before).toBe(1);
  });

  it('maps a 422 on a follow-up page (expired cursor) to cursor_expired', async () => {
    await start({ candidates: 30, cursorTtlSeconds: 600 });

    const error = await followUpError(client(), 'candidate', () => fake.clock.advance(601_000));

    expect(error.kind).toBe('cursor_expired');
    expect(error.status).toBe(422);
  });
});

describe('greenhouse client: writes', () => {
  const activeApp = () => fake.state.applications.find((a) => a.status === 'active')!;
  const stagesOf = (jobId: number) => fake.state.jobById.get(jobId)!.stages;

  it('moves with the from_stage_id guard and gets 204', async () => {
    await start();
    const app = activeApp();
    const from = app.stageId!;
    const target = stagesOf(app.jobId)[4]!.id;

    const result = await client().moveStage({
      applicationRemoteId: String(app.id),
      jobRemoteId: String(app.jobId),
      fromStageRemoteId: String(from),
      toStageRemoteId: String(target),
    });

    expect(result).toEqual({ ok: true });
    expect(app.stageId).toBe(target);
    const call = fake.requests.find((r) => r.path === `/v3/applications/${app.id}/move`)!;
    expect(JSON.parse(call.body)).toEqual({ from_stage_id: from, to_stage_id: target });
    expect(call.status).toBe(204);
  });

  it('reports a stale from_stage_id as refused and leaves the application alone', async () => {
    await start();
    const app = activeApp();
    const [stale, , , , target] = stagesOf(app.jobId).map((s) => s.id);
    const current = app.stageId;
    const staleId = stale === current ? stagesOf(app.jobId)[1]!.id : stale!;

    const result = await client().moveStage({
      applicationRemoteId: String(app.id),
      jobRemoteId: String(app.jobId),
      fromStageRemoteId: String(staleId),
      toStageRemoteId: String(target),
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused', status: 422 });
    expect(app.stageId).toBe(current);
  });

  it('treats a replayed move that already landed as done', async () => {
    await start();
    const app = activeApp();
    const from = String(app.stageId);
    const target = String(stagesOf(app.jobId)[4]!.id);
    const write = {
      applicationRemoteId: String(app.id),
      jobRemoteId: String(app.jobId),
      fromStageRemoteId: from,
      toStageRemoteId: target,
    };
    await client().moveStage(write);

    const replay = await client().moveStage(write);

    expect(replay).toEqual({ ok: true, detail: { alreadyInTargetStage: true } });
  });

  const tokenSubs = () =>
    fake.requests.filter((r) => r.path === '/token').map((r) => new URLSearchParams(r.body).get('sub'));
  /** A plain rejection (no note, not a withdrawal) of `appId` by a client with `settings`. */
  const reject = (appId: number, reasonRemoteId: string | null, settings: Record<string, unknown> = {}) =>
    client({ settings }).reject({
      applicationRemoteId: String(appId),
      reasonRemoteId,
      note: null,
      withdrawn: false,
    });

  it('rejects through v3 with the reason, as the acting user', async () => {
    await start();
    const app = activeApp();

    const result = await reject(app.id, '9001', { actingUserId: '102' });

    expect(result.ok).toBe(true);
    expect(app).toMatchObject({ status: 'rejected', rejectionReasonId: 9001 });
    const call = fake.requests.find((r) => r.path === `/v3/applications/${app.id}/reject`)!;
    expect(JSON.parse(call.body)).toEqual({ rejection_reason_id: 9001 });
    expect(call.headers['on-behalf-of']).toBeUndefined();
    expect(tokenSubs()).toEqual(['102']);
  });

  it('rejects a withdrawal with the first "they rejected us" reason when the hub has none', async () => {
    await start();
    const app = activeApp();

    const result = await client({
      settings: { withdrawnRejectionReasonIds: ['9002'], defaultRejectionReasonId: '9001' },
    }).reject({
      applicationRemoteId: String(app.id),
      reasonRemoteId: null,
      note: 'moved on',
      withdrawn: true,
    });

    expect(result).toEqual({ ok: true, detail: { withdrawn: true } });
    const call = fake.requests.find((r) => r.path === `/v3/applications/${app.id}/reject`)!;
    expect(JSON.parse(call.body)).toEqual({ rejection_reason_id: 9002, notes: 'moved on' });
  });

  it('reports rejecting a closed application as refused', async () => {
    await start();
    const app = activeApp();
    fake.rejectApplication(app.id);

    const result = await reject(app.id, null, { defaultRejectionReasonId: '9001' });

    expect(result).toMatchObject({ ok: false, kind: 'refused', status: 422 });
  });

  it('reports reject as unsupported without any rejection reason, without calling Greenhouse', async () => {
    await start();

    const result = await reject(activeApp().id, null);

    expect(result).toMatchObject({ ok: false, kind: 'unsupported' });
    expect(fake.requests).toHaveLength(0);
  });

  it("reports a reject the acting user may not make as refused, with Greenhouse's message", async () => {
    await start({ submissions: { readOnlyUserIds: [102] } });
    const app = activeApp();

    const result = await reject(app.id, '9001', { actingUserId: '102' });

    expect(result).toEqual({
      ok: false,
      kind: 'refused',
      status: 403,
      message: 'Forbidden: the user cannot perform this action',
    });
    expect(app.status).toBe('active');
  });

  it('never calls the removed Harvest v1 or v2', async () => {
    await start();
    const app = activeApp();

    await reject(app.id, null, { defaultRejectionReasonId: '9001' });
    await client().hire({ applicationRemoteId: String(activeApp().id), fromStageRemoteId: null });

    expect(fake.requests.filter((r) => /^\/v[12]\//.test(r.path))).toEqual([]);
  });

  it('hires after checking the current stage, and the stage becomes null', async () => {
    await start();
    const app = activeApp();

    const result = await client().hire({
      applicationRemoteId: String(app.id),
      fromStageRemoteId: String(app.stageId),
    });
    const { records } = await drain(client(), 'application');

    expect(result.ok).toBe(true);
    expect(fake.requests.filter((r) => r.path === `/v3/applications/${app.id}/hire`)).toHaveLength(1);
    const mapped = records.find((r) => r.remoteId === String(app.id))!;
    expect(mapped.status).toBe('hired');
    expect(mapped.stage).toBeNull();
  });

  it('refuses to hire when the application left the expected stage, without calling hire', async () => {
    await start();
    const app = activeApp();
    const expected = String(app.stageId);
    fake.moveApplication(app.id, stagesOf(app.jobId).find((s) => s.id !== app.stageId)!.id);

    const result = await client().hire({ applicationRemoteId: String(app.id), fromStageRemoteId: expected });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(fake.requests.some((r) => r.path.endsWith('/hire'))).toBe(false);
    expect(app.status).toBe('active');
  });
});

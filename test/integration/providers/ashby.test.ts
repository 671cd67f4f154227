/**
 * The Ashby client against its fake over loopback: RPC pagination, sync tokens on the last page only, expired
 * tokens mapped to a full-sync signal, 429 scopes, changeStage guards and archive-based rejection.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitObservation } from '../../../shared/ports/provider.js';
import { provider } from '../../../shared/providers/ashby/index.js';
import { type AshbyFake, type AshbyFakeOptions, startAshbyFake } from '../../fakes/ashby/index.js';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';
import {
  type ClientOverrides,
  caught,
  clientWith,
  drain,
  followUpError,
  fullPage,
} from './client-harness.js';

let fake: AshbyFake;
let observations: RateLimitObservation[];

const fakes = fakeLifecycle(startAshbyFake, { jobs: 3, candidates: 40 });
async function start(options: AshbyFakeOptions = {}) {
  fake = await fakes.start(options);
}

const client = (overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url, requestTimeoutMs: 1_000 },
      clock: fake.clock,
      onRateLimit: (o) => observations.push(o),
    },
    overrides,
  );

const bodies = (method: string) =>
  fake.requests
    .filter((r) => r.path === `/${method}`)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);

beforeEach(() => {
  observations = [];
});

describe('ashby client: pagination and sync tokens', () => {
  it('reads every application over several pages exactly once', async () => {
    await start({ candidates: 250 });

    const { pages, records } = await drain(client(), 'application');

    expect(pages).toHaveLength(3);
    expect(records).toHaveLength(250);
    expect(new Set(records.map((r) => r.remoteId)).size).toBe(250);
  });

  it('posts to /<object>.<method> with the cursor from nextCursor', async () => {
    await start({ candidates: 25 });

    await drain(client(), 'candidate', 'full', null, 10);

    const sent = bodies('candidate.list');
    expect(sent[0]).toEqual({ limit: 10 });
    expect(sent.slice(1).every((b) => typeof b['cursor'] === 'string')).toBe(true);
    expect(fake.requests.every((r) => r.method === 'POST')).toBe(true);
  });

  it('takes the sync token from the last page only', async () => {
    await start({ candidates: 25 });

    const { pages } = await drain(client(), 'candidate', 'full', null, 10);

    expect(pages.slice(0, -1).every((p) => p.nextCursor === null)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toEqual({ syncToken: expect.any(String) });
  });

  it('returns only changed records on an incremental pass, sending the sync token on every page', async () => {
    await start({ candidates: 120 });
    const c = client();
    const full = await drain(c, 'application');
    fake.clock.advance(60_000);
    const changed = fake.state.applications.slice(0, 3);
    for (const app of changed)
      fake.changeStage(
        app.id,
        fake.state.stages.find(
          (s) =>
            s.interviewPlanId === fake.state.stages.find((x) => x.id === app.stageId)!.interviewPlanId &&
            s.title === 'Offer',
        )!.id,
      );

    const incremental = await drain(c, 'application', 'incremental', full.cursor, 2);

    expect(incremental.records.map((r) => r.remoteId).sort()).toEqual(changed.map((a) => a.id).sort());
    const sent = bodies('application.list').slice(-incremental.pages.length);
    expect(sent.every((b) => b['syncToken'] === (full.cursor as { syncToken: string }).syncToken)).toBe(true);
  });

  it('maps an expired sync token to sync_token_invalid (drop it, run a full sync)', async () => {
    await start();
    const c = client();
    const full = await drain(c, 'candidate');
    fake.expireSyncTokens();

    const error = await caught(
      c.listPage('candidate', { mode: 'incremental', cursor: full.cursor, pageToken: null }),
    );

    expect(error.kind).toBe('sync_token_invalid');
  });

  it('maps an unknown sync token to sync_token_invalid', async () => {
    await start();

    const error = await caught(
      client().listPage('candidate', {
        mode: 'incremental',
        cursor: { syncToken: 'forged' },
        pageToken: null,
      }),
    );

    expect(error.kind).toBe('sync_token_invalid');
  });

  it('maps incremental_sync_too_large to sync_token_invalid', async () => {
    await start({ candidates: 50 });
    const c = client();
    const full = await drain(c, 'candidate');
    fake.clock.advance(1_000);
    for (const candidate of fake.state.candidates) fake.touchCandidate(candidate.id);
    fake.setMaxIncrementalPages(2);

    const error = await caught(drain(c, 'candidate', 'incremental', full.cursor, 10));

    expect(error.kind).toBe('sync_token_invalid');
  });

  it('maps an expired cursor to cursor_expired', async () => {
    await start({ cursorTtlSeconds: 60 });

    const error = await followUpError(client(), 'candidate', () => fake.clock.advance(61_000));

    expect(error.kind).toBe('cursor_expired');
  });

  it('maps jobs with the pipeline of their default interview plan, Archived stage left out', async () => {
    await start({ jobs: 2 });

    const { records } = await drain(client(), 'job');

    expect(records).toHaveLength(2);
    expect(records[0]!.stages.map((s) => s.name)).toEqual([
      'Application Review',
      'Phone Screen',
      'Onsite',
      'Offer',
      'Hired',
    ]);
  });
});

describe('ashby client: auth and rate limits', () => {
  it('sends the API key as Basic username with an empty password', async () => {
    await start();

    await fullPage(client(), 'candidate');

    expect(fake.requests[0]!.headers.authorization).toBe(basicAuth(fake.apiKey));
  });

  it('maps missing_endpoint_permission (403) to auth', async () => {
    await start({ apiKeys: { limited: ['jobsRead'] } });

    const error = await caught(fullPage(client({ credentials: { apiKey: 'limited' } }), 'candidate'));

    expect(error.kind).toBe('auth');
    expect(error.message).toContain('missing_endpoint_permission');
  });

  it('maps a per-key 429 to rate_limited with its Retry-After', async () => {
    await start({ rateLimit: { limit: 1, windowSeconds: 60 } });
    const c = client();
    await fullPage(c, 'candidate');

    const error = await caught(fullPage(c, 'candidate'));

    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(observations.at(-1)?.retryAfterSeconds).toBe(error.retryAfterSeconds);
  });

  it('names the partner-wide scope on an integration-partner 429', async () => {
    await start();
    fake.throttlePartner(1);

    const error = await caught(fullPage(client(), 'candidate'));

    expect(error.kind).toBe('rate_limited');
    expect(error.message).toContain('integration-partner');
  });
});

describe('ashby client: writes', () => {
  const planStages = (appId: string) => {
    const app = fake.state.applications.find((a) => a.id === appId)!;
    const planId = fake.state.stages.find((s) => s.id === app.stageId)!.interviewPlanId;
    return fake.state.stages.filter((s) => s.interviewPlanId === planId);
  };

  it('moves with application.changeStage after checking application.info', async () => {
    await start();
    const app = fake.state.applications[0]!;
    const target = planStages(app.id).find((s) => s.title === 'Offer')!.id;

    const result = await client().moveStage({
      applicationRemoteId: app.id,
      jobRemoteId: app.jobId,
      fromStageRemoteId: app.stageId,
      toStageRemoteId: target,
    });

    expect(result).toEqual({ ok: true });
    expect(app.stageId).toBe(target);
    expect(fake.requests.map((r) => r.path)).toEqual(['/application.info', '/application.changeStage']);
  });

  it('refuses a move when the current stage is not the expected one, without changing it', async () => {
    await start();
    const app = fake.state.applications[0]!;
    const stages = planStages(app.id);
    const stale = stages.find((s) => s.id !== app.stageId && s.type !== 'Archived')!.id;
    const current = app.stageId;

    const result = await client().moveStage({
      applicationRemoteId: app.id,
      jobRemoteId: null,
      fromStageRemoteId: stale,
      toStageRemoteId: stages[3]!.id,
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(app.stageId).toBe(current);
    expect(fake.requests.some((r) => r.path === '/application.changeStage')).toBe(false);
  });

  it('reports Ashby refusing a move into an Archived stage without a reason as refused', async () => {
    await start();
    const app = fake.state.applications[0]!;
    const archived = planStages(app.id).find((s) => s.type === 'Archived')!.id;

    const result = await client().moveStage({
      applicationRemoteId: app.id,
      jobRemoteId: null,
      fromStageRemoteId: null,
      toStageRemoteId: archived,
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(app.status).toBe('Active');
  });

  it('rejects by moving to the Archived stage with the archive reason', async () => {
    await start();
    const app = fake.state.applications[1]!;
    const reason = fake.state.archiveReasons[0]!.id;

    const result = await client().reject({
      applicationRemoteId: app.id,
      reasonRemoteId: reason,
      note: null,
      withdrawn: false,
    });

    expect(result).toEqual({ ok: true });
    expect([app.status, app.archiveReasonId]).toEqual(['Archived', reason]);
  });

  it('refuses to reject an application that is already archived', async () => {
    await start();
    const app = fake.state.applications[1]!;
    await client().reject({
      applicationRemoteId: app.id,
      reasonRemoteId: fake.state.archiveReasons[0]!.id,
      note: null,
      withdrawn: false,
    });

    const again = await client().reject({
      applicationRemoteId: app.id,
      reasonRemoteId: fake.state.archiveReasons[0]!.id,
      note: null,
      withdrawn: false,
    });

    expect(again).toMatchObject({ ok: false, kind: 'refused' });
  });

  it('reports hire as unsupported without calling Ashby', async () => {
    await start();

    const result = await client().hire({
      applicationRemoteId: fake.state.applications[0]!.id,
      fromStageRemoteId: null,
    });

    expect(result).toMatchObject({ ok: false, kind: 'unsupported' });
    expect(fake.requests).toHaveLength(0);
  });
});

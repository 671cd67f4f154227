/**
 * The Lever client against its fake over loopback: opaque offsets, epoch-ms incremental filter, the deleted
 * feed, API key and rotating OAuth refresh tokens, 429/503, read-before-write guards.
 */
import { describe, expect, it } from 'vitest';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type LeverFake, type LeverFakeOptions, startLeverFake } from '../../fakes/lever/index.js';
import { type ClientOverrides, caught, drain, fullPage } from './client-harness.js';
import { leverClient } from './lever-client.js';

let fake: LeverFake;

const fakes = fakeLifecycle(startLeverFake, { postings: 4, contacts: 40 });
async function start(options: LeverFakeOptions = {}) {
  fake = await fakes.start(options);
}

const client = (overrides: ClientOverrides = {}) => leverClient(fake, { requestTimeoutMs: 1_000 }, overrides);

const opportunityCalls = () => fake.requests.filter((r) => r.path === '/v1/opportunities');

describe('lever client: pagination', () => {
  it('reads every opportunity over several pages exactly once', async () => {
    await start({ contacts: 250, rateLimit: false });

    const { pages, records } = await drain(client(), 'application');

    expect(pages.length).toBe(Math.ceil(fake.state.opportunities.length / 100));
    expect(records).toHaveLength(fake.state.opportunities.length);
    expect(new Set(records.map((r) => r.remoteId)).size).toBe(fake.state.opportunities.length);
  });

  it('passes the opaque offset from next back unchanged', async () => {
    await start({ contacts: 30 });

    await drain(client(), 'application', 'full', null, 10);

    const calls = opportunityCalls();
    expect(calls[0]!.query['offset']).toBeUndefined();
    for (const call of calls.slice(1))
      expect(call.query['offset']![0]).toMatch(/^0\.\d+\.[0-9a-f]{8}-[0-9a-f]{4}$/);
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('keeps limit at most 100', async () => {
    await start();

    await client().listPage('application', { mode: 'full', cursor: null, pageToken: null, pageSize: 500 });

    expect(opportunityCalls()[0]!.query['limit']).toEqual(['100']);
  });

  it('gives one candidate per contact, even with two opportunities', async () => {
    await start({ contacts: 40 });

    const { records } = await drain(client(), 'candidate');

    const contacts = new Set(fake.state.opportunities.map((o) => o.contact));
    expect(new Set(records.map((r) => r.remoteId))).toEqual(contacts);
  });

  it('maps postings to jobs carrying the account-wide stage list', async () => {
    await start({ postings: 3 });

    const { records } = await drain(client(), 'job');

    expect(records).toHaveLength(3);
    expect(records[0]!.stages.map((s) => s.remoteId)).toEqual(fake.state.stages.map((s) => s.id));
  });

  it('maps a stage name from expand=stage and the posting from expand=applications', async () => {
    await start();
    const o = fake.state.opportunities[0]!;

    const { records } = await drain(client(), 'application');

    const mapped = records.find((r) => r.remoteId === o.id)!;
    expect(mapped.jobRemoteId).toBe(o.postingId);
    expect(mapped.stage).toEqual({
      remoteId: o.stageId,
      name: fake.state.stages.find((s) => s.id === o.stageId)!.text,
    });
  });

  it('reads hired status from the archive reason type', async () => {
    await start();
    const o = fake.state.opportunities[3]!;
    const hired = fake.state.archiveReasons.find((r) => r.type === 'hired')!;
    fake.archive(o.id, hired.id);

    const { records } = await drain(client(), 'application');

    expect(records.find((r) => r.remoteId === o.id)!.status).toBe('hired');
  });

  it('restarts the pass when Lever refuses an offset', async () => {
    await start();
    const token = JSON.stringify({
      phase: 'items',
      offset: '0.123.deadbeef-0000',
      passStartedAt: 0,
      since: null,
    });

    const error = await caught(fullPage(client(), 'application', { pageToken: token }));

    expect(error.kind).toBe('cursor_expired');
  });
});

describe('lever client: incremental and deletions', () => {
  it('sends updated_at_start in epoch ms with the lookback and returns only changed opportunities', async () => {
    await start({ contacts: 60 });
    const c = client();
    const full = await drain(c, 'application');
    fake.clock.advance(3 * 3_600_000);
    const changed = [fake.state.opportunities[4]!, fake.state.opportunities[9]!];
    for (const o of changed) fake.changeStage(o.id, fake.state.stages[4]!.id);

    const incremental = await drain(c, 'application', 'incremental', full.cursor);

    expect(incremental.records.map((r) => r.remoteId).sort()).toEqual(changed.map((o) => o.id).sort());
    const since = Number(opportunityCalls().at(-1)!.query['updated_at_start']![0]);
    expect(since).toBe((full.cursor as { updatedAtStart: number }).updatedAtStart - 3_600_000);
  });

  it('reports deleted opportunities from the deleted feed at the end of an incremental pass', async () => {
    await start();
    const c = client();
    const full = await drain(c, 'application');
    fake.clock.advance(60_000);
    const gone = fake.state.opportunities[2]!.id;
    fake.deleteOpportunity(gone);

    const incremental = await drain(c, 'application', 'incremental', full.cursor);

    expect(incremental.deleted).toEqual([gone]);
    expect(incremental.pages.at(-1)!.nextCursor).not.toBeNull();
    expect(incremental.pages.slice(0, -1).every((p) => p.nextCursor === null)).toBe(true);
  });

  it('does not read the deleted feed when it is switched off', async () => {
    await start();

    await drain(client({ settings: { deletedFeed: false } }), 'application', 'incremental', {
      updatedAtStart: 0,
    });

    expect(fake.requests.some((r) => r.path === '/v1/opportunities/deleted')).toBe(false);
  });
});

describe('lever client: auth', () => {
  it('sends the API key as Basic username with a blank password', async () => {
    await start();

    await fullPage(client(), 'job');

    expect(fake.requests[0]!.headers.authorization).toBe(basicAuth(fake.apiKey));
  });

  it('refreshes with the rotating refresh token and hands the new one over to be stored', async () => {
    await start();
    const rotated: string[] = [];
    const credentials = { ...fake.oauthClient, refreshToken: 'lever-refresh-0' };

    await fullPage(
      client({
        credentials,
        settings: { onRefreshTokenRotated: (t: string) => rotated.push(t) },
      }),
      'job',
    );

    expect(rotated).toHaveLength(1);
    expect(fake.validRefreshTokens()).toEqual(rotated);
  });

  it('refreshes once when the access token expires, using the rotated refresh token', async () => {
    await start();
    const rotated: string[] = [];
    const c = client({
      credentials: { ...fake.oauthClient, refreshToken: 'lever-refresh-0' },
      settings: { onRefreshTokenRotated: (t: string) => rotated.push(t) },
    });
    await fullPage(c, 'job');
    fake.clock.advance(3_600_000);

    await fullPage(c, 'job');

    expect(rotated).toHaveLength(2);
    const refreshes = fake.requests
      .filter((r) => r.path === '/oauth/token')
      .map((r) => new URLSearchParams(r.body).get('refresh_token'));
    expect(refreshes).toEqual(['lever-refresh-0', rotated[0]]);
  });

  it('refreshes only once when several requests need a token at the same time', async () => {
    await start();
    const c = client({ credentials: { ...fake.oauthClient, refreshToken: 'lever-refresh-0' } });

    await Promise.all([1, 2, 3].map(() => fullPage(c, 'job')));

    expect(fake.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
  });

  it('reports auth when the refresh token was already used', async () => {
    await start();
    await fullPage(client({ credentials: { ...fake.oauthClient, refreshToken: 'lever-refresh-0' } }), 'job');

    const error = await caught(
      fullPage(client({ credentials: { ...fake.oauthClient, refreshToken: 'lever-refresh-0' } }), 'job'),
    );

    expect(error.kind).toBe('auth');
  });
});

describe('lever client: rate limits and errors', () => {
  it('allows a burst of 20 and maps the 21st request to rate_limited', async () => {
    await start();
    const c = client();
    const list = () => c.listPage('candidate', { mode: 'full', cursor: null, pageToken: null, pageSize: 1 });
    for (let i = 0; i < 20; i += 1) await list();

    const error = await caught(list());

    expect(error.kind).toBe('rate_limited');
    expect(error.status).toBe(429);
  });

  it('is served again once the bucket refilled at 10 per second', async () => {
    await start();
    const c = client();
    const list = () => c.listPage('candidate', { mode: 'full', cursor: null, pageToken: null, pageSize: 1 });
    for (let i = 0; i < 20; i += 1) await list();
    fake.clock.advance(100);

    const page = await list();

    expect(page.records).toHaveLength(1);
  });

  it('passes Retry-After on through the error when Lever sends one', async () => {
    await start({ rateLimit: { ratePerSecond: 10, burst: 1 }, retryAfterOn429: 2 });
    const c = client();
    await fullPage(c, 'candidate');

    const error = await caught(fullPage(c, 'candidate'));

    expect(error.retryAfterSeconds).toBe(2);
  });

  it('maps the 503 of maintenance mode to transient', async () => {
    await start();
    fake.setMaintenance(true);

    const error = await caught(fullPage(client(), 'job'));

    expect(error.kind).toBe('transient');
    expect(error.status).toBe(503);
  });
});

describe('lever client: writes', () => {
  it('moves after reading the current stage', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    const target = fake.state.stages.find((s) => s.id !== o.stageId)!.id;

    const result = await client().moveStage({
      applicationRemoteId: o.id,
      jobRemoteId: o.postingId,
      fromStageRemoteId: o.stageId,
      toStageRemoteId: target,
      actorRemoteId: 'user-1',
    });

    expect(result).toEqual({ ok: true });
    expect(o.stageId).toBe(target);
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(JSON.parse(put.body)).toEqual({ stage: target });
    expect(put.query['perform_as']).toEqual(['user-1']);
  });

  it('refuses a move when the current stage differs from the expected one, without writing', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    const [expected, moved, target] = fake.state.stages.filter((s) => s.id !== o.stageId).map((s) => s.id);
    fake.changeStage(o.id, moved!);

    const result = await client().moveStage({
      applicationRemoteId: o.id,
      jobRemoteId: null,
      fromStageRemoteId: expected!,
      toStageRemoteId: target!,
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(fake.requests.some((r) => r.method === 'PUT')).toBe(false);
    expect(o.stageId).toBe(moved);
  });

  it('archives with the reason to reject', async () => {
    await start();
    const o = fake.state.opportunities[1]!;
    const reason = fake.state.archiveReasons.find((r) => r.type === 'non-hired')!.id;

    const result = await client().reject({
      applicationRemoteId: o.id,
      reasonRemoteId: reason,
      note: null,
      withdrawn: false,
    });

    expect(result.ok).toBe(true);
    expect(o.archived?.reason).toBe(reason);
  });

  it('refuses to reject without any archive reason, without calling Lever', async () => {
    await start();

    const result = await client().reject({
      applicationRemoteId: fake.state.opportunities[1]!.id,
      reasonRemoteId: null,
      note: null,
      withdrawn: false,
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses to reject an opportunity that is already archived', async () => {
    await start();
    const o = fake.state.opportunities[1]!;
    const reason = fake.state.archiveReasons[1]!.id;
    fake.archive(o.id, reason);

    const result = await client().reject({
      applicationRemoteId: o.id,
      reasonRemoteId: reason,
      note: null,
      withdrawn: false,
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
  });

  it('hires by archiving with the hired reason and the requisition', async () => {
    await start();
    const o = fake.state.opportunities[2]!;

    const result = await client({ settings: { hireRequisitionId: 'REQ-1' } }).hire({
      applicationRemoteId: o.id,
      fromStageRemoteId: o.stageId,
    });

    expect(result.ok).toBe(true);
    expect(o.archived?.reason).toBe(fake.state.archiveReasons.find((r) => r.type === 'hired')!.id);
    expect(o.hiredRequisitionId).toBe('REQ-1');
  });
});

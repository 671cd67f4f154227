/** The Lever fake against docs/providers.md §9 "Lever", item by item, with plain fetch. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type LeverFake, startLeverFake } from '../../fakes/lever/index.js';
import { leverHttp, leverRefresh } from './lever-http.js';

let fake: LeverFake;
const fakes = fakeLifecycle(startLeverFake, { postings: 3, contacts: 30 }, (started) => {
  fake = started;
});
const { start } = fakes;

const http = leverHttp(() => fake);
const get = http.get;
const put = (path: string, body: unknown) => http.send('PUT', path, body);
const refresh = (refreshToken: string) => leverRefresh(fake, refreshToken);

type Page = { data: { id: string }[]; next?: string; hasNext: boolean };

describe('lever fake: auth', () => {
  it('accepts the API key as Basic username and refuses another key', async () => {
    await start();

    expect([(await get('/postings')).status, (await get('/postings', basicAuth('nope'))).status]).toEqual([
      200, 401,
    ]);
  });

  it('issues access tokens with expires_in 3600 and a new refresh token on every refresh', async () => {
    await start();

    const body = (await (await refresh('lever-refresh-0')).json()) as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
    };

    expect(body.expires_in).toBe(3600);
    expect(body.refresh_token).not.toBe('lever-refresh-0');
    expect((await get('/postings', `Bearer ${body.access_token}`)).status).toBe(200);
  });

  it('refuses a refresh token once it has been rotated', async () => {
    await start();
    await refresh('lever-refresh-0');

    const second = await refresh('lever-refresh-0');

    expect(second.status).toBe(403);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers 401 to an access token past its hour', async () => {
    await start();
    const { access_token } = (await (await refresh('lever-refresh-0')).json()) as { access_token: string };
    fake.clock.advance(3_600_000);

    expect((await get('/postings', `Bearer ${access_token}`)).status).toBe(401);
  });
});

describe('lever fake: pagination and filters', () => {
  it('wraps lists in {data, next, hasNext} and stops with hasNext false', async () => {
    await start();

    const first = (await (await get('/opportunities?limit=20')).json()) as Page;
    const second = (await (await get(`/opportunities?limit=20&offset=${first.next}`)).json()) as Page;

    expect([first.data.length, first.hasNext, typeof first.next]).toEqual([20, true, 'string']);
    expect([second.data.length, second.hasNext, second.next]).toEqual([
      fake.state.opportunities.length - 20,
      false,
      undefined,
    ]);
  });

  it('defaults limit to 100 and refuses limits outside 1–100', async () => {
    await start({ contacts: 150 });

    const page = (await (await get('/opportunities')).json()) as Page;

    expect(page.data).toHaveLength(100);
    expect([
      (await get('/opportunities?limit=0')).status,
      (await get('/opportunities?limit=101')).status,
    ]).toEqual([400, 400]);
  });

  it('accepts an offset only as previously returned in next', async () => {
    await start();
    const { next } = (await (await get('/opportunities?limit=5')).json()) as Page;

    const forged = await get(
      `/opportunities?limit=5&offset=${next!.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`,
    );

    expect(forged.status).toBe(400);
  });

  it('filters GET /opportunities on updated_at_start / updated_at_end in epoch ms', async () => {
    await start();
    fake.clock.advance(60_000);
    const changed = fake.state.opportunities[3]!;
    fake.touch(changed.id);

    const after = (await (await get(`/opportunities?updated_at_start=${fake.clock.nowMs()}`)).json()) as Page;
    const before = (await (
      await get(`/opportunities?updated_at_end=${fake.clock.nowMs() - 1}`)
    ).json()) as Page;

    expect(after.data.map((o) => o.id)).toEqual([changed.id]);
    expect(before.data).toHaveLength(fake.state.opportunities.length - 1);
    expect((await get('/opportunities?updated_at_start=2026-01-01')).status).toBe(400);
  });

  it('lists deleted opportunities at GET /opportunities/deleted', async () => {
    await start();
    const id = fake.state.opportunities[0]!.id;
    fake.deleteOpportunity(id);

    const page = (await (await get('/opportunities/deleted')).json()) as Page;

    expect(page.data.map((d) => d.id)).toEqual([id]);
    expect(((await (await get('/opportunities')).json()) as Page).data.some((o) => o.id === id)).toBe(false);
  });
});

describe('lever fake: rate limit and maintenance', () => {
  it('lets a burst of 20 through, then answers 429', async () => {
    await start();

    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await get('/stages')).status);

    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('refills 10 tokens per second', async () => {
    await start();
    for (let i = 0; i < 20; i += 1) await get('/stages');
    fake.clock.advance(1_000);

    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await get('/stages')).status);

    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  });

  it('keeps one bucket per key', async () => {
    await start({ apiKeys: ['a', 'b'] });
    for (let i = 0; i < 20; i += 1) await get('/stages', basicAuth('a'));

    expect([
      (await get('/stages', basicAuth('a'))).status,
      (await get('/stages', basicAuth('b'))).status,
    ]).toEqual([429, 200]);
  });

  it('answers 503 in maintenance mode', async () => {
    await start();
    fake.setMaintenance(true);

    expect((await get('/stages')).status).toBe(503);
  });
});

describe('lever fake: writes', () => {
  it('moves with PUT /opportunities/:id/stage', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    const target = fake.state.stages[4]!.id;

    const response = await put(`/opportunities/${o.id}/stage`, { stage: target });

    expect(response.status).toBe(200);
    expect(o.stageId).toBe(target);
  });

  it('requires a reason to archive and takes null to unarchive', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    const reason = fake.state.archiveReasons[1]!.id;

    const missing = await put(`/opportunities/${o.id}/archived`, {});
    await put(`/opportunities/${o.id}/archived`, { reason });
    const archived = o.archived?.reason;
    await put(`/opportunities/${o.id}/archived`, { reason: null });

    expect([missing.status, archived, o.archived]).toEqual([400, reason, null]);
  });
});

describe('lever fake: webhooks', () => {
  it('sends {id, event, triggeredAt, token, signature, data} signed over token + triggeredAt, as Lever-Webhooks', async () => {
    await start({ signingTokens: { candidateStageChange: 'sig-token' } });
    const r = await fakes.receiver();
    const o = fake.state.opportunities[0]!;

    await fake.sendWebhook(r.url, fake.changeStage(o.id, fake.state.stages[3]!.id));

    const { headers, rawBody } = r.received[0]!;
    const body = JSON.parse(rawBody.toString()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['data', 'event', 'id', 'signature', 'token', 'triggeredAt']);
    expect(body['token']).toMatch(/^[a-z0-9]{48}$/);
    expect(body['signature']).toBe(
      createHmac('sha256', 'sig-token').update(`${body['token']}${body['triggeredAt']}`).digest('hex'),
    );
    expect(headers['user-agent']).toBe('Lever-Webhooks');
    expect(Object.keys(headers).some((h) => h.includes('signature'))).toBe(false);
  });

  it('signs each event type with its own signing token', async () => {
    await start({ signingTokens: { candidateStageChange: 'one', candidateHired: 'two' } });
    const r = await fakes.receiver();
    const o = fake.state.opportunities[0]!;

    await fake.sendWebhook(r.url, fake.events.hired(o));

    const body = JSON.parse(r.received[0]!.rawBody.toString()) as {
      token: string;
      triggeredAt: number;
      signature: string;
    };
    expect(body.signature).toBe(
      createHmac('sha256', 'two').update(`${body.token}${body.triggeredAt}`).digest('hex'),
    );
  });

  it('carries fromStageId/toStageId on stage changes and fromArchived/toArchived on archive changes', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    const from = o.stageId;

    const stage = fake.changeStage(o.id, fake.state.stages[4]!.id);
    const archive = fake.archive(o.id, fake.state.archiveReasons[1]!.id);

    expect(stage.data).toMatchObject({
      opportunityId: o.id,
      contactId: o.contact,
      fromStageId: from,
      toStageId: fake.state.stages[4]!.id,
    });
    expect(archive.data).toMatchObject({
      fromArchived: null,
      toArchived: { reason: fake.state.archiveReasons[1]!.id },
    });
  });

  it('treats any 2xx as success and everything else, 3xx included, as failure for five retries', async () => {
    await start({ signingTokens: { candidateHired: 's' } });
    const ok = await fakes.receiver([204]);
    const failing = await fakes.receiver([], 301);

    const delivered = await fake.sendWebhook(ok.url, fake.events.hired(fake.state.opportunities[0]!), {
      retry: true,
    });
    const failed = await fake.sendWebhook(failing.url, fake.events.hired(fake.state.opportunities[0]!), {
      retry: true,
    });

    expect(delivered.attempts).toHaveLength(1);
    expect(failed.attempts).toHaveLength(6);
    expect(failed.delivered).toBe(false);
    const gaps = failed.attempts
      .slice(1)
      .map((a, i) => Date.parse(a.at) - Date.parse(failed.attempts[i]!.at));
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
  });
});

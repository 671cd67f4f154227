/** The Ashby fake against docs/providers.md §9 "Ashby", item by item, with plain fetch. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AshbyFake, startAshbyFake } from '../../fakes/ashby/index.js';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';

let fake: AshbyFake;
const fakes = fakeLifecycle(startAshbyFake, { jobs: 2, candidates: 30 }, (started) => {
  fake = started;
});
const { start } = fakes;
type Envelope = {
  success: boolean;
  results?: { id: string }[];
  moreDataAvailable?: boolean;
  nextCursor?: string;
  syncToken?: string;
  errorInfo?: { code: string };
};
async function rpc(
  method: string,
  body: unknown = {},
  key = fake.apiKey,
): Promise<{ status: number; headers: Headers; body: Envelope }> {
  const response = await fetch(`${fake.url}/${method}`, {
    method: 'POST',
    headers: { authorization: basicAuth(key), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Envelope };
}

async function fullPass(method: string, limit = 10) {
  const ids: string[] = [];
  const envelopes: Envelope[] = [];
  let cursor: string | undefined;
  do {
    const { body } = await rpc(method, cursor ? { limit, cursor } : { limit });
    envelopes.push(body);
    ids.push(...(body.results ?? []).map((r) => r.id));
    cursor = body.moreDataAvailable ? body.nextCursor : undefined;
  } while (cursor);
  return { ids, envelopes };
}

describe('ashby fake: RPC and auth', () => {
  it('serves POST /<object>.<method> only', async () => {
    await start();

    const get = await fetch(`${fake.url}/candidate.list`, {
      headers: { authorization: basicAuth(fake.apiKey) },
    });

    expect(get.status).toBe(405);
    expect((await rpc('candidate.list')).body.success).toBe(true);
  });

  it('answers 401 without a key and 403 missing_endpoint_permission without the permission', async () => {
    await start({ apiKeys: { 'jobs-only': ['jobsRead'] } });

    const anonymous = await fetch(`${fake.url}/job.list`, { method: 'POST', body: '{}' });
    const limited = await rpc('candidate.list', {}, 'jobs-only');

    expect(anonymous.status).toBe(401);
    expect([limited.status, limited.body.errorInfo?.code]).toEqual([403, 'missing_endpoint_permission']);
  });
});

describe('ashby fake: pagination and sync tokens', () => {
  it('pages with {success, results, moreDataAvailable, nextCursor} and covers every record once', async () => {
    await start({ candidates: 95 });

    const { ids, envelopes } = await fullPass('candidate.list', 20);

    expect(ids).toHaveLength(95);
    expect(new Set(ids).size).toBe(95);
    expect(
      envelopes.slice(0, -1).every((e) => e.moreDataAvailable === true && typeof e.nextCursor === 'string'),
    ).toBe(true);
  });

  it('caps the page size', async () => {
    await start({ candidates: 150, maxPageSize: 100 });

    const { body } = await rpc('candidate.list', { limit: 1_000 });

    expect(body.results).toHaveLength(100);
  });

  it('returns syncToken only on the last page', async () => {
    await start();

    const { envelopes } = await fullPass('application.list', 10);

    expect(envelopes.slice(0, -1).every((e) => e.syncToken === undefined)).toBe(true);
    expect(typeof envelopes.at(-1)!.syncToken).toBe('string');
  });

  it('returns only records changed since the token on an incremental call', async () => {
    await start();
    const { envelopes } = await fullPass('candidate.list', 100);
    fake.clock.advance(1_000);
    const changed = fake.state.candidates[7]!;
    fake.touchCandidate(changed.id);

    const { body } = await rpc('candidate.list', { syncToken: envelopes.at(-1)!.syncToken });

    expect(body.results!.map((c) => c.id)).toEqual([changed.id]);
  });

  it.each([
    ['sync_token_invalid', async () => rpc('candidate.list', { syncToken: 'nope' })],
    ['invalid_next_cursor', async () => rpc('candidate.list', { cursor: 'nope' })],
  ])('answers %s on demand', async (code, call) => {
    await start();

    const { body } = await call();

    expect([body.success, body.errorInfo?.code]).toEqual([false, code]);
  });

  it('answers sync_token_expired once tokens are expired', async () => {
    await start();
    const { envelopes } = await fullPass('candidate.list', 100);
    fake.expireSyncTokens();

    expect(
      (await rpc('candidate.list', { syncToken: envelopes.at(-1)!.syncToken })).body.errorInfo?.code,
    ).toBe('sync_token_expired');
  });

  it('answers next_cursor_expired past the cursor lifetime', async () => {
    await start({ cursorTtlSeconds: 30 });
    const { body } = await rpc('candidate.list', { limit: 5 });
    fake.clock.advance(31_000);

    expect((await rpc('candidate.list', { limit: 5, cursor: body.nextCursor })).body.errorInfo?.code).toBe(
      'next_cursor_expired',
    );
  });

  it('answers incremental_sync_too_large past the configured page count', async () => {
    await start({ maxIncrementalPages: 1 });
    const { envelopes } = await fullPass('candidate.list', 100);
    fake.clock.advance(1_000);
    for (const c of fake.state.candidates) fake.touchCandidate(c.id);
    const token = envelopes.at(-1)!.syncToken;
    const first = await rpc('candidate.list', { syncToken: token, limit: 10 });

    const second = await rpc('candidate.list', {
      syncToken: token,
      limit: 10,
      cursor: first.body.nextCursor,
    });

    expect([first.body.success, second.body.errorInfo?.code]).toEqual([true, 'incremental_sync_too_large']);
  });
});

describe('ashby fake: rate limits', () => {
  it('answers a per-key 429 without X-RateLimit-Scope', async () => {
    await start({ rateLimit: { limit: 1, windowSeconds: 60 } });
    await rpc('job.list');

    const limited = await rpc('job.list');

    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-scope')).toBeNull();
  });

  it('answers a partner-wide 429 with X-RateLimit-Scope: integration-partner', async () => {
    await start();
    fake.throttlePartner(1);

    const limited = await rpc('job.list');

    expect([limited.status, limited.headers.get('x-ratelimit-scope')]).toEqual([429, 'integration-partner']);
  });
});

describe('ashby fake: changeStage', () => {
  const archivedStageOf = (appId: string) => {
    const app = fake.state.applications.find((a) => a.id === appId)!;
    const plan = fake.state.stages.find((s) => s.id === app.stageId)!.interviewPlanId;
    return fake.state.stages.find((s) => s.interviewPlanId === plan && s.type === 'Archived')!;
  };

  it('refuses an Archived-type target without archiveReasonId', async () => {
    await start();
    const app = fake.state.applications[0]!;

    const { body } = await rpc('application.changeStage', {
      applicationId: app.id,
      interviewStageId: archivedStageOf(app.id).id,
    });

    expect([body.success, app.status]).toEqual([false, 'Active']);
  });

  it('archives with a reason', async () => {
    await start();
    const app = fake.state.applications[0]!;
    const reason = fake.state.archiveReasons[0]!.id;

    const { body } = await rpc('application.changeStage', {
      applicationId: app.id,
      interviewStageId: archivedStageOf(app.id).id,
      archiveReasonId: reason,
    });

    expect([body.success, app.status, app.archiveReasonId]).toEqual([true, 'Archived', reason]);
  });
});

describe('ashby fake: webhooks', () => {
  it('sends {action, data} with Ashby-Signature: sha256=<hex> over the raw body', async () => {
    await start();
    const r = await fakes.receiver();

    await fake.sendWebhook(r.url, fake.events.stageChange(fake.state.applications[0]!.id), {
      secret: 'whsec',
    });

    const { headers, rawBody } = r.received[0]!;
    expect(headers['ashby-signature']).toBe(
      `sha256=${createHmac('sha256', 'whsec').update(rawBody).digest('hex')}`,
    );
    expect(Object.keys(JSON.parse(rawBody.toString())).sort()).toEqual(['action', 'data']);
  });

  it('tries up to 10 times, waiting (2^attempt − 1) × 10 s', async () => {
    await start();
    const r = await fakes.receiver([], 500);

    const delivery = await fake.sendWebhook(r.url, fake.events.stageChange(fake.state.applications[0]!.id), {
      secret: 's',
      retry: true,
    });

    expect(delivery.attempts).toHaveLength(10);
    const gaps = delivery.attempts
      .slice(1)
      .map((a, i) => (Date.parse(a.at) - Date.parse(delivery.attempts[i]!.at)) / 1000);
    expect(gaps.slice(0, 4)).toEqual([10, 30, 70, 150]);
  });

  it.each([401, 403, 404, 405, 410])('does not retry after %i', async (status) => {
    await start();
    const r = await fakes.receiver([], status);

    const delivery = await fake.sendWebhook(r.url, fake.events.stageChange(fake.state.applications[0]!.id), {
      secret: 's',
      retry: true,
    });

    expect(delivery.attempts).toHaveLength(1);
  });

  it('fires applicationSubmit for an application added in the UI but not for one created through the API', async () => {
    await start();
    const r = await fakes.receiver();
    fake.subscribeWebhook(r.url, 'applicationSubmit', 's');
    const [c1, c2] = fake.state.candidates;
    const job = fake.state.jobs[0]!;

    fake.createApplicationInUi(c1!.id, job.id);
    await rpc('application.create', { candidateId: c2!.id, jobId: job.id });
    await fake.flushWebhooks();

    expect(r.received).toHaveLength(1);
    expect(JSON.parse(r.received[0]!.rawBody.toString()).data.application.candidate.id).toBe(c1!.id);
  });

  it('can be switched to fire applicationSubmit for API-created applications too', async () => {
    await start({ fireApplicationSubmitForApi: true });
    const r = await fakes.receiver();
    fake.subscribeWebhook(r.url, 'applicationSubmit', 's');

    await rpc('application.create', {
      candidateId: fake.state.candidates[0]!.id,
      jobId: fake.state.jobs[0]!.id,
    });
    await fake.flushWebhooks();

    expect(r.received).toHaveLength(1);
  });
});

// Over 400 lines: the Greenhouse fake's behaviour catalogue (auth, paging, filters, limits, webhooks, omitted fields).
/** The Greenhouse fake against docs/providers.md §9 "Greenhouse", item by item, with plain fetch. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';

let fake: GreenhouseFake;
const fakes = fakeLifecycle(startGreenhouseFake, { jobs: 3, candidates: 30 }, (started) => {
  fake = started;
});
const { start } = fakes;

const basic = basicAuth;
/** A v3 call with a token minted by the fake (no token request recorded). */
const api = (path: string, init: RequestInit = {}, sub: string | null = '101') =>
  fetch(`${fake.url}${path}`, {
    ...init,
    headers: { ...fake.bearerHeaders(sub), 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
const post = (path: string, body: unknown, sub: string | null = '101') =>
  api(path, { method: 'POST', body: JSON.stringify(body) }, sub);

async function token(): Promise<string> {
  const response = await fetch(fake.authUrl, {
    method: 'POST',
    headers: {
      authorization: basicAuth(fake.credentials.clientId, fake.credentials.clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&sub=101',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

const v3 = async (pathAndQuery: string, init: RequestInit = {}, bearer?: string) =>
  fetch(pathAndQuery.startsWith('http') ? pathAndQuery : `${fake.url}${pathAndQuery}`, {
    ...init,
    headers: {
      authorization: `Bearer ${bearer ?? (await token())}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });

const nextLink = (response: Response) =>
  /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;

describe('greenhouse fake: Harvest v1 and v2 are removed', () => {
  it('answers every v1 and v2 path with 410 and a JSON message, whatever the credentials', async () => {
    await start();
    const oldKey = { authorization: basic('gh-v1-key'), 'on-behalf-of': '101' };

    const responses = await Promise.all([
      fetch(`${fake.url}/v1/candidates`, { headers: oldKey }),
      fetch(`${fake.url}/v2/offers`),
      fetch(`${fake.url}/v1/applications/200000/reject`, { method: 'POST', headers: oldKey, body: '{}' }),
    ]);

    expect(responses.map((r) => r.status)).toEqual([410, 410, 410]);
    expect(await responses[0]!.json()).toEqual({ message: 'Harvest v1 and v2 have been removed; use v3' });
  });

  it('changes nothing on a v1 write', async () => {
    await start();
    const app = fake.state.applications[0]!;

    await fetch(`${fake.url}/v1/applications/${app.id}/hire`, { method: 'POST', body: '{}' });

    expect(app.status).toBe('active');
  });

  it('answers with the configured status and message (the real answer is unverified)', async () => {
    await start({ removedApi: { status: 404, message: 'Not Found' } });

    const response = await fetch(`${fake.url}/v1/jobs`);

    expect([response.status, await response.json()]).toEqual([404, { message: 'Not Found' }]);
  });

  it('requires HTTPS on v3', async () => {
    await start();

    expect((await api('/v3/candidates', { headers: { 'x-forwarded-proto': 'http' } })).status).toBe(403);
  });
});

describe('greenhouse fake: v3 GET /applications filters', () => {
  it('filters on candidate_ids and job_ids together', async () => {
    await start();
    const app = fake.state.applications[4]!;

    const body = (await (
      await api(`/v3/applications?candidate_ids=${app.candidateId}&job_ids=${app.jobId}`)
    ).json()) as { id: number }[];
    const otherJob = (await (
      await api(`/v3/applications?candidate_ids=${app.candidateId}&job_ids=${app.jobId + 1}`)
    ).json()) as unknown[];

    expect(body.map((a) => a.id)).toEqual([app.id]);
    expect(otherJob).toEqual([]);
  });

  it('answers 422 to more than 50 ids in one filter', async () => {
    await start();
    const ids = Array.from({ length: 51 }, (_, i) => 100000 + i).join(',');

    expect((await api(`/v3/applications?candidate_ids=${ids}`)).status).toBe(422);
  });

  it('reports status in_process, rejected or hired', async () => {
    await start();
    const app = fake.state.applications[5]!;
    fake.rejectApplication(app.id);

    const body = (await (await api('/v3/applications?status=rejected')).json()) as { id: number }[];

    expect(body.map((a) => a.id)).toEqual([app.id]);
  });
});

describe('greenhouse fake: v3 OAuth and cursors', () => {
  it('issues a bearer token valid for one hour', async () => {
    await start();
    const response = await fetch(fake.authUrl, {
      method: 'POST',
      headers: {
        authorization: basicAuth(fake.credentials.clientId, fake.credentials.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });

    expect(await response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  });

  it('answers 401 once the token has expired', async () => {
    await start();
    const bearer = await token();
    fake.clock.advance(3_600_000);

    expect((await v3('/v3/candidates', {}, bearer)).status).toBe(401);
  });

  it('links the next page with an opaque URL-safe Base64 cursor as the only parameter', async () => {
    await start();

    const next = nextLink(await v3('/v3/candidates?per_page=10'));

    const url = new URL(next!);
    expect([...url.searchParams.keys()]).toEqual(['cursor']);
    expect(url.searchParams.get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('omits the Link header on the last page', async () => {
    await start();

    const response = await v3('/v3/candidates?per_page=30');

    expect(response.headers.get('link')).toBeNull();
  });

  it('answers 422 when the cursor comes with another parameter', async () => {
    await start();
    const next = nextLink(await v3('/v3/candidates?per_page=10'));

    expect((await v3(`${next}&per_page=10`)).status).toBe(422);
  });

  it('answers 422 to an expired cursor', async () => {
    await start({ cursorTtlSeconds: 60 });
    const bearer = await token();
    const next = nextLink(await v3('/v3/candidates?per_page=10', {}, bearer));
    fake.clock.advance(61_000);

    expect((await v3(next!, {}, bearer)).status).toBe(422);
  });

  it('answers 422 to per_page outside 1–500', async () => {
    await start();

    expect((await v3('/v3/candidates?per_page=501')).status).toBe(422);
  });

  it('walks every record exactly once, id descending', async () => {
    await start({ candidates: 1_000 });
    const bearer = await token();
    const ids: number[] = [];
    let url: string | null = `${fake.url}/v3/candidates?per_page=300`;
    while (url) {
      const response = await v3(url, {}, bearer);
      ids.push(...((await response.json()) as { id: number }[]).map((c) => c.id));
      url = nextLink(response);
    }

    expect(ids).toHaveLength(1_000);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('applies updated_at=gte|…|lte|… and created_at operators', async () => {
    await start();
    const sorted = [...fake.state.candidates].sort((a, b) => a.updatedAt - b.updatedAt);
    const from = new Date(sorted[10]!.updatedAt).toISOString();
    const to = new Date(sorted[19]!.updatedAt).toISOString();
    const expected = fake.state.candidates.filter(
      (c) => c.updatedAt >= sorted[10]!.updatedAt && c.updatedAt <= sorted[19]!.updatedAt,
    );

    const body = (await (await v3(`/v3/candidates?updated_at=gte|${from}|lte|${to}`)).json()) as unknown[];
    const strict = (await (
      await v3(`/v3/candidates?created_at=lt|${new Date(fake.state.candidates[0]!.createdAt).toISOString()}`)
    ).json()) as unknown[];

    expect(body).toHaveLength(expected.length);
    expect(strict).toHaveLength(0);
  });

  it('answers 422 to an unparseable filter', async () => {
    await start();

    expect((await v3('/v3/candidates?updated_at=since|yesterday')).status).toBe(422);
  });
});

describe('greenhouse fake: rate limit', () => {
  it('sends X-RateLimit-Limit and X-RateLimit-Remaining on successes, 50 per 10 s by default', async () => {
    await start();
    fake.clock.set(Math.floor(fake.clock.nowMs() / 10_000) * 10_000);

    const response = await api('/v3/candidates');

    expect(response.headers.get('x-ratelimit-limit')).toBe('50');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('49');
  });

  it('answers the 51st request in a window with 429, Retry-After and X-RateLimit-Reset but no limit headers', async () => {
    await start();
    const windowStart = Math.floor(fake.clock.nowMs() / 10_000) * 10_000;
    fake.clock.set(windowStart + 7_500);
    for (let i = 0; i < 50; i += 1) await api('/v3/jobs');

    const response = await api('/v3/jobs');

    expect(response.status).toBe(429);
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    expect(response.headers.get('x-ratelimit-remaining')).toBeNull();
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('x-ratelimit-reset')).toBe(String((windowStart + 10_000) / 1000));
  });

  it('opens a fresh window after 10 s', async () => {
    await start({ rateLimit: { limit: 1, windowSeconds: 10 } });
    await api('/v3/jobs');
    fake.clock.advance(10_000);

    expect((await api('/v3/jobs')).status).toBe(200);
  });
});

describe('greenhouse fake: webhooks', () => {
  it('signs the exact bytes sent with Signature: sha256 <hex>', async () => {
    await start();
    const r = await fakes.receiver();

    await fake.sendWebhook(r.url, fake.events.stageChange(fake.state.applications[0]!.id), {
      secret: 's3cret',
    });

    const [delivery] = r.received;
    const expected = createHmac('sha256', 's3cret').update(delivery!.rawBody).digest('hex');
    expect(delivery!.headers['signature']).toBe(`sha256 ${expected}`);
    expect(delivery!.headers['greenhouse-event-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('escapes HTML-significant characters as \\u003c in the JSON it signs', async () => {
    await start();
    const r = await fakes.receiver();

    await fake.sendWebhook(r.url, fake.events.stageChange(fake.state.applications[0]!.id), { secret: 's' });

    const text = r.received[0]!.rawBody.toString();
    expect(text).toContain('\\u003cp\\u003e');
    expect(text).not.toContain('<p>');
  });

  it('sends a stage change without any previous stage', async () => {
    await start();
    const event = fake.events.stageChange(fake.state.applications[0]!.id);

    expect(JSON.stringify(event)).not.toMatch(/previous|from_stage/);
    expect(event.payload.application.current_stage).not.toBeNull();
  });

  it('sends delete_application flat and delete/merge_candidate under payload.person', async () => {
    await start();
    const [a, b] = fake.state.candidates;

    const deletedApp = fake.deleteApplication(fake.state.applications[2]!.id);
    const merged = fake.mergeCandidates(b!.id, a!.id);

    expect(deletedApp.payload).toHaveProperty('id');
    expect(deletedApp.payload).not.toHaveProperty('application');
    expect(merged.payload.person).toMatchObject({ id: b!.id, new_candidate_id: a!.id });
    expect(fake.deleteCandidate(a!.id).payload.person.deleted_application_ids.length).toBeGreaterThan(0);
  });

  it('counts only exactly 200 as success and retries on the default schedule', async () => {
    await start();
    const r = await fakes.receiver([201, 500, 302]);
    const startedAt = fake.clock.nowMs();

    const delivery = await fake.sendWebhook(r.url, fake.events.ping(1), { secret: 's', retry: true });

    expect(delivery.attempts.map((a) => a.status)).toEqual([201, 500, 302, 200]);
    const elapsedSeconds = (fake.clock.nowMs() - startedAt) / 1000;
    expect(elapsedSeconds).toBeGreaterThanOrEqual((1 + 15 + 60) * 60);
    expect(elapsedSeconds).toBeLessThanOrEqual((1 + 15 + 60) * 60 + 30 * (1 + 2 + 3));
  });

  it('gives up after six retries by default, reusing the event id', async () => {
    await start();
    const r = await fakes.receiver([], 500);

    const delivery = await fake.sendWebhook(r.url, fake.events.ping(1), { secret: 's', retry: true });

    expect(delivery.attempts).toHaveLength(7);
    expect(delivery.delivered).toBe(false);
    expect(new Set(delivery.attempts.map((a) => a.eventId)).size).toBe(1);
  });

  it('can be configured for 25 retries with a new event id per attempt', async () => {
    await start({ webhooks: { maxRetries: 25, reuseEventIdOnRetry: false } });
    const r = await fakes.receiver([], 503);

    const delivery = await fake.sendWebhook(r.url, fake.events.ping(1), { secret: 's', retry: true });

    expect(delivery.attempts).toHaveLength(26);
    expect(new Set(delivery.attempts.map((a) => a.eventId)).size).toBe(26);
  });

  it('pings on creation and keeps a webhook whose ping failed disabled', async () => {
    await start();
    const good = await fakes.receiver();
    const bad = await fakes.receiver([], 404);

    const enabled = await fake.createWebhook(good.url, 's');
    const disabled = await fake.createWebhook(bad.url, 's');

    expect(JSON.parse(good.received[0]!.rawBody.toString())).toMatchObject({ action: 'ping' });
    expect([enabled.enabled, disabled.enabled]).toEqual([true, false]);
  });
});

describe('greenhouse fake: writes', () => {
  const app = () => fake.state.applications.find((a) => a.status === 'active')!;

  it('rejects with 204 and records the reason', async () => {
    await start();
    const a = app();

    const response = await post(`/v3/applications/${a.id}/reject`, { rejection_reason_id: 9002 });

    expect(response.status).toBe(204);
    expect(a).toMatchObject({ status: 'rejected', rejectionReasonId: 9002 });
  });

  it('refuses a v3 reject without rejection_reason_id (v1 made it optional)', async () => {
    await start();

    const response = await post(`/v3/applications/${app().id}/reject`, {});

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'rejection_reason_id' }] });
  });

  it('refuses to reject an application that is not active, with the documented message', async () => {
    await start();
    const a = app();
    fake.rejectApplication(a.id);

    const response = await post(`/v3/applications/${a.id}/reject`, { rejection_reason_id: 9001 });

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      errors: [{ message: "Application must be 'active', is currently 'rejected'" }],
    });
  });

  it('hires with 204 and clears the current stage', async () => {
    await start();
    const a = app();

    const response = await post(`/v3/applications/${a.id}/hire`, {});
    const [listed] = (await (await api(`/v3/applications?ids=${a.id}`)).json()) as Record<string, unknown>[];

    expect(response.status).toBe(204);
    expect(listed).toMatchObject({ status: 'hired', job_interview_stage_id: null });
  });

  it('answers 403 when the token lacks the scope, or the acting user the permission', async () => {
    await start({ submissions: { missingScopes: ['harvest:applications:hire'], readOnlyUserIds: [102] } });

    const noScope = await post(`/v3/applications/${app().id}/hire`, {});
    const readOnly = await post(`/v3/applications/${app().id}/reject`, { rejection_reason_id: 9001 }, '102');

    expect([noScope.status, readOnly.status]).toEqual([403, 403]);
    expect(app().status).toBe('active');
  });

  it('answers a v3 move with 204 and refuses a stale from_stage_id with 422', async () => {
    await start();
    const a = app();
    const stages = fake.state.jobById.get(a.jobId)!.stages;
    const from = a.stageId!;
    const to = stages.find((s) => s.id !== from)!.id;

    const moved = await post(`/v3/applications/${a.id}/move`, { from_stage_id: from, to_stage_id: to });
    const stale = await post(`/v3/applications/${a.id}/move`, { from_stage_id: from, to_stage_id: to });

    expect([moved.status, stale.status]).toEqual([204, 422]);
  });
});

describe('greenhouse fake: attachments, volume, faults', () => {
  it('serves attachment URLs for 7 days, then refuses them', async () => {
    await start();
    const a = fake.state.applications[0]!;
    await post('/v3/attachments', {
      application_id: a.id,
      filename: 'cv.pdf',
      type: 'resume',
      content: Buffer.from('%PDF').toString('base64'),
    });
    const [attachment] = (await (await api(`/v3/attachments?application_ids=${a.id}`)).json()) as {
      url: string;
    }[];
    const url = attachment!.url;

    const fresh = await fetch(url);
    fake.clock.advance(7 * 86_400_000 + 1);
    const expired = await fetch(url);

    expect([fresh.status, expired.status]).toEqual([200, 403]);
  });

  it('generates 10,000 candidates deterministically and cheaply', async () => {
    const began = performance.now();
    const a = await start({ candidates: 10_000, seed: 7 });
    const b = await startGreenhouseFake({ candidates: 10_000, seed: 7 });
    fakes.cleanups.push(() => b.stop());

    expect(performance.now() - began).toBeLessThan(2_000);
    expect(a.state.candidates).toHaveLength(10_000);
    expect(b.state.candidates[9_999]).toEqual(a.state.candidates[9_999]);
  });

  it('injects failures for the next N matching requests only', async () => {
    await start();
    fake.failNext(2, { kind: 'status', status: 500 });

    const statuses = [
      (await api('/v3/jobs')).status,
      (await api('/v3/jobs')).status,
      (await api('/v3/jobs')).status,
    ];

    expect(statuses).toEqual([500, 500, 200]);
  });

  it('adds the configured latency', async () => {
    await start({ latencyMs: 60 });
    const began = performance.now();

    await api('/v3/jobs');

    expect(performance.now() - began).toBeGreaterThanOrEqual(55);
  });
});

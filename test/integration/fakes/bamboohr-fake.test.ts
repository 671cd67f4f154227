/**
 * The BambooHR fake against its checklist (docs/providers.md §9, BambooHR), spoken to with plain fetch: independent
 * of the adapter in shared/providers.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type BamboohrFake, startBamboohrFake } from '../../fakes/bamboohr/index.js';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { startWebhookReceiver } from '../../fakes/common/webhook-receiver.js';

const { start: startFake, cleanups } = fakeLifecycle(startBamboohrFake, { seed: 2, applications: 30 });

const basic = basicAuth;

async function get(
  f: BamboohrFake,
  path: string,
  init: { key?: string; password?: string; accept?: string } = {},
) {
  const response = await fetch(`${f.apiBase}${path}`, {
    headers: {
      authorization: basic(init.key ?? f.apiKey, init.password ?? 'x'),
      accept: init.accept ?? 'application/json',
    },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

async function post(f: BamboohrFake, path: string, body: unknown) {
  const response = await fetch(`${f.apiBase}${path}`, {
    method: 'POST',
    headers: {
      authorization: basic(f.apiKey, 'x'),
      accept: 'application/json',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('BambooHR fake: authentication and format', () => {
  it('accepts the API key as user with any password', async () => {
    const f = await startFake();

    const response = await get(f, '/applicant_tracking/statuses', { password: 'anything-at-all' });

    expect(response.status).toBe(200);
  });

  it('refuses an unknown API key with 401', async () => {
    const f = await startFake();

    const response = await get(f, '/applicant_tracking/statuses', { key: 'wrong' });

    expect(response.status).toBe(401);
  });

  it('answers 404 under another company domain', async () => {
    const f = await startFake();

    const response = await fetch(`${f.url}/api/gateway.php/other/v1/applicant_tracking/statuses`, {
      headers: { authorization: basic(f.apiKey, 'x'), accept: 'application/json' },
    });

    expect(response.status).toBe(404);
  });

  it('answers XML unless JSON is asked for', async () => {
    const f = await startFake();

    const response = await get(f, '/applicant_tracking/statuses', { accept: '*/*' });

    expect(response.headers.get('content-type')).toBe('application/xml');
  });
});

describe('BambooHR fake: applications', () => {
  it('pages with paginationComplete and a nextPageUrl to the following page', async () => {
    const f = await startFake({ applications: 150 });

    const first = (await get(f, '/applicant_tracking/applications?applicationStatus=ALL&page=1')).json();
    const second = (await get(f, '/applicant_tracking/applications?applicationStatus=ALL&page=2')).json();

    expect({
      first: [
        first.paginationComplete,
        new URL(first.nextPageUrl).searchParams.get('page'),
        first.applications.length,
      ],
      second: [second.paginationComplete, second.nextPageUrl, second.applications.length],
    }).toEqual({ first: [false, '2', 100], second: [true, null, 50] });
  });

  it('lists only open applications by default and every one with applicationStatus=ALL', async () => {
    const f = await startFake({ applications: 60 });

    const byDefault = (await get(f, '/applicant_tracking/applications')).json().applications.length;
    const all = (await get(f, '/applicant_tracking/applications?applicationStatus=ALL')).json().applications
      .length;

    const open = f.state.liveApplications().filter((a) => a.statusId <= 9).length;
    expect({ byDefault, all }).toEqual({ byDefault: open, all: 60 });
  });

  it('filters newSince on creation time', async () => {
    const f = await startFake();
    const since = f.clock.now().toISOString().slice(0, 19).replace('T', ' ');
    f.clock.advance(60_000);
    const added = f.state.addApplication({ jobId: 101 });
    f.state.setStatus(f.state.liveApplications()[0]?.id ?? 0, 4);

    const response = (
      await get(
        f,
        `/applicant_tracking/applications?applicationStatus=ALL&newSince=${encodeURIComponent(since)}`,
      )
    ).json();

    expect(response.applications.map((a: { id: number }) => a.id)).toEqual([added.id]);
  });

  it('also matches status changes with newSince when configured', async () => {
    const f = await startFake({ newSinceIncludesStatusChanges: true });
    const since = f.clock.now().toISOString().slice(0, 19).replace('T', ' ');
    f.clock.advance(60_000);
    const changed = f.state.liveApplications()[0]?.id ?? 0;
    f.state.setStatus(changed, 4);

    const response = (
      await get(
        f,
        `/applicant_tracking/applications?applicationStatus=ALL&newSince=${encodeURIComponent(since)}`,
      )
    ).json();

    expect(response.applications.map((a: { id: number }) => a.id)).toEqual([changed]);
  });

  it('refuses an unreadable newSince with 400', async () => {
    const f = await startFake();

    const response = await get(f, '/applicant_tracking/applications?newSince=yesterday');

    expect(response.status).toBe(400);
  });

  it('changes an application status through POST …/status', async () => {
    const f = await startFake();
    const application = f.state.liveApplications()[0];

    const response = await post(f, `/applicant_tracking/applications/${application?.id}/status`, {
      status: 6,
    });

    expect({
      status: response.status,
      statusId: f.state.application(application?.id ?? 0)?.statusId,
    }).toEqual({ status: 200, statusId: 6 });
  });

  it('refuses an unknown status id with 400', async () => {
    const f = await startFake();
    const application = f.state.liveApplications()[0];

    const response = await post(f, `/applicant_tracking/applications/${application?.id}/status`, {
      status: 404,
    });

    expect(response.status).toBe(400);
  });

  it('answers 404 for an unknown application', async () => {
    const f = await startFake();

    const response = await post(f, '/applicant_tracking/applications/1/status', { status: 2 });

    expect(response.status).toBe(404);
  });

  it('holds 10,000 applications cheaply', async () => {
    const started = performance.now();
    const f = await startFake({ applications: 10_000 });

    const last = (await get(f, '/applicant_tracking/applications?applicationStatus=ALL&page=100')).json();

    expect({
      complete: last.paginationComplete,
      count: last.applications.length,
      fast: performance.now() - started < 3_000,
    }).toEqual({
      complete: true,
      count: 100,
      fast: true,
    });
  });
});

describe('BambooHR fake: changed employees', () => {
  it('lists employees deleted since `since` and returns latest', async () => {
    const f = await startFake();
    const since = f.clock.now().toISOString();
    f.clock.advance(1_000);
    f.state.changeEmployee(41, 'Deleted');
    f.state.changeEmployee(42, 'Updated');

    const response = (
      await get(f, `/employees/changed?since=${encodeURIComponent(since)}&type=deleted`)
    ).json();

    expect(response).toEqual({
      latest: '2026-01-15T12:00:01+00:00',
      employees: { '41': { id: '41', action: 'Deleted', lastChanged: '2026-01-15T12:00:01+00:00' } },
    });
  });

  it('refuses a request without since', async () => {
    const f = await startFake();

    const response = await get(f, '/employees/changed?type=deleted');

    expect(response.status).toBe(400);
  });
});

describe('BambooHR fake: throttling and failures', () => {
  it('throttles with 503 and Retry-After', async () => {
    const f = await startFake({ throttle: { limit: 1, windowMs: 15_000 } });
    await get(f, '/applicant_tracking/statuses');

    const refused = await get(f, '/applicant_tracking/statuses');

    expect({ status: refused.status, retryAfter: refused.headers.get('retry-after') }).toEqual({
      status: 503,
      retryAfter: '15',
    });
  });

  it('serves again once the window has passed on the fake clock', async () => {
    const f = await startFake({ throttle: { limit: 1, windowMs: 15_000 } });
    await get(f, '/applicant_tracking/statuses');
    f.clock.advance(15_000);

    const allowed = await get(f, '/applicant_tracking/statuses');

    expect(allowed.status).toBe(200);
  });

  it('answers injected failures', async () => {
    const f = await startFake();
    f.failNext(1, { kind: 'status', status: 500 });

    const response = await get(f, '/applicant_tracking/statuses');

    expect(response.status).toBe(500);
  });
});

describe('BambooHR fake: webhooks', () => {
  it('signs the raw body followed by the timestamp, lowercase hex, in BambooHR headers', async () => {
    const f = await startFake({ webhookPrivateKey: 'private-key' });
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.stop);

    await f.sendWebhook(receiver.url, { employees: [{ id: '40', action: 'Updated' }] });
    const received = receiver.received[0];
    const timestamp = String(received?.headers['x-bamboohr-timestamp']);
    const expected = createHmac('sha256', 'private-key')
      .update(Buffer.concat([received?.rawBody ?? Buffer.alloc(0), Buffer.from(timestamp)]))
      .digest('hex');

    expect({ signature: received?.headers['x-bamboohr-signature'], timestamp }).toEqual({
      signature: expected,
      timestamp: String(f.clock.nowMs() / 1000),
    });
  });

  it('does not sign the timestamp before the body', async () => {
    const f = await startFake({ webhookPrivateKey: 'private-key' });
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.stop);

    await f.sendWebhook(receiver.url, { employees: [] });
    const received = receiver.received[0];
    const timestamp = String(received?.headers['x-bamboohr-timestamp']);
    const reversed = createHmac('sha256', 'private-key')
      .update(Buffer.concat([Buffer.from(timestamp), received?.rawBody ?? Buffer.alloc(0)]))
      .digest('hex');

    expect(received?.headers['x-bamboohr-signature']).not.toBe(reversed);
  });

  it('records the receiver status of each delivery', async () => {
    const f = await startFake();
    const receiver = await startWebhookReceiver([500]);
    cleanups.push(receiver.stop);

    await f.sendWebhook(receiver.url, { employees: [] });

    expect(f.webhookDeliveries.map((d) => d.status)).toEqual([500]);
  });
});

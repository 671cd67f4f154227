/**
 * The BambooHR client (and webhook verifier) against the BambooHR fake over loopback, on the fake's clock.
 */
import { describe, expect, it } from 'vitest';
import type { RateLimitObservation } from '../../../shared/ports/provider.js';
import { provider } from '../../../shared/providers/bamboohr/index.js';
import { type BamboohrFake, employeeWebhookPayload, startBamboohrFake } from '../../fakes/bamboohr/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { startWebhookReceiver } from '../../fakes/common/webhook-receiver.js';
import { type ClientOverrides, caught, clientWith, fullPage, readPass } from './client-harness.js';

const HOUR_MS = 3_600_000;

const { start: startFake, cleanups } = fakeLifecycle(startBamboohrFake, { seed: 5, applications: 40 });

const clientFor = (f: BamboohrFake, overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { apiKey: f.apiKey, companyDomain: f.companyDomain },
      settings: { baseUrl: f.url, lookbackSeconds: 0 },
      clock: f.clock,
    },
    overrides,
  );

const statusPosts = (f: BamboohrFake) =>
  f.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/status'));

describe('BambooHR full passes', () => {
  it('returns exactly the fake applications, closed ones included, over several pages', async () => {
    const f = await startFake({ applications: 250 });
    const client = clientFor(f);

    const pass = await readPass(client, 'application');

    expect({ pages: pass.pages.length, ids: pass.records.map((a) => a.remoteId).sort() }).toEqual({
      pages: 3,
      ids: f.state
        .liveApplications()
        .map((a) => String(a.id))
        .sort(),
    });
  });

  it('asks page after page from 1 without skipping', async () => {
    const f = await startFake({ applications: 250 });
    const client = clientFor(f);

    await readPass(client, 'application');

    expect(
      f.requests.filter((r) => r.path.endsWith('/applications')).map((r) => r.query['page']?.[0]),
    ).toEqual(['1', '2', '3']);
  });

  it('reads each applicant with its email as the whole email set, and leaves phones out as the list has none', async () => {
    const f = await startFake({ applications: 30 });
    const client = clientFor(f);

    const pass = await readPass(client, 'candidate');

    const applicant = f.state.liveApplications()[0]!.applicant;
    const read = pass.records.find((c) => c.remoteId === String(applicant.id));
    expect(read?.emails).toEqual([{ value: applicant.email.toLowerCase(), type: 'other' }]);
    expect(pass.records.some((c) => c.phones !== undefined)).toBe(false);
  });

  it('maps statuses to canonical statuses through the status catalog', async () => {
    const f = await startFake({ applications: 120 });
    const client = clientFor(f);

    const pass = await readPass(client, 'application');

    const hired = f.state
      .liveApplications()
      .filter((a) => a.statusId === 15)
      .map((a) => String(a.id))
      .sort();
    expect(
      pass.records
        .filter((a) => a.status === 'hired')
        .map((a) => a.remoteId)
        .sort(),
    ).toEqual(hired);
  });

  it('derives each applicant once per page as a candidate', async () => {
    const f = await startFake({ applications: 80 });
    const client = clientFor(f);

    const pass = await readPass(client, 'candidate');

    const applicants = [...new Set(f.state.liveApplications().map((a) => String(a.applicant.id)))].sort();
    expect(pass.records.map((c) => c.remoteId).sort()).toEqual(applicants);
  });

  it('lists jobs with the statuses as stages and reports deleted jobs as deletions', async () => {
    const f = await startFake({ jobs: 5 });
    f.state.setJobStatus(103, 'Deleted');
    const client = clientFor(f);

    const pass = await readPass(client, 'job');

    expect({
      jobs: pass.records.map((j) => j.remoteId),
      deleted: pass.deleted,
      stages: pass.records[0]?.stages.length,
    }).toEqual({ jobs: ['100', '101', '102', '104'], deleted: ['103'], stages: 15 });
  });
});

describe('BambooHR incremental passes (newSince)', () => {
  it('returns only applications created since the previous pass', async () => {
    const f = await startFake();
    const client = clientFor(f);
    const full = await readPass(client, 'application');
    f.clock.advance(HOUR_MS);
    const added = [f.state.addApplication({ jobId: 100 }), f.state.addApplication({ jobId: 101 })];

    const pass = await readPass(client, 'application', { mode: 'incremental', cursor: full.cursor });

    expect(pass.records.map((a) => a.remoteId).sort()).toEqual(added.map((a) => String(a.id)).sort());
  });

  it('sends newSince as the previous pass start minus the lookback, in UTC', async () => {
    const f = await startFake();
    const client = clientFor(f, { settings: { lookbackSeconds: 3600 } });
    const full = await readPass(client, 'application');
    f.clock.advance(HOUR_MS);

    await readPass(client, 'application', { mode: 'incremental', cursor: full.cursor });

    expect(f.requests.at(-1)?.rawUrl).toContain('newSince=2026-01-15%2011%3A00%3A00');
  });

  it('reports deleted employees as deleted candidates only when enabled', async () => {
    const f = await startFake();
    const client = clientFor(f, { settings: { employeeDeletesAsCandidateDeletes: true } });
    const full = await readPass(client, 'candidate');
    f.clock.advance(HOUR_MS);
    f.state.changeEmployee(42, 'Deleted');

    const pass = await readPass(client, 'candidate', { mode: 'incremental', cursor: full.cursor });

    expect({ deleted: pass.deleted, cursor: pass.cursor }).toEqual({
      deleted: ['42'],
      cursor: { passStartedAt: '2026-01-15T13:00:00.000Z', employeesSince: '2026-01-15T13:00:00+00:00' },
    });
  });

  it('does not read the employee feed by default', async () => {
    const f = await startFake();
    const client = clientFor(f);
    const full = await readPass(client, 'candidate');
    f.clock.advance(HOUR_MS);

    await readPass(client, 'candidate', { mode: 'incremental', cursor: full.cursor });

    expect(f.requests.some((r) => r.path.endsWith('/employees/changed'))).toBe(false);
  });
});

describe('BambooHR errors', () => {
  it('maps a throttling 503 with Retry-After to rate_limited and reports it to the limiter', async () => {
    const f = await startFake({ throttle: { limit: 1, windowMs: 20_000 } });
    const observations: RateLimitObservation[] = [];
    const client = clientFor(f, { onRateLimit: (o) => observations.push(o) });
    await fullPage(client, 'candidate');

    const error = await caught(fullPage(client, 'candidate'));

    expect({
      kind: error.kind,
      status: error.status,
      retryAfter: error.retryAfterSeconds,
      observations,
    }).toEqual({
      kind: 'rate_limited',
      status: 503,
      retryAfter: 20,
      observations: [{ retryAfterSeconds: 20 }],
    });
  });

  it('maps a 503 without Retry-After to transient', async () => {
    const f = await startFake();
    f.failNext(1, { kind: 'status', status: 503, body: 'down' });
    const client = clientFor(f);

    const error = await caught(fullPage(client, 'job'));

    expect(error.kind).toBe('transient');
  });
});

describe('BambooHR writes', () => {
  function openApplication(f: BamboohrFake) {
    const application = f.state.liveApplications().find((a) => a.statusId === 1);
    if (!application) throw new Error('no new application');
    return application;
  }

  it('moves an application by posting the target status id', async () => {
    const f = await startFake();
    const application = openApplication(f);
    const client = clientFor(f);

    const result = await client.moveStage({
      applicationRemoteId: String(application.id),
      jobRemoteId: String(application.jobId),
      fromStageRemoteId: '1',
      toStageRemoteId: '5',
    });

    expect({
      ok: result.ok,
      status: f.state.application(application.id)?.statusId,
      body: statusPosts(f)[0]?.body,
    }).toEqual({
      ok: true,
      status: 5,
      body: '{"status":5}',
    });
  });

  it('refuses a move when the application is no longer in the expected status, without posting', async () => {
    const f = await startFake();
    const application = openApplication(f);
    f.state.setStatus(application.id, 6);
    const client = clientFor(f);

    const result = await client.moveStage({
      applicationRemoteId: String(application.id),
      jobRemoteId: null,
      fromStageRemoteId: '1',
      toStageRemoteId: '5',
    });

    expect({
      result,
      posts: statusPosts(f).length,
      status: f.state.application(application.id)?.statusId,
    }).toEqual({
      result: {
        ok: false,
        kind: 'refused',
        message: 'stale status: the application is in status 6, not 1',
        currentStageRemoteId: '6',
      },
      posts: 0,
      status: 6,
    });
  });

  it('refuses a move to a status BambooHR does not accept', async () => {
    const f = await startFake();
    const application = openApplication(f);
    const client = clientFor(f);

    const result = await client.moveStage({
      applicationRemoteId: String(application.id),
      jobRemoteId: null,
      fromStageRemoteId: null,
      toStageRemoteId: '999',
    });

    expect(result).toEqual({
      ok: false,
      kind: 'refused',
      message: 'bamboohr refused the status change (400)',
      status: 400,
    });
  });

  it.each([
    { withdrawn: false, status: 10, as: 'rejects with the first rejection status of the catalog' },
    { withdrawn: true, status: 11, as: 'withdraws with the withdrawal status' },
  ])('$as', async ({ withdrawn, status }) => {
    const f = await startFake();
    const application = openApplication(f);
    const client = clientFor(f);

    const result = await client.reject({
      applicationRemoteId: String(application.id),
      reasonRemoteId: null,
      note: null,
      withdrawn,
    });

    expect({ ok: result.ok, status: f.state.application(application.id)?.statusId }).toEqual({
      ok: true,
      status,
    });
  });

  it('uses a configured status id for rejections', async () => {
    const f = await startFake();
    const application = openApplication(f);
    const client = clientFor(f, { settings: { statusIds: { rejected: '12' } } });

    await client.reject({
      applicationRemoteId: String(application.id),
      reasonRemoteId: null,
      note: null,
      withdrawn: false,
    });

    expect(f.state.application(application.id)?.statusId).toBe(12);
  });

  it('hires with the HIRED status after checking the current status', async () => {
    const f = await startFake();
    const application = openApplication(f);
    const client = clientFor(f);

    const result = await client.hire({ applicationRemoteId: String(application.id), fromStageRemoteId: '1' });

    expect({ ok: result.ok, status: f.state.application(application.id)?.statusId }).toEqual({
      ok: true,
      status: 15,
    });
  });

  it('refuses a move of an application that no longer exists', async () => {
    const f = await startFake();
    const application = openApplication(f);
    f.state.deleteApplication(application.id);
    const client = clientFor(f);

    const result = await client.moveStage({
      applicationRemoteId: String(application.id),
      jobRemoteId: null,
      fromStageRemoteId: '1',
      toStageRemoteId: '2',
    });

    expect(result).toEqual({ ok: false, kind: 'refused', message: 'application not found', status: 404 });
  });
});

describe('BambooHR webhooks through the fake sender', () => {
  it('verifies a delivery signed by the fake with its private key', async () => {
    const f = await startFake();
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.stop);
    const timestamp = f.clock.now().toISOString();

    await f.sendWebhook(
      receiver.url,
      employeeWebhookPayload([{ id: 40, action: 'Updated', changedFields: ['jobTitle'] }], timestamp),
    );
    const received = receiver.received[0];
    const headers = Object.fromEntries(
      Object.entries(received?.headers ?? {}).map(([name, value]) => [
        name,
        Array.isArray(value) ? value[0] : value,
      ]),
    );
    const verification = provider.webhookVerifier?.verify({
      rawBody: received?.rawBody ?? Buffer.alloc(0),
      headers,
      secrets: ['rotated-new-key', f.webhookPrivateKey],
      now: f.clock.now(),
    });

    expect(verification).toMatchObject({ ok: true, eventType: 'employee.updated', secretIndex: 1 });
  });
});

// Over 400 lines: the Workday adapter's catalogue against its fake, one describe per operation.
/**
 * The Workday client against the Workday fake over loopback. Time runs on the fake's controllable clock, which
 * the client shares, so incremental windows and future-dated changes need no real waiting.
 */
import { describe, expect, it } from 'vitest';
import type { RateLimitObservation } from '../../../shared/ports/provider.js';
import { provider } from '../../../shared/providers/workday/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { startWorkdayFake, type WorkdayFake, type WorkdayFakeOptions } from '../../fakes/workday/index.js';
import { type ClientOverrides, caught, clientWith, fullPage, readPass } from './client-harness.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const { start: startFake } = fakeLifecycle(startWorkdayFake, { seed: 11, candidates: 40 });

const clientFor = (f: WorkdayFake, overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { username: f.username, password: f.password, tenant: f.tenant },
      settings: {
        baseUrl: f.url,
        asOfSkewSeconds: 0,
        lookbackSeconds: 0,
        dispositionStepId: 'STEP-DISPOSITION',
      },
      clock: f.clock,
    },
    overrides,
  );

describe('Workday full passes', () => {
  it('returns exactly the fake candidates over several pages', async () => {
    const f = await startFake({ candidates: 300 });
    const client = clientFor(f, { settings: { pageSize: 120 } });

    const pass = await readPass(client, 'candidate');

    expect({ pages: pass.pages.length, ids: pass.records.map((c) => c.remoteId).sort() }).toEqual({
      pages: 3,
      ids: f.state
        .liveCandidates()
        .map((c) => c.id)
        .sort(),
    });
  });

  it('reads Contact_Data as the candidate’s email and phone sets', async () => {
    const f = await startFake({ candidates: 20 });
    const client = clientFor(f);

    const pass = await readPass(client, 'candidate');

    const fakeCandidate = f.state.liveCandidates()[0]!;
    const read = pass.records.find((c) => c.remoteId === fakeCandidate.id);
    expect({ emails: read?.emails, phones: read?.phones }).toEqual({
      emails: [{ value: fakeCandidate.email.toLowerCase(), type: 'other' }],
      phones: [{ value: fakeCandidate.phone, type: 'other' }],
    });
  });

  it('numbers pages from 1 and keeps As_Of_Entry_DateTime fixed across the pages of a pass', async () => {
    const f = await startFake({ candidates: 120 });
    const client = clientFor(f, { settings: { pageSize: 50 } });

    await readPass(client, 'candidate', { between: () => f.clock.advance(60_000) });

    const calls = f.operations.filter((o) => o.operation === 'Get_Candidates');
    expect(calls.map((o) => [o.page, o.asOfEntry])).toEqual([
      [1, '2026-01-15T12:00:00.000Z'],
      [2, '2026-01-15T12:00:00.000Z'],
      [3, '2026-01-15T12:00:00.000Z'],
    ]);
  });

  it('reads one stable snapshot even when candidates are added between pages', async () => {
    const f = await startFake({ candidates: 120 });
    const client = clientFor(f, { settings: { pageSize: 50 } });
    const before = f.state.liveCandidates().length;

    const pass = await readPass(client, 'candidate', {
      between: () => {
        f.clock.advance(1_000);
        f.state.addCandidate({ requisitionIds: ['R-00001'] });
      },
    });

    expect(pass.records).toHaveLength(before);
  });

  it('returns exactly the nested applications in the application pass', async () => {
    const f = await startFake({ candidates: 150 });
    const client = clientFor(f, { settings: { pageSize: 60 } });

    const pass = await readPass(client, 'application');

    expect(pass.records.map((a) => `${a.remoteId}@${a.stage?.remoteId}`).sort()).toEqual(
      f.state
        .liveApplications()
        .map((a) => `${a.id}@${a.stepId}`)
        .sort(),
    );
  });

  it('maps dispositioned applications to rejected', async () => {
    const f = await startFake({ candidates: 60, dispositionedShare: 0.5 });
    const client = clientFor(f);

    const pass = await readPass(client, 'application');

    const rejected = f.state
      .liveApplications()
      .filter((a) => a.dispositionId !== null)
      .map((a) => a.id)
      .sort();
    expect(
      pass.records
        .filter((a) => a.status === 'rejected')
        .map((a) => a.remoteId)
        .sort(),
    ).toEqual(rejected);
  });

  it('lists requisitions as jobs with the configured workflow steps as stages', async () => {
    const f = await startFake({ requisitions: 7 });
    const steps = f.state.workflow.map((s) => ({ id: s.id, name: s.name, stageId: s.stageId }));
    const client = clientFor(f, { settings: { workflowSteps: steps } });

    const pass = await readPass(client, 'job');

    expect({
      ids: pass.records.map((j) => j.remoteId),
      stages: pass.records[0]?.stages.map((s) => s.remoteId),
    }).toEqual({ ids: f.state.liveRequisitions().map((r) => r.id), stages: steps.map((s) => s.id) });
  });

  it('hands back a JSON text page token and a cursor at the As_Of time on the last page', async () => {
    const f = await startFake({ candidates: 30 });
    const client = clientFor(f, { settings: { pageSize: 20 } });

    const pass = await readPass(client, 'candidate');

    expect({
      token: typeof JSON.parse(pass.pages[0]?.nextPageToken ?? 'null'),
      firstCursor: pass.pages[0]?.nextCursor,
      cursor: pass.cursor,
    }).toEqual({
      token: 'object',
      firstCursor: null,
      cursor: { updatedThrough: '2026-01-15T12:00:00.000Z' },
    });
  });
});

describe('Workday incremental passes (transaction log)', () => {
  async function afterFullPass(options: WorkdayFakeOptions = {}, settings: Record<string, unknown> = {}) {
    const f = await startFake({ candidates: 50, ...options });
    const client = clientFor(f, { settings });
    const full = await readPass(client, 'candidate');
    f.clock.advance(HOUR_MS);
    return { f, client, cursor: full.cursor };
  }

  it('returns only the candidates changed since the cursor', async () => {
    const { f, client, cursor } = await afterFullPass();
    const moved = f.state
      .liveApplications()
      .find((a) => a.stepId === 'STEP-REVIEW' && a.dispositionId === null);
    f.state.moveApplication(moved?.id ?? '', 'STEP-INTERVIEW');
    const added = f.state.addCandidate({ requisitionIds: ['R-00002'] });
    f.clock.advance(60_000);

    const pass = await readPass(client, 'candidate', { mode: 'incremental', cursor });

    expect(pass.records.map((c) => c.remoteId).sort()).toEqual(
      [f.state.candidateIdOfApplication(moved?.id ?? ''), added.candidateId].sort(),
    );
  });

  it('returns the changed application with its new step', async () => {
    const { f, client, cursor } = await afterFullPass({ candidates: 50 });
    const moved = f.state
      .liveApplications()
      .find((a) => a.stepId === 'STEP-REVIEW' && a.dispositionId === null);
    f.state.moveApplication(moved?.id ?? '', 'STEP-OFFER');
    f.clock.advance(60_000);

    const pass = await readPass(client, 'application', { mode: 'incremental', cursor });

    expect(pass.records.find((a) => a.remoteId === moved?.id)?.stage?.remoteId).toBe('STEP-OFFER');
  });

  it('leaves a future-dated change out until it becomes effective', async () => {
    const { f, client, cursor } = await afterFullPass();
    const target = f.state
      .liveApplications()
      .find((a) => a.stepId === 'STEP-REVIEW' && a.dispositionId === null);
    f.state.moveApplication(target?.id ?? '', 'STEP-SCREEN', { effectiveAt: f.clock.nowMs() + 2 * DAY_MS });
    f.clock.advance(60_000);

    const early = await readPass(client, 'application', { mode: 'incremental', cursor });
    f.clock.advance(3 * DAY_MS);
    const later = await readPass(client, 'application', { mode: 'incremental', cursor: early.cursor });

    expect({
      early: early.records.some((a) => a.remoteId === target?.id),
      later: later.records.find((a) => a.remoteId === target?.id)?.stage?.remoteId,
    }).toEqual({ early: false, later: 'STEP-SCREEN' });
  });

  it('reports a rescinded application as deleted', async () => {
    const { f, client, cursor } = await afterFullPass();
    const rescinded = f.state.liveApplications()[3]?.id ?? '';
    f.state.rescindApplication(rescinded);
    f.clock.advance(60_000);

    const pass = await readPass(client, 'application', { mode: 'incremental', cursor });

    expect({
      deleted: pass.deleted,
      stillListed: pass.records.some((a) => a.remoteId === rescinded),
    }).toEqual({
      deleted: [rescinded],
      stillListed: false,
    });
  });

  it('reports a rescinded candidate as deleted', async () => {
    const { f, client, cursor } = await afterFullPass();
    const rescinded = f.state.liveCandidates()[5]?.id ?? '';
    f.state.rescindCandidate(rescinded);
    f.clock.advance(60_000);

    const pass = await readPass(client, 'candidate', { mode: 'incremental', cursor });

    expect({ deleted: pass.deleted, records: pass.records.length }).toEqual({
      deleted: [rescinded],
      records: 0,
    });
  });

  it('reports the applications of a rescinded candidate as deleted', async () => {
    const { f, client, cursor } = await afterFullPass();
    const candidate = f.state.liveCandidates().find((c) => c.applications.length > 0);
    f.state.rescindCandidate(candidate?.id ?? '');
    f.clock.advance(60_000);

    const pass = await readPass(client, 'application', { mode: 'incremental', cursor });

    expect(pass.deleted.sort()).toEqual(candidate?.applications.map((a) => a.id).sort());
  });

  it('returns a corrected candidate as an update', async () => {
    const { f, client, cursor } = await afterFullPass();
    const corrected = f.state.liveCandidates()[2]?.id ?? '';
    f.state.correctCandidate(corrected, { lastName: 'Corrected' });
    f.clock.advance(60_000);

    const pass = await readPass(client, 'candidate', { mode: 'incremental', cursor });

    expect(pass.records.map((c) => [c.remoteId, c.lastName])).toEqual([[corrected, 'Corrected']]);
  });

  it('still sees rescinds when transaction types are listed explicitly', async () => {
    const { f, client, cursor } = await afterFullPass({}, { transactionTypes: ['Move Candidate'] });
    const rescinded = f.state.liveApplications()[1]?.id ?? '';
    f.state.rescindApplication(rescinded);
    f.clock.advance(60_000);

    const pass = await readPass(client, 'application', { mode: 'incremental', cursor });

    expect(pass.deleted).toEqual([rescinded]);
  });

  it('answers an unreadable cursor with cursor_expired', async () => {
    const f = await startFake();
    const client = clientFor(f);

    const error = await caught(
      client.listPage('candidate', { mode: 'incremental', cursor: { nope: 1 }, pageToken: null }),
    );

    expect(error.kind).toBe('cursor_expired');
  });
});

describe('Workday errors', () => {
  it('authenticates with a bearer token instead of WS-Security', async () => {
    const f = await startFake({ accessTokens: ['token-1'] });
    const client = provider.createClient({
      credentials: { accessToken: 'token-1', tenant: f.tenant },
      settings: { baseUrl: f.url, asOfSkewSeconds: 0 },
      clock: f.clock,
    });

    const pass = await readPass(client, 'candidate');

    expect({ count: pass.records.length, auth: f.operations[0]?.auth }).toEqual({
      count: f.state.liveCandidates().length,
      auth: 'bearer',
    });
  });

  it('maps a throttled 429 to rate_limited with Retry-After and reports it to the limiter', async () => {
    const f = await startFake({ throttle: { limit: 1, windowMs: 30_000 } });
    const observations: RateLimitObservation[] = [];
    const client = clientFor(f, { onRateLimit: (o) => observations.push(o) });
    await fullPage(client, 'job');

    const error = await caught(fullPage(client, 'job'));

    expect({ kind: error.kind, retryAfter: error.retryAfterSeconds, observations }).toEqual({
      kind: 'rate_limited',
      retryAfter: 30,
      observations: [{ retryAfterSeconds: 30 }],
    });
  });

  it('maps a 503 to transient with its Retry-After', async () => {
    const f = await startFake();
    f.failNext(1, { kind: 'status', status: 503, headers: { 'retry-after': '12' }, body: 'maintenance' });
    const client = clientFor(f);

    const error = await caught(fullPage(client, 'job'));

    expect({ kind: error.kind, retryAfter: error.retryAfterSeconds }).toEqual({
      kind: 'transient',
      retryAfter: 12,
    });
  });

  it('maps a Server fault to transient', async () => {
    const f = await startFake();
    const fault =
      '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode><faultstring>internal</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    f.failNext(1, { kind: 'status', status: 500, headers: { 'content-type': 'text/xml' }, body: fault });
    const client = clientFor(f);

    const error = await caught(fullPage(client, 'job'));

    expect(error.kind).toBe('transient');
  });
});

describe('Workday writes', () => {
  function openApplication(f: WorkdayFake, stepId: string) {
    const application = f.state
      .liveApplications()
      .find((a) => a.stepId === stepId && a.dispositionId === null);
    if (!application) throw new Error(`no open application in ${stepId}`);
    return application;
  }

  it('moves an application to a following step with Next_Step_Reference', async () => {
    const f = await startFake();
    const application = openApplication(f, 'STEP-REVIEW');
    const client = clientFor(f);

    const result = await client.moveStage({
      applicationRemoteId: application.id,
      jobRemoteId: application.requisitionId,
      fromStageRemoteId: 'STEP-REVIEW',
      toStageRemoteId: 'STEP-INTERVIEW',
    });

    expect({ ok: result.ok, step: f.state.application(application.id)?.stepId }).toEqual({
      ok: true,
      step: 'STEP-INTERVIEW',
    });
  });

  it('refuses a move based on a stale step and leaves the application where it is', async () => {
    const f = await startFake();
    const application = openApplication(f, 'STEP-REVIEW');
    f.state.moveApplication(application.id, 'STEP-INTERVIEW');
    const client = clientFor(f);

    const result = await client.moveStage({
      applicationRemoteId: application.id,
      jobRemoteId: application.requisitionId,
      fromStageRemoteId: 'STEP-REVIEW',
      toStageRemoteId: 'STEP-SCREEN',
    });

    expect({ result, step: f.state.application(application.id)?.stepId }).toEqual({
      result: {
        ok: false,
        kind: 'refused',
        message: `'STEP-SCREEN' is not a valid next step for job application ${application.id} in step 'STEP-INTERVIEW'`,
        status: 500,
      },
      step: 'STEP-INTERVIEW',
    });
  });

  it('refuses a move to the current step without calling Workday', async () => {
    const f = await startFake();
    const client = clientFor(f);

    const result = await client.moveStage({
      applicationRemoteId: 'JA-0000001',
      jobRemoteId: null,
      fromStageRemoteId: 'STEP-SCREEN',
      toStageRemoteId: 'STEP-SCREEN',
    });

    expect({ kind: result.ok ? 'ok' : result.kind, requests: f.requests.length }).toEqual({
      kind: 'refused',
      requests: 0,
    });
  });

  it('moves by Recruiting_Stage_Reference when configured', async () => {
    const f = await startFake();
    const application = openApplication(f, 'STEP-REVIEW');
    const client = clientFor(f, { settings: { moveStageReference: 'Recruiting_Stage_Reference' } });

    const result = await client.moveStage({
      applicationRemoteId: application.id,
      jobRemoteId: null,
      fromStageRemoteId: 'Review',
      toStageRemoteId: 'Offer',
    });

    expect({ ok: result.ok, step: f.state.application(application.id)?.stepId }).toEqual({
      ok: true,
      step: 'STEP-OFFER',
    });
  });

  it('rejects through the disposition step with the reason as disposition', async () => {
    const f = await startFake();
    const application = openApplication(f, 'STEP-REVIEW');
    const client = clientFor(f);

    const result = await client.reject({
      applicationRemoteId: application.id,
      reasonRemoteId: 'Position_Filled',
      note: null,
      withdrawn: false,
    });

    expect({ ok: result.ok, disposition: f.state.application(application.id)?.dispositionId }).toEqual({
      ok: true,
      disposition: 'Position_Filled',
    });
  });

  it('reports reject as unsupported without a configured disposition step', async () => {
    const f = await startFake();
    const client = clientFor(f, { settings: { dispositionStepId: undefined } });

    const result = await client.reject({
      applicationRemoteId: 'JA-0000001',
      reasonRemoteId: null,
      note: null,
      withdrawn: false,
    });

    expect(result.ok ? 'ok' : result.kind).toBe('unsupported');
  });

  it('refuses to reject an application that is already dispositioned', async () => {
    const f = await startFake();
    const application = openApplication(f, 'STEP-REVIEW');
    f.state.dispositionApplication(application.id);
    const client = clientFor(f);

    const result = await client.reject({
      applicationRemoteId: application.id,
      reasonRemoteId: null,
      note: null,
      withdrawn: false,
    });

    expect(result.ok ? 'ok' : result.kind).toBe('refused');
  });

  it('reports hire as unsupported', async () => {
    const f = await startFake();
    const client = clientFor(f);

    const result = await client.hire({ applicationRemoteId: 'JA-0000001', fromStageRemoteId: null });

    expect(result.ok ? 'ok' : result.kind).toBe('unsupported');
  });

  it('pushes analytics as JSON with Basic user@tenant when an endpoint is configured', async () => {
    const f = await startFake();
    const client = clientFor(f, { settings: { analyticsEndpoint: f.analyticsUrl } });
    const payload = {
      organizationId: 'org-1',
      periodFrom: '2026-01-01',
      periodTo: '2026-01-31',
      metrics: { hired: 3 },
    };

    const result = await client.pushAnalytics?.(payload);

    expect({
      capability: client.capabilities.analyticsPush,
      ok: result?.ok,
      pushes: f.analyticsPushes,
    }).toEqual({
      capability: true,
      ok: true,
      pushes: [{ body: payload, auth: 'basic' }],
    });
  });

  it('offers no analytics push without an endpoint', async () => {
    const f = await startFake();
    const client = clientFor(f);

    expect(client.capabilities.analyticsPush).toBe(false);
  });
});

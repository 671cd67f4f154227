/**
 * The sync engine against the BambooHR fake (providers.md §6), issue #5's list: a 10,000-application full sync
 * with counts equal to the fake's, `newSince` incremental passes with their lookback, deletions (full
 * reconciliation, deleted jobs, the opt-in employee delete feed; never after a partial fetch), crash and resume,
 * pacing under the fake's 503 + Retry-After throttle, the fallback from an unusable cursor and from a revoked API
 * key, and redelivered sync requests and webhook deliveries.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { IntegrationRouteCache, receiveWebhook } from '../../../functions/webhook-intake/use-case.js';
import { providerCredentialsSecret, webhookSecretName } from '../../../shared/integrations/secret-names.js';
import { hubMessage } from '../../../shared/messages/queue-messages.js';
import { formatNewSince } from '../../../shared/providers/bamboohr/client.js';
import { provider as bamboohr } from '../../../shared/providers/bamboohr/index.js';
import { type BamboohrFake, startBamboohrFake } from '../../fakes/bamboohr/index.js';
import { bamboohrSignature, employeeWebhookPayload } from '../../fakes/bamboohr/webhooks.js';
import type { ThrottleConfig } from '../../fakes/common/fixed-window-throttle.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import {
  changedVersions,
  crashOnceAfterPage,
  createWorld,
  deliverUntilIdle,
  liveCounts,
  readRun,
  requestRun,
  rowVersions,
  runSync,
  type SyncWorld,
} from './harness.js';

const HOUR = 3_600_000;

let db: TestDatabase;
let fake: BamboohrFake;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
afterEach(async () => {
  await fake?.stop();
});

async function world(options: {
  applications: number;
  jobs?: number;
  pageSize?: number;
  throttle?: ThrottleConfig;
  settings?: Record<string, unknown>;
}): Promise<SyncWorld> {
  fake = await startBamboohrFake({
    seed: 9,
    applications: options.applications,
    jobs: options.jobs ?? 6,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    throttle: options.throttle ?? null,
  });
  return createWorld({
    db,
    provider: 'bamboohr',
    module: bamboohr,
    credentials: { apiKey: fake.apiKey, companyDomain: fake.companyDomain },
    settings: { baseUrl: fake.url, requestTimeoutMs: 10_000, ...options.settings },
    clock: fake.clock,
  });
}

/** What the fake holds: jobs, applicants, and applications as the hub keeps them (one per applicant × job). */
function fakeCounts() {
  const applications = fake.state.liveApplications();
  const pairs = new Set(applications.map((a) => `${a.applicant.id}:${a.jobId}`));
  return {
    counts: {
      jobs: fake.state.jobs.filter((j) => j.status !== 'Deleted').length,
      candidates: new Set(applications.map((a) => a.applicant.id)).size,
      applications: pairs.size,
    },
    duplicates: applications.length - pairs.size,
  };
}

const listPath = '/api/gateway.php/acme/v1/applicant_tracking/applications';
const listRequests = () => fake.requests.filter((r) => r.path === listPath);

/** An application that is its applicant's only one (so the hub stored it), in status `statusId`. */
function soleApplication(statusId?: number, skip = 0) {
  const perApplicant = new Map<number, number>();
  for (const a of fake.state.liveApplications())
    perApplicant.set(a.applicant.id, (perApplicant.get(a.applicant.id) ?? 0) + 1);
  const found = fake.state
    .liveApplications()
    .filter(
      (a) => perApplicant.get(a.applicant.id) === 1 && (statusId === undefined || a.statusId === statusId),
    )[skip];
  if (!found) throw new Error('the seed has no such application');
  return found;
}

async function deletionLog(w: SyncWorld, runId: string) {
  return w.db.owner<{ object_type: string; remote_id: string; message: string }[]>`
    select object_type, remote_id, message from import_log where sync_run_id = ${runId} and action = 'deleted'
    order by object_type, remote_id`;
}

async function cursorOf(w: SyncWorld, objectType: string) {
  const [row] = await w.db.owner<{ cursor: Record<string, string>; pass_restarts: number }[]>`
    select cursor, pass_restarts from sync_cursors where integration_id = ${w.integrationId} and object_type = ${objectType}`;
  return row!;
}

describe('bamboohr full sync', () => {
  it('imports every job, applicant and application of a 10,000-application account', {
    timeout: 120_000,
  }, async () => {
    const w = await world({ applications: 10_000, jobs: 30 });
    const expected = fakeCounts();

    const { run } = await runSync(w, 'full');

    expect(fake.state.liveApplications()).toHaveLength(10_000);
    expect(await liveCounts(w)).toEqual(expected.counts);
    expect(run).toMatchObject({
      status: expected.duplicates > 0 ? 'partial' : 'succeeded',
      records_created: expected.counts.jobs + expected.counts.candidates + expected.counts.applications,
      records_failed: expected.duplicates,
      records_deleted: 0,
    });
    // 100 applications a page: pages 1–100 for the candidate pass, then again for the application pass
    const pages = listRequests().map((r) => Number(r.query['page']![0]));
    expect(pages).toEqual([...Array(100).keys(), ...Array(100).keys()].map((i) => i + 1));
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('bamboohr incremental sync', () => {
  it('asks for applications newSince the last pass start minus the lookback, and writes only the new ones', async () => {
    const w = await world({ applications: 300 });
    await runSync(w, 'full');
    const previous = {
      candidate: (await cursorOf(w, 'candidate')).cursor['passStartedAt']!,
      application: (await cursorOf(w, 'application')).cursor['passStartedAt']!,
    };
    const fullRequests = listRequests().length;
    const before = await rowVersions(w);
    fake.clock.advance(2 * HOUR);
    const existing = soleApplication();
    const otherJob = fake.state.jobs.find((j) => j.id !== existing.jobId)!;
    fake.state.addApplication({ applicantId: existing.applicant.id, jobId: otherJob.id });
    fake.state.addApplication({ jobId: otherJob.id });

    const { run } = await runSync(w, 'incremental');

    // 1 new applicant and 2 new applications; the returning applicant is unchanged
    expect(run).toMatchObject({ status: 'succeeded', records_created: 3, records_updated: 0 });
    // 3 new rows and their 3 external refs; nothing else got a new row version
    expect(changedVersions(before, await rowVersions(w))).toBe(6);
    const incremental = listRequests().slice(fullRequests);
    expect(incremental.map((r) => r.query['newSince']?.[0])).toEqual([
      formatNewSince(new Date(Date.parse(previous.candidate) - HOUR)),
      formatNewSince(new Date(Date.parse(previous.application) - HOUR)),
    ]);
  });

  it('leaves a status change of an older application to the next full pass (newSince covers creations)', async () => {
    const w = await world({ applications: 120 });
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);
    const app = soleApplication(1);
    fake.state.setStatus(app.id, 4);

    const incremental = await runSync(w, 'incremental');
    const full = await runSync(w, 'full');

    expect(incremental.run).toMatchObject({ status: 'succeeded', records_updated: 0 });
    expect(full.run).toMatchObject({ records_updated: 1 });
    const [row] = await w.db.owner<{ stage: string }[]>`
      select s.name as stage from external_refs r join applications a on a.id = r.local_id
      join job_stages s on s.id = a.stage_id
      where r.integration_id = ${w.integrationId} and r.object_type = 'application' and r.remote_id = ${String(app.id)}`;
    expect(row!.stage).toBe('Phone Screened');
  });
});

describe('bamboohr deletions', () => {
  it('soft-deletes an application a complete full pass no longer sees', async () => {
    const w = await world({ applications: 120 });
    await runSync(w, 'full');
    // an applicant with applications to two jobs keeps the other one (and stays listed)
    const byApplicant = new Map<number, number[]>();
    for (const a of fake.state.liveApplications())
      byApplicant.set(a.applicant.id, [...(byApplicant.get(a.applicant.id) ?? []), a.jobId]);
    const gone = fake.state
      .liveApplications()
      .find(
        (a) =>
          byApplicant.get(a.applicant.id)!.length === 2 &&
          new Set(byApplicant.get(a.applicant.id)).size === 2,
      )!;
    fake.state.deleteApplication(gone.id);

    const { runId, run } = await runSync(w, 'full');

    expect(run.records_deleted).toBe(1);
    expect(await liveCounts(w)).toEqual(fakeCounts().counts);
    expect(await deletionLog(w, runId)).toEqual([
      {
        object_type: 'application',
        remote_id: String(gone.id),
        message: 'not found in a complete full sync',
      },
    ]);
  });

  it('soft-deletes a job the jobs list reports as Deleted', async () => {
    const w = await world({ applications: 60 });
    await runSync(w, 'full');
    const job = fake.state.jobs[2]!;
    fake.state.setJobStatus(job.id, 'Deleted');

    const { runId, run } = await runSync(w, 'incremental');

    expect(run.records_deleted).toBe(1);
    expect(await deletionLog(w, runId)).toEqual([
      { object_type: 'job', remote_id: String(job.id), message: 'deleted at the provider' },
    ]);
    expect(await liveCounts(w)).toMatchObject({ jobs: fakeCounts().counts.jobs });
  });

  it('soft-deletes candidates from GET /employees/changed?type=deleted where the integration opted in', async () => {
    const w = await world({ applications: 60, settings: { employeeDeletesAsCandidateDeletes: true } });
    await runSync(w, 'full');
    const since = (await cursorOf(w, 'candidate')).cursor['passStartedAt']!;
    const before = await liveCounts(w);
    fake.clock.advance(HOUR);
    const gone = soleApplication();
    fake.state.changeEmployee(gone.applicant.id, 'Deleted');

    const { runId, run } = await runSync(w, 'incremental');

    // the candidate and, with it, its application
    expect(run.records_deleted).toBe(2);
    expect(await liveCounts(w)).toEqual({
      ...before,
      candidates: before.candidates - 1,
      applications: before.applications - 1,
    });
    expect(await deletionLog(w, runId)).toEqual([
      {
        object_type: 'application',
        remote_id: String(gone.id),
        message: 'deleted at the provider (with its candidate)',
      },
      { object_type: 'candidate', remote_id: String(gone.applicant.id), message: 'deleted at the provider' },
    ]);
    const feed = fake.requests.filter((r) => r.path.endsWith('/employees/changed'));
    expect(feed.map((r) => r.query)).toEqual([{ since: [since], type: ['deleted'] }]);
    // BambooHR's `latest` is the next `since`
    expect((await cursorOf(w, 'candidate')).cursor['employeesSince']).toBe(
      fake.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, '+00:00'),
    );
  });

  it('deletes nothing after a full pass that failed part way, then completes on redelivery', async () => {
    const w = await world({ applications: 250 });
    await runSync(w, 'full');
    const gone = soleApplication(undefined, 2);
    fake.state.deleteApplication(gone.id);
    // every try of page 2 (1 + 4 retries) fails, so the candidate pass stops after page 1
    fake.failNext(
      5,
      { kind: 'status', status: 500 },
      (r) => r.path === listPath && r.query.get('page') === '2',
    );
    const { message, runId } = await requestRun(w, 'full');
    const before = await liveCounts(w);

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/500/);
    expect(await liveCounts(w)).toEqual(before);
    expect(await deletionLog(w, runId)).toEqual([]);

    await deliverUntilIdle(w, message);

    expect(await liveCounts(w)).toEqual(fakeCounts().counts);
    expect(await liveCounts(w)).toMatchObject({ applications: before.applications - 1 });
    expect((await readRun(w, runId)).status).toMatch(/^(succeeded|partial)$/);
  });
});

describe('bamboohr crash and resume', () => {
  it('resumes after a crash between pages from the last stored page, losing and duplicating nothing', async () => {
    const w = await world({ applications: 450 });
    const expected = fakeCounts();
    crashOnceAfterPage(w, 'application', 3);
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/simulated crash/);
    await deliverUntilIdle(w, message);

    expect(await liveCounts(w)).toEqual(expected.counts);
    // candidate pass 1–5; application pass 1–3 stored, 4 fetched ahead when the crash hit, then 4–5 from the
    // checkpoint: page 1 of the application pass was read once
    expect(listRequests().map((r) => Number(r.query['page']![0]))).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 4, 5]);
    expect(await readRun(w, runId)).toMatchObject({
      records_created: expected.counts.jobs + expected.counts.candidates + expected.counts.applications,
      records_failed: expected.duplicates,
    });
    const [refs] = await w.db.owner<{ n: number; distinct_local: number }[]>`
      select count(*)::int as n, count(distinct local_id)::int as distinct_local from external_refs
      where integration_id = ${w.integrationId} and object_type = 'application'`;
    expect(refs).toEqual({ n: expected.counts.applications, distinct_local: expected.counts.applications });
  });
});

describe('bamboohr rate limits', () => {
  // BambooHR publishes no figures (§6.4): the fake throttles at 25 requests per 10 s, answering 503 + Retry-After
  const window = { limit: 25, windowMs: 10_000 };

  it('stays inside the throttle with the default pacing: no 503 at all', async () => {
    const w = await world({ applications: 600, pageSize: 10, throttle: window });

    const { run } = await runSync(w, 'full');

    expect(run.status).toMatch(/^(succeeded|partial)$/);
    expect(listRequests()).toHaveLength(60 + 60);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
    expect(fake.throttledCount()).toBe(0);
  });

  it('honours Retry-After when another client used up the window: 503s only in the first window', async () => {
    const w = await world({ applications: 600, pageSize: 10, throttle: window });
    // throttling is per account: another client of the same account spends the whole first window
    const windowStart = fake.clock.nowMs();
    for (let i = 0; i < window.limit; i += 1) await fetch(`${fake.apiBase}/applicant_tracking/jobs`);
    const answers: { at: number; status: number }[] = [];
    w.deps.fetch = async (input, init) => {
      const response = await fetch(input, init);
      answers.push({ at: fake.clock.nowMs(), status: response.status });
      return response;
    };

    const { run } = await runSync(w, 'full');

    expect(run.status).toMatch(/^(succeeded|partial)$/);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((a) => a.at >= windowStart + window.windowMs)).toEqual([]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(answers.length - refused.length);
    expect(listRequests().filter((r) => r.status === 200)).toHaveLength(60 + 60);
  });
});

// BambooHR has no expiring token or cursor (§6: a static API key, page numbers, a `newSince` time). The closest
// equivalents: a stored cursor the client cannot use, and an API key BambooHR no longer accepts (401).
describe('bamboohr cursor and credential fallback', () => {
  it('falls back to a full pass when the stored cursor is unusable, and stores a fresh one', async () => {
    const w = await world({ applications: 250 });
    await runSync(w, 'full');
    await w.db.owner`update sync_cursors set cursor = '{"passStartedAt": "not a time"}'::jsonb
      where integration_id = ${w.integrationId} and object_type = 'application'`;
    const fullRequests = listRequests().length;
    const before = await rowVersions(w);

    const { run } = await runSync(w, 'incremental');

    expect(run).toMatchObject({ records_created: 0, records_updated: 0 });
    expect(changedVersions(before, await rowVersions(w))).toBe(0);
    // candidate pass: one newSince page; application pass: a full read of 3 pages
    expect(
      listRequests()
        .slice(fullRequests)
        .map((r) => [r.query['page']![0], r.query['newSince'] ?? null]),
    ).toEqual([
      ['1', [expect.any(String)]],
      ['1', null],
      ['2', null],
      ['3', null],
    ]);
    const cursor = await cursorOf(w, 'application');
    expect(cursor.pass_restarts).toBe(1);
    expect(Number.isNaN(Date.parse(cursor.cursor['passStartedAt']!))).toBe(false);
  });

  it('fails the run without retrying when BambooHR refuses the API key, and syncs once it is replaced', async () => {
    const w = await world({ applications: 40 });
    const secret = providerCredentialsSecret(w.integrationId);
    await w.secrets.put(secret, { apiKey: 'revoked-key', companyDomain: fake.companyDomain });

    const refused = await runSync(w, 'full');

    expect(refused.run).toMatchObject({ status: 'failed', error: expect.stringMatching(/^auth 401/) });
    expect(fake.requests.map((r) => r.status)).toEqual([401]);

    await w.secrets.put(secret, { apiKey: fake.apiKey, companyDomain: fake.companyDomain });
    const renewed = await runSync(w, 'full');

    expect(renewed.run.status).toMatch(/^(succeeded|partial)$/);
    expect(await liveCounts(w)).toEqual(fakeCounts().counts);
  });
});

describe('bamboohr redelivery', () => {
  it('applies a redelivered sync request only once', async () => {
    const w = await world({ applications: 60 });
    const { message, runId } = await requestRun(w, 'full');
    await deliverUntilIdle(w, message);
    const before = await rowVersions(w);
    const requests = fake.requests.length;

    const outcomes = await deliverUntilIdle(w, message);

    expect(outcomes).toEqual(['skipped']);
    expect(fake.requests.length).toBe(requests);
    expect(changedVersions(before, await rowVersions(w))).toBe(0);
    const [events] = await w.db.owner<{ n: number }[]>`
      select count(*)::int as n from outbox where event_type = 'sync.completed' and payload->>'syncRunId' = ${runId}`;
    expect(events!.n).toBe(1);
  });

  it('records a webhook delivered twice once, and applies its queued message once', async () => {
    const w = await world({ applications: 30 });
    await runSync(w, 'full');
    await w.secrets.put(webhookSecretName(w.integrationId), {
      current: fake.webhookPrivateKey,
      previous: [],
    });
    const intake = {
      sql: w.db.app,
      secrets: w.secrets,
      syncQueue: w.queue,
      providers: { bamboohr },
      clock: fake.clock,
      routes: new IntegrationRouteCache(),
    };
    // signed exactly as BambooHR signs: lowercase hex HMAC-SHA256 of the raw body followed by the timestamp
    const timestamp = String(Math.floor(fake.clock.nowMs() / 1000));
    const rawBody = Buffer.from(
      JSON.stringify(
        employeeWebhookPayload([{ id: 42, action: 'Updated', changedFields: ['status'] }], timestamp),
      ),
    );
    const headers = {
      'x-bamboohr-timestamp': timestamp,
      'x-bamboohr-signature': bamboohrSignature(fake.webhookPrivateKey, rawBody, timestamp),
    };
    const before = await rowVersions(w);

    for (let i = 0; i < 2; i += 1)
      await receiveWebhook(intake, {
        provider: 'bamboohr',
        integrationId: w.integrationId,
        rawBody,
        headers,
      });
    const queued = w.queue.sent.splice(0).map((m) => hubMessage.parse(JSON.parse(m.body)));
    const budget = { remainingMs: () => 60_000 };
    const outcomes = [
      await handleSyncMessage(w.deps, queued[0]!, budget),
      await handleSyncMessage(w.deps, queued[0]!, budget),
    ];

    expect(queued).toHaveLength(1);
    // employee webhooks carry nothing about applicants: recorded, then ignored; the redelivery is a duplicate
    expect(outcomes).toEqual(['ignored', 'duplicate']);
    const deliveries = await w.db.owner<{ status: string; event_type: string }[]>`
      select status, event_type from webhook_deliveries where integration_id = ${w.integrationId}`;
    expect(deliveries).toEqual([{ status: 'ignored', event_type: 'employee.updated' }]);
    expect(changedVersions(before, await rowVersions(w))).toBe(0);
  });
});

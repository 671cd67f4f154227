/**
 * BambooHR's quirks in the sync engine (docs/providers.md §6): `newSince` incremental passes with their lookback
 * (creations only), the opt-in employee delete feed, a revoked API key, and an employee webhook delivered twice.
 * The scenarios every provider shares are in contract/.
 */
import { describe, expect, it } from 'vitest';
import { providerCredentialsSecret, webhookSecretName } from '../../../shared/integrations/secret-names.js';
import { formatNewSince } from '../../../shared/providers/bamboohr/client.js';
import { provider as bamboohr } from '../../../shared/providers/bamboohr/index.js';
import { bamboohrCounts } from '../../fakes/bamboohr/fixture.js';
import { type BamboohrFake, startBamboohrFake } from '../../fakes/bamboohr/index.js';
import { bamboohrSignature, employeeWebhookPayload } from '../../fakes/bamboohr/webhooks.js';
import type { ThrottleConfig } from '../../fakes/common/fixed-window-throttle.js';
import { soleApplication } from '../../support/bamboohr-applications.js';
import { bamboohrConnection } from './connections.js';
import { createWorld, fileDatabase, liveCounts, runSync, type SyncWorld, watchVersions } from './harness.js';
import { handleTwice, intakeWebhook } from './writes-support.js';

const HOUR = 3_600_000;

let fake: BamboohrFake;

const database = fileDatabase(() => fake?.stop());

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
  return createWorld({ db: database(), ...bamboohrConnection(fake, options.settings) });
}

const listPath = '/api/gateway.php/acme/v1/applicant_tracking/applications';
const listRequests = () => fake.requests.filter((r) => r.path === listPath);

/** An application that is its applicant's only one (so the hub stored it), in status `statusId`. */
const soleOf = (statusId?: number, skip = 0) =>
  soleApplication(fake, (a) => statusId === undefined || a.statusId === statusId, skip);

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

describe('bamboohr incremental sync', () => {
  it('asks for applications newSince the last pass start minus the lookback, and writes only the new ones', async () => {
    const w = await world({ applications: 300 });
    await runSync(w, 'full');
    const previous = {
      candidate: (await cursorOf(w, 'candidate')).cursor['passStartedAt']!,
      application: (await cursorOf(w, 'application')).cursor['passStartedAt']!,
    };
    const fullRequests = listRequests().length;
    const versions = await watchVersions(w);
    fake.clock.advance(2 * HOUR);
    const existing = soleOf();
    const otherJob = fake.state.jobs.find((j) => j.id !== existing.jobId)!;
    fake.state.addApplication({ applicantId: existing.applicant.id, jobId: otherJob.id });
    fake.state.addApplication({ jobId: otherJob.id });

    const { run } = await runSync(w, 'incremental');

    // 1 new applicant and 2 new applications; the returning applicant is unchanged
    expect(run).toMatchObject({ status: 'succeeded', records_created: 3, records_updated: 0 });
    // 3 new rows and their 3 external refs; nothing else got a new row version
    expect(await versions.changed()).toBe(6);
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
    const app = soleOf(1);
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
  it('soft-deletes candidates from GET /employees/changed?type=deleted where the integration opted in', async () => {
    const w = await world({ applications: 60, settings: { employeeDeletesAsCandidateDeletes: true } });
    await runSync(w, 'full');
    const since = (await cursorOf(w, 'candidate')).cursor['passStartedAt']!;
    const before = await liveCounts(w);
    fake.clock.advance(HOUR);
    const gone = soleOf();
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
});

// BambooHR has no expiring token (§6: a static API key): the closest equivalent is a key it no longer accepts (401)
describe('bamboohr credential fallback', () => {
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
    expect(await liveCounts(w)).toEqual(bamboohrCounts(fake).counts);
  });
});

describe('bamboohr redelivery', () => {
  it('records a webhook delivered twice once, and applies its queued message once', async () => {
    const w = await world({ applications: 30 });
    await runSync(w, 'full');
    await w.secrets.put(webhookSecretName(w.integrationId), {
      current: fake.webhookPrivateKey,
      previous: [],
    });
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
    const versions = await watchVersions(w);

    const delivery = { provider: 'bamboohr' as const, module: bamboohr, clock: fake.clock, rawBody, headers };
    const queued = [...(await intakeWebhook(w, delivery)), ...(await intakeWebhook(w, delivery))];
    const outcomes = await handleTwice(w, queued[0]!);

    expect(queued).toHaveLength(1);
    // employee webhooks carry nothing about applicants: recorded, then ignored; the redelivery is a duplicate
    expect(outcomes).toEqual(['ignored', 'duplicate']);
    const deliveries = await w.db.owner<{ status: string; event_type: string }[]>`
      select status, event_type from webhook_deliveries where integration_id = ${w.integrationId}`;
    expect(deliveries).toEqual([{ status: 'ignored', event_type: 'employee.updated' }]);
    expect(await versions.changed()).toBe(0);
  });
});

/**
 * The sync engine against the Lever fake (providers.md §3): a 10,000-contact import under the fake's token
 * bucket, incremental passes on `updated_at_start`, the deleted feed and full reconciliation, crash and resume,
 * pacing under 10 req/s with bursts of 20, OAuth access-token expiry with rotating refresh tokens, and a
 * redelivered sync request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerCredentialsSecret } from '../../../shared/integrations/secret-names.js';
import { provider as lever } from '../../../shared/providers/lever/index.js';
import { type LeverFake, type LeverFakeOptions, startLeverFake } from '../../fakes/lever/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import {
  changedVersions,
  crashOnceAfterPage,
  createWorld,
  deliverUntilIdle,
  type fastRetry,
  liveCounts,
  readRun,
  requestRun,
  rowVersions,
  runSync,
  type SyncWorld,
} from './harness.js';

const HOUR = 3_600_000;
let db: TestDatabase;
let fake: LeverFake;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
afterEach(async () => {
  await fake?.stop();
});

async function world(
  options: LeverFakeOptions & {
    pageSize?: number;
    credentials?: Record<string, unknown>;
    retry?: typeof fastRetry;
  },
): Promise<SyncWorld> {
  const { pageSize, credentials, retry, ...fakeOptions } = options;
  fake = await startLeverFake({ postings: 4, ...fakeOptions });
  return createWorld({
    db,
    provider: 'lever',
    module: lever,
    credentials: credentials ?? { apiKey: fake.apiKey },
    settings: {
      baseUrl: fake.url,
      authUrl: fake.authUrl,
      requestTimeoutMs: 10_000,
      pageSize: pageSize ?? 100,
    },
    clock: fake.clock,
    options: { maxPagesPerInvocation: 1_000, ...(retry ? { retry } : {}) },
  });
}

/** What Lever holds: postings, distinct contacts, opportunities (each on a posting: one per contact × posting). */
function leverCounts() {
  return {
    jobs: fake.state.postings.length,
    candidates: new Set(fake.state.opportunities.map((o) => o.contact)).size,
    applications: fake.state.opportunities.length,
  };
}

const opportunityRequests = () => fake.requests.filter((r) => r.path === '/v1/opportunities');

describe('lever full sync', () => {
  it('imports a 10,000-contact account with counts equal to what Lever serves, inside its token bucket', {
    timeout: 120_000,
  }, async () => {
    const w = await world({ postings: 20, contacts: 10_000 });
    const expected = leverCounts();

    const { run } = await runSync(w, 'full');

    expect(expected).toEqual({ jobs: 20, candidates: 10_000, applications: 11_000 });
    expect(run).toMatchObject({
      status: 'succeeded',
      records_created: 20 + 10_000 + 11_000,
      records_failed: 0,
    });
    expect(await liveCounts(w)).toEqual(expected);
    // 11,000 opportunities at 100 a page, read once for candidates and once for applications
    expect(opportunityRequests()).toHaveLength(2 * 110);
    expect(fake.rateLimitRejections).toBe(0);
  });
});

async function applicationStages(w: SyncWorld): Promise<Map<string, string>> {
  const rows = await w.db.owner<{ remote_id: string; stage: string }[]>`
    select r.remote_id, s.name as stage from external_refs r
    join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'application' and a.deleted_at is null`;
  return new Map(rows.map((r) => [r.remote_id, r.stage]));
}

function otherStage(opportunityId: string) {
  const o = fake.state.opportunityById.get(opportunityId)!;
  return fake.state.stages.find((s) => s.id !== o.stageId && s.text !== 'Offer')!;
}

describe('lever incremental sync', () => {
  it('asks only for opportunities updated since the last pass and touches only the changed records', async () => {
    const w = await world({ contacts: 300, pageSize: 50 });
    const first = await runSync(w, 'full');
    const cursors = await w.db.owner<{ start: string }[]>`
      select cursor->>'updatedAtStart' as start from sync_cursors
      where integration_id = ${w.integrationId} and object_type in ('candidate', 'application') order by object_type desc`;
    const before = await rowVersions(w);
    const requestsBefore = fake.requests.length;
    fake.clock.advance(2 * HOUR);
    // three single-opportunity contacts move stage
    const moved = [0, 1, 2].map((i) => fake.state.opportunities[i]!);
    for (const o of moved) fake.changeStage(o.id, otherStage(o.id).id);

    const { run } = await runSync(w, 'incremental');

    expect(first.run.status).toBe('succeeded');
    // 4 postings re-read whole (unchanged, not written); the 3 opportunities re-read once as contacts (their
    // updatedAt moved) and once as applications (their stage moved): 6 rows, nothing else
    expect(run).toMatchObject({
      status: 'succeeded',
      mode: 'incremental',
      records_processed: 4 + 3 + 3,
      records_created: 0,
      records_updated: 6,
      records_deleted: 0,
    });
    expect(changedVersions(before, await rowVersions(w))).toBe(6);
    const stages = await applicationStages(w);
    for (const o of moved)
      expect(stages.get(o.id)).toBe(fake.state.stages.find((s) => s.id === o.stageId)!.text);
    // every opportunity request of the incremental run filtered on the stored cursor minus the 1 h overlap
    const incremental = fake.requests.slice(requestsBefore).filter((r) => r.path === '/v1/opportunities');
    expect(incremental).toHaveLength(2);
    expect(incremental.map((r) => r.query['updated_at_start'])).toEqual(
      cursors.map((c) => [String(Number(c.start) - HOUR)]),
    );
  });

  it('writes nothing when nothing changed since the last pass', async () => {
    const w = await world({ contacts: 120, pageSize: 50 });
    await runSync(w, 'full');
    const before = await rowVersions(w);
    fake.clock.advance(2 * HOUR);

    const { run } = await runSync(w, 'incremental');

    expect(run).toMatchObject({ status: 'succeeded', records_processed: 4, records_updated: 0 });
    expect(changedVersions(before, await rowVersions(w))).toBe(0);
  });
});

describe('lever deletions', () => {
  it('soft-deletes the opportunities the deleted feed reports, and logs each deletion', async () => {
    const w = await world({ contacts: 120, pageSize: 50 });
    await runSync(w, 'full');
    const before = await liveCounts(w);
    fake.clock.advance(HOUR);
    const gone = fake.state.opportunities[0]!.id;
    fake.deleteOpportunity(gone);

    const { runId, run } = await runSync(w, 'incremental');

    expect(run.records_deleted).toBe(1);
    expect(await liveCounts(w)).toEqual({ ...before, applications: before.applications - 1 });
    const logged = await w.db
      .owner`select object_type, remote_id, action from import_log where sync_run_id = ${runId} and action = 'deleted'`;
    expect(logged).toEqual([{ object_type: 'application', remote_id: gone, action: 'deleted' }]);
    expect(fake.requests.filter((r) => r.path === '/v1/opportunities/deleted')).toHaveLength(1);
  });

  it('soft-deletes what a complete full pass no longer sees', async () => {
    const w = await world({ contacts: 120, pageSize: 50 });
    await runSync(w, 'full');
    fake.clock.advance(HOUR);
    // contact 0 has a single opportunity: the contact goes with it
    const gone = fake.state.opportunities[0]!;
    fake.deleteOpportunity(gone.id);

    const { run } = await runSync(w, 'full');

    expect(run.records_deleted).toBe(2);
    expect(await liveCounts(w)).toEqual(leverCounts());
    expect(leverCounts()).toMatchObject({ candidates: 119, applications: 131 });
  });

  it('deletes nothing after a full pass that failed part way, then completes on redelivery', async () => {
    const w = await world({ contacts: 120, pageSize: 50 });
    await runSync(w, 'full');
    fake.clock.advance(HOUR);
    fake.deleteOpportunity(fake.state.opportunities[0]!.id);
    w.deps.hooks = {
      afterPage: (e) => {
        // once the postings are stored, every try of the second candidate page fails (1 + 4 retries)
        if (e.objectType === 'job' && e.last) {
          fake.failNext(
            5,
            { kind: 'status', status: 503 },
            (r) => r.path === '/v1/opportunities' && r.query.has('offset'),
          );
        }
      },
    };
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/503/);
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 120, applications: 132 });
    const [logged] = await w.db.owner<{ n: number }[]>`
      select count(*)::int as n from import_log where sync_run_id = ${runId} and action = 'deleted'`;
    expect(logged!.n).toBe(0);

    w.deps.hooks = undefined;
    await deliverUntilIdle(w, message);
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 119, applications: 131 });
    expect(await readRun(w, runId)).toMatchObject({ status: 'succeeded', records_deleted: 2 });
  });
});

describe('lever crash and resume', () => {
  it('resumes after a crash between pages from the last stored page, losing and duplicating nothing', async () => {
    const w = await world({ contacts: 400, pageSize: 50 });
    crashOnceAfterPage(w, 'application', 3);
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/simulated crash/);
    const pagesBeforeResume = opportunityRequests().length;
    await deliverUntilIdle(w, message);

    const expected = leverCounts();
    expect(await liveCounts(w)).toEqual(expected);
    const run = await readRun(w, runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      records_created: expected.jobs + expected.candidates + expected.applications,
      records_failed: 0,
    });
    // 440 opportunities = 9 pages per pass; pages 1–3 of the application pass were stored before the crash (4 was
    // fetched ahead, not stored), so the resume read pages 4–9 only (with the stored offset), never a first page
    expect(pagesBeforeResume).toBe(9 + 3 + 1);
    const resumed = opportunityRequests().slice(pagesBeforeResume);
    expect(resumed).toHaveLength(6);
    for (const r of resumed) expect(r.query['offset']).toHaveLength(1);
    const [refs] = await w.db.owner<{ n: number; distinct_local: number }[]>`
      select count(*)::int as n, count(distinct local_id)::int as distinct_local from external_refs
      where integration_id = ${w.integrationId} and object_type = 'application'`;
    expect(refs).toEqual({ n: expected.applications, distinct_local: expected.applications });
  });

  it('applies a redelivered sync request only once', async () => {
    const w = await world({ contacts: 60, pageSize: 50 });
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
});

/** Requests per 1 s window of the fake clock (Lever's bucket refills per second), split by outcome. */
function perSecond(w: SyncWorld) {
  const windows = new Map<number, { ok: number; limited: number }>();
  w.deps.fetch = async (input, init) => {
    const key = Math.floor(fake.clock.nowMs() / 1000);
    const response = await fetch(input, init);
    const slot = windows.get(key) ?? { ok: 0, limited: 0 };
    if (response.status === 429) slot.limited += 1;
    else slot.ok += 1;
    windows.set(key, slot);
    return response;
  };
  return () => [...windows.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

describe('lever rate limits', () => {
  it('stays inside the 10 req/s bucket with bursts of 20: no 429 at all', async () => {
    const w = await world({ contacts: 600, pageSize: 10 });
    const windows = perSecond(w);

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(fake.requests.length).toBeGreaterThan(120);
    expect(fake.rateLimitRejections).toBe(0);
    expect(Math.max(...windows().map((v) => v.ok))).toBeLessThanOrEqual(20);
  });

  it('backs off when the bucket was already drained by another client: 429s only in the first second', async () => {
    const w = await world({
      contacts: 300,
      pageSize: 10,
      retry: { maxAttempts: 6, initialDelayMs: 100, maxDelayMs: 2_000 },
    });
    // another client of the same API key used the whole burst a moment ago
    const auth = `Basic ${Buffer.from(`${fake.apiKey}:`).toString('base64')}`;
    for (let i = 0; i < 20; i += 1)
      await fetch(`${fake.url}/stages`, { headers: { authorization: auth } }).then((r) => r.arrayBuffer());
    const windows = perSecond(w);

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    const ordered = windows();
    expect(ordered.length).toBeGreaterThan(5);
    expect(ordered[0]!.limited).toBeGreaterThan(0);
    expect(ordered.slice(1).reduce((n, v) => n + v.limited, 0)).toBe(0);
    expect(await liveCounts(w)).toEqual(leverCounts());
  });
});

describe('lever OAuth token expiry', () => {
  it('refreshes an expired access token and continues, persisting every rotated refresh token', async () => {
    const w = await world({
      contacts: 300,
      pageSize: 50,
      accessTokenLifetimeSeconds: 3_600,
      credentials: {
        clientId: 'lever-client',
        clientSecret: 'lever-client-secret',
        refreshToken: 'lever-refresh-0',
        // handed over with the authorization code and long expired: Lever answers 401
        accessToken: 'expired-access-token',
      },
    });
    let expired = false;
    w.deps.hooks = {
      afterPage: (e) => {
        // the fresh access token expires in the middle of the candidate pass
        if (e.objectType === 'candidate' && e.page === 2 && !expired) {
          expired = true;
          fake.clock.advance(2 * HOUR);
        }
      },
    };

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(await liveCounts(w)).toEqual(leverCounts());
    const refreshes = fake.requests.filter((r) => r.path === '/oauth/token');
    expect(refreshes.map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual([
      'refresh_token',
      'refresh_token',
    ]);
    // the handed-over token; a page fetched ahead may meet the mid-pass expiry too (one refresh serves both)
    expect(fake.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(fake.requests.filter((r) => r.status === 401).length).toBeLessThanOrEqual(2);
    const stored = await w.secrets.get<{ refreshToken: string }>(providerCredentialsSecret(w.integrationId));
    // the one refresh token Lever still accepts is the one stored; the original died at the first rotation
    expect(fake.validRefreshTokens()).toEqual([stored!.refreshToken]);
    expect(stored!.refreshToken).not.toBe('lever-refresh-0');
  });

  it('runs the next sync with the persisted refresh token', async () => {
    const w = await world({
      contacts: 60,
      pageSize: 50,
      credentials: {
        clientId: 'lever-client',
        clientSecret: 'lever-client-secret',
        refreshToken: 'lever-refresh-0',
      },
    });
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);

    const { run } = await runSync(w, 'incremental');

    expect(run.status).toBe('succeeded');
    const refreshes = fake.requests.filter((r) => r.path === '/oauth/token');
    expect(refreshes.map((r) => r.status)).toEqual([200, 200]);
    const stored = await w.secrets.get<{ refreshToken: string }>(providerCredentialsSecret(w.integrationId));
    expect(fake.validRefreshTokens()).toEqual([stored!.refreshToken]);
  });
});

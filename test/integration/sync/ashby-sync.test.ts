/**
 * The sync engine against the Ashby fake (providers.md §4): a 10,000-candidate import, incremental passes on
 * the sync token (handed out on the last page only), the full-sync fallback when Ashby refuses the token
 * (expired, invalid, incremental_sync_too_large), deletions by full reconciliation only after a complete pass,
 * crash and resume, pacing under the fake's per-key window and partner-wide 429s, and a redelivered request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provider as ashby } from '../../../shared/providers/ashby/index.js';
import { type AshbyFake, type AshbyFakeOptions, startAshbyFake } from '../../fakes/ashby/index.js';
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
/** A per-key window above the hub's default Ashby pace (burst 3 + 3/s: at most 33 in any 10 s). */
const WINDOW = { limit: 35, windowSeconds: 10 };
let db: TestDatabase;
let fake: AshbyFake;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
afterEach(async () => {
  await fake?.stop();
});

async function world(options: AshbyFakeOptions & { pageSize?: number }): Promise<SyncWorld> {
  const { pageSize, ...fakeOptions } = options;
  fake = await startAshbyFake({ jobs: 4, rateLimit: WINDOW, ...fakeOptions });
  return createWorld({
    db,
    provider: 'ashby',
    module: ashby,
    credentials: { apiKey: fake.apiKey },
    settings: { baseUrl: fake.url, requestTimeoutMs: 10_000, pageSize: pageSize ?? 100 },
    clock: fake.clock,
    options: { maxPagesPerInvocation: 1_000 },
  });
}

const ashbyCounts = () => ({
  jobs: fake.state.jobs.length,
  candidates: fake.state.candidates.length,
  applications: fake.state.applications.length,
});

const calls = (method: string) => fake.requests.filter((r) => r.path === `/${method}`);
const bodyOf = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown>;
const rateLimited = () => fake.requests.filter((r) => r.status === 429);

async function storedTokens(w: SyncWorld) {
  const rows = await w.db.owner<{ object_type: string; token: string | null }[]>`
    select object_type, cursor->>'syncToken' as token from sync_cursors
    where integration_id = ${w.integrationId} order by object_type`;
  return Object.fromEntries(rows.map((r) => [r.object_type, r.token]));
}

describe('ashby full sync', () => {
  it('imports a 10,000-candidate account with counts equal to what Ashby serves, inside its window', {
    timeout: 120_000,
  }, async () => {
    const w = await world({ jobs: 20, candidates: 10_000 });

    const { run } = await runSync(w, 'full');

    expect(ashbyCounts()).toEqual({ jobs: 20, candidates: 10_000, applications: 10_000 });
    expect(run).toMatchObject({
      status: 'succeeded',
      records_created: 20 + 10_000 + 10_000,
      records_failed: 0,
    });
    expect(await liveCounts(w)).toEqual(ashbyCounts());
    // 100 pages of 100 per list; one interview plan read per job
    expect(calls('candidate.list')).toHaveLength(100);
    expect(calls('application.list')).toHaveLength(100);
    expect(calls('interviewStage.list')).toHaveLength(20);
    expect(rateLimited()).toHaveLength(0);
  });
});

describe('ashby incremental sync', () => {
  it('sends the stored sync tokens and touches only the changed records', async () => {
    const w = await world({ candidates: 300 });
    await runSync(w, 'full');
    const tokens = await storedTokens(w);
    const before = await rowVersions(w);
    const requestsBefore = fake.requests.length;
    fake.clock.advance(HOUR);
    fake.touchCandidate(fake.state.candidates[3]!.id);
    const moved = fake.state.applications.slice(10, 12);
    for (const app of moved) {
      const plan = fake.state.stages.filter(
        (s) => s.interviewPlanId === fake.state.jobs.find((j) => j.id === app.jobId)!.interviewPlanId,
      );
      fake.changeStage(app.id, plan.find((s) => s.type === 'Active' && s.id !== app.stageId)!.id);
    }

    const { run } = await runSync(w, 'incremental');

    // jobs have no sync token (read whole, unchanged, not written); 1 candidate and 2 applications changed
    expect(run).toMatchObject({
      status: 'succeeded',
      mode: 'incremental',
      records_processed: 4 + 1 + 2,
      records_updated: 3,
      records_created: 0,
      records_deleted: 0,
    });
    expect(changedVersions(before, await rowVersions(w))).toBe(3);
    const sent = fake.requests.slice(requestsBefore);
    expect(sent.filter((r) => r.path === '/candidate.list').map(bodyOf)).toEqual([
      { limit: 100, syncToken: tokens['candidate'] },
    ]);
    expect(sent.filter((r) => r.path === '/application.list').map(bodyOf)).toEqual([
      { limit: 100, syncToken: tokens['application'] },
    ]);
    // the new tokens (from the last pages) replaced the old ones
    const after = await storedTokens(w);
    expect(after['candidate']).not.toBe(tokens['candidate']);
    expect(after['application']).not.toBe(tokens['application']);
  });
});

describe('ashby sync tokens', () => {
  it('drops an expired sync token and falls back to a full pass', async () => {
    const w = await world({ candidates: 300 });
    await runSync(w, 'full');
    fake.expireSyncTokens();
    fake.clock.advance(HOUR);
    fake.touchCandidate(fake.state.candidates[0]!.id);
    const before = await rowVersions(w);
    const requestsBefore = fake.requests.length;

    const { run } = await runSync(w, 'incremental');

    expect(run.status).toBe('succeeded');
    // the full fallback re-read every candidate and application but rewrote only the one that changed
    expect(run.records_processed).toBe(4 + 300 + 300);
    expect(changedVersions(before, await rowVersions(w))).toBe(1);
    const [cursor] = await w.db.owner<{ token: string | null; pass_restarts: number }[]>`
      select cursor->>'syncToken' as token, pass_restarts from sync_cursors
      where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    expect(cursor!.token).toEqual(expect.any(String));
    expect(cursor!.pass_restarts).toBe(1);
    const sent = fake.requests.slice(requestsBefore).filter((r) => r.path === '/candidate.list');
    // refused token, then a full pass from the first page: 3 pages of 100
    expect(sent.map((r) => Object.keys(bodyOf(r)).sort())).toEqual([
      ['limit', 'syncToken'],
      ['limit'],
      ['cursor', 'limit'],
      ['cursor', 'limit'],
    ]);
  });

  it('discards the token after incremental_sync_too_large and runs a full pass', async () => {
    const w = await world({ candidates: 300 });
    await runSync(w, 'full');
    fake.clock.advance(HOUR);
    // 250 changed candidates are 3 incremental pages; Ashby refuses past the first
    for (const c of fake.state.candidates.slice(0, 250)) fake.touchCandidate(c.id);
    fake.setMaxIncrementalPages(1);

    const { run } = await runSync(w, 'incremental');

    expect(run.status).toBe('succeeded');
    expect(await liveCounts(w)).toEqual(ashbyCounts());
    const [cursor] = await w.db.owner<{ pass_restarts: number }[]>`
      select pass_restarts from sync_cursors where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    expect(cursor!.pass_restarts).toBe(1);
    // after the first full pass (3 pages): incremental page 1, refused page 2, then a full pass without any token
    expect(
      calls('candidate.list')
        .slice(3)
        .map((r) => Object.keys(bodyOf(r)).sort()),
    ).toEqual([
      ['limit', 'syncToken'],
      ['cursor', 'limit', 'syncToken'],
      ['limit'],
      ['cursor', 'limit'],
      ['cursor', 'limit'],
    ]);
    // 100 rewritten by the first incremental page, the other 150 by the full pass
    expect(run.records_updated).toBe(250);
  });
});

describe('ashby deletions', () => {
  it('soft-deletes what the full pass after a lost sync token no longer sees', async () => {
    const w = await world({ candidates: 120 });
    await runSync(w, 'full');
    fake.clock.advance(HOUR);
    const gone = fake.state.candidates[7]!;
    const goneApplication = fake.state.applications.find((a) => a.candidateId === gone.id)!;
    fake.deleteCandidate(gone.id);
    fake.expireSyncTokens();

    const { runId, run } = await runSync(w, 'incremental');

    // the candidate, and with it its one application
    expect(run.records_deleted).toBe(2);
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 119, applications: 119 });
    const logged = await w.db.owner`
      select object_type, remote_id from import_log where sync_run_id = ${runId} and action = 'deleted'
      order by id`;
    expect(logged).toEqual([
      { object_type: 'candidate', remote_id: gone.id },
      { object_type: 'application', remote_id: goneApplication.id },
    ]);
  });

  it('deletes nothing after a full pass that failed part way, then completes on redelivery', async () => {
    const w = await world({ candidates: 250, pageSize: 50 });
    await runSync(w, 'full');
    fake.clock.advance(HOUR);
    fake.deleteCandidate(fake.state.candidates[7]!.id);
    // every try of a follow-up candidate page fails (1 + 4 retries): the pass stops after its first page
    fake.failNext(
      5,
      { kind: 'status', status: 503 },
      (r) => r.path === '/candidate.list' && r.body.includes('"cursor"'),
    );
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/503/);
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 250, applications: 250 });

    await deliverUntilIdle(w, message);
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 249, applications: 249 });
    expect(await readRun(w, runId)).toMatchObject({ status: 'succeeded', records_deleted: 2 });
  });
});

describe('ashby crash and resume', () => {
  it('resumes after a crash between pages from the last stored page, losing and duplicating nothing', async () => {
    const w = await world({ candidates: 400, pageSize: 50 });
    crashOnceAfterPage(w, 'candidate', 3);
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/simulated crash/);
    await deliverUntilIdle(w, message);

    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 400, applications: 400 });
    expect(await readRun(w, runId)).toMatchObject({ status: 'succeeded', records_created: 4 + 400 + 400 });
    // 8 candidate pages: 1–3 stored before the crash (page 4 already fetched ahead, not stored), 4–8 after it
    // with the stored cursor, the first page never again
    const pages = calls('candidate.list').map(bodyOf);
    expect(pages).toHaveLength(9);
    expect(pages.filter((b) => b['cursor'] === undefined)).toHaveLength(1);
    const [refs] = await w.db.owner<{ n: number; distinct_local: number }[]>`
      select count(*)::int as n, count(distinct local_id)::int as distinct_local from external_refs
      where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    expect(refs).toEqual({ n: 400, distinct_local: 400 });
  });

  it('applies a redelivered sync request only once', async () => {
    const w = await world({ candidates: 60 });
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

/** Requests per window of the fake's limiter, split by outcome. */
function perWindow(w: SyncWorld, windowMs: number) {
  const windows = new Map<number, { ok: number; limited: number }>();
  w.deps.fetch = async (input, init) => {
    const key = Math.floor(fake.clock.nowMs() / windowMs);
    const response = await fetch(input, init);
    const slot = windows.get(key) ?? { ok: 0, limited: 0 };
    if (response.status === 429) slot.limited += 1;
    else slot.ok += 1;
    windows.set(key, slot);
    return response;
  };
  return () => [...windows.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

describe('ashby rate limits', () => {
  it('stays inside the per-key window at the default pace: no 429 at all', async () => {
    const w = await world({ candidates: 600, pageSize: 10 });
    const windows = perWindow(w, 10_000);

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(fake.requests.length).toBeGreaterThan(120);
    expect(rateLimited()).toHaveLength(0);
    expect(Math.max(...windows().map((v) => v.ok))).toBeLessThanOrEqual(WINDOW.limit);
  });

  it('rides out partner-wide 429s: retried, and none after the first window', async () => {
    const w = await world({ candidates: 600, pageSize: 20 });
    const windows = perWindow(w, 10_000);
    fake.throttlePartner(3);

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(await liveCounts(w)).toEqual(ashbyCounts());
    const limited = rateLimited();
    expect(limited).toHaveLength(3);
    expect(fake.requests.slice(0, 3).map((r) => r.status)).toEqual([429, 429, 429]);
    const ordered = windows();
    expect(ordered.length).toBeGreaterThan(2);
    expect(ordered[0]!.limited).toBe(3);
    expect(ordered.slice(1).reduce((n, v) => n + v.limited, 0)).toBe(0);
  });
});

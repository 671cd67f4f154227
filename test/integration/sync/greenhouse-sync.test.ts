/**
 * The sync engine against the Greenhouse fake: full and incremental passes, no-op re-syncs, deletions,
 * crash and resume, pacing under the fake's 50 requests / 10 s window, and splitting into bounded pieces.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { eventCatalog } from '../../../shared/messages/events.js';
import { provider as greenhouse } from '../../../shared/providers/greenhouse/index.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
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

let db: TestDatabase;
let fake: GreenhouseFake;

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
  candidates: number;
  jobs?: number;
  rateLimit?: false;
  perPage?: number;
  maxPages?: number;
}): Promise<SyncWorld> {
  fake = await startGreenhouseFake({
    candidates: options.candidates,
    jobs: options.jobs ?? 4,
    rateLimit: options.rateLimit,
  });
  return createWorld({
    db,
    provider: 'greenhouse',
    module: greenhouse,
    credentials: fake.credentials,
    settings: {
      baseUrl: fake.url,
      authUrl: fake.authUrl,
      requestTimeoutMs: 5_000,
      perPage: options.perPage ?? 500,
    },
    clock: fake.clock,
    options: { maxPagesPerInvocation: options.maxPages ?? 1_000 },
  });
}

describe('greenhouse full sync', () => {
  it('imports every job, candidate and application of a 10,000-candidate account', {
    timeout: 180_000,
  }, async () => {
    const w = await world({ candidates: 10_000, jobs: 20 });

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(await liveCounts(w)).toEqual({ jobs: 20, candidates: 10_000, applications: 10_000 });
    expect(run.records_created).toBe(20 + 10_000 + 10_000);
    expect(run.records_failed).toBe(0);
    expect(fake.rateLimitRejections).toBe(0);
  });
});

const HOUR = 3_600_000;

async function applicationStages(w: SyncWorld): Promise<Map<string, { stage: string; status: string }>> {
  const rows = await w.db.owner<{ remote_id: string; stage: string; status: string }[]>`
    select r.remote_id, s.name as stage, a.status from external_refs r
    join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'application' and a.deleted_at is null`;
  return new Map(rows.map((r) => [r.remote_id, { stage: r.stage, status: r.status }]));
}

describe('greenhouse incremental sync', () => {
  it('touches only the records changed since the last sync', async () => {
    const w = await world({ candidates: 300, perPage: 100 });
    await runSync(w, 'full');
    const before = await rowVersions(w);
    fake.clock.advance(2 * HOUR);
    const moved = fake.state.applications.slice(0, 3);
    for (const app of moved) {
      const job = fake.state.jobById.get(app.jobId)!;
      fake.moveApplication(app.id, job.stages.find((s) => s.id !== app.stageId && s.name !== 'Offer')!.id);
    }
    fake.touchCandidate(fake.state.candidates[10]!.id);

    const { run } = await runSync(w, 'incremental');

    expect(run).toMatchObject({
      status: 'succeeded',
      mode: 'incremental',
      records_processed: 4,
      records_updated: 4,
    });
    // 3 applications moved + 1 candidate: nothing else got a new row version
    expect(changedVersions(before, await rowVersions(w))).toBe(4);
    const stages = await applicationStages(w);
    for (const app of moved) {
      expect(stages.get(String(app.id))?.stage).toBe(fake.state.stageById.get(app.stageId!)!.name);
    }
  });

  it('records a provider move as ATS history and an outbox change with the provider as source', async () => {
    const w = await world({ candidates: 50, perPage: 100 });
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);
    const app = fake.state.applications[0]!;
    const job = fake.state.jobById.get(app.jobId)!;
    const target = job.stages.find((s) => s.id !== app.stageId && s.name !== 'Offer')!;
    fake.moveApplication(app.id, target.id);

    await runSync(w, 'incremental');

    const [event] = await w.db.owner<{ payload: Record<string, unknown> }[]>`
      select payload from outbox where organization_id = ${w.organizationId} and event_type = 'application.stage_changed'`;
    expect(event?.payload).toMatchObject({
      toStage: target.name,
      actorRole: 'provider',
      source: 'greenhouse',
    });
    const [history] = await w.db.owner<{ n: number }[]>`
      select count(*)::int as n from application_stage_history h join external_refs r on r.local_id = h.application_id
      where r.integration_id = ${w.integrationId} and r.remote_id = ${String(app.id)} and h.actor_role = 'provider'
        and h.from_stage_id is not null`;
    expect(history!.n).toBe(1);
  });

  it('writes nothing when the data did not change (re-sync of an unchanged account)', async () => {
    const w = await world({ candidates: 300, perPage: 100 });
    await runSync(w, 'full');
    const before = await rowVersions(w);

    const { run } = await runSync(w, 'full');

    expect(run).toMatchObject({
      status: 'succeeded',
      records_created: 0,
      records_updated: 0,
      records_deleted: 0,
    });
    expect(changedVersions(before, await rowVersions(w))).toBe(0);
  });

  it('falls back to a full pass when the page cursor expires during an incremental pass', async () => {
    const w = await world({ candidates: 300, perPage: 100 });
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);
    for (const c of fake.state.candidates.slice(0, 250)) fake.touchCandidate(c.id);
    let expired = false;
    w.deps.hooks = {
      afterPage: (e) => {
        // the v3 cursor lives 10 minutes at the fake: let it die between two pages
        if (e.objectType === 'candidate' && e.page === 1 && !expired) {
          expired = true;
          fake.clock.advance(20 * 60_000);
        }
      },
    };

    const { run } = await runSync(w, 'incremental');

    expect(run.status).toBe('succeeded');
    const [cursor] = await w.db.owner<{ pass_restarts: number; cursor: Record<string, unknown> }[]>`
      select pass_restarts, cursor from sync_cursors where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    expect(Object.keys(cursor!.cursor)).toEqual(['updatedAfter']);
    // the fallback read every candidate from the first page of a full pass
    const fullFirstPages = fake.requests.filter(
      (r) => r.path === '/v3/candidates' && !r.query['cursor'] && !r.query['updated_at'],
    );
    expect(fullFirstPages.length).toBe(2);
    expect(await liveCounts(w)).toMatchObject({ candidates: 300 });
  });
});

describe('greenhouse deletions', () => {
  it('soft-deletes what a complete full pass no longer sees, and logs each deletion', async () => {
    const w = await world({ candidates: 120, perPage: 50 });
    await runSync(w, 'full');
    const gone = fake.state.applications[5]!.id;
    fake.deleteApplication(gone);

    const { runId, run } = await runSync(w, 'full');

    expect(run.records_deleted).toBe(1);
    expect(await liveCounts(w)).toMatchObject({ applications: 119 });
    const logged = await w.db
      .owner`select remote_id, action from import_log where sync_run_id = ${runId} and action = 'deleted'`;
    expect(logged).toEqual([{ remote_id: String(gone), action: 'deleted' }]);
  });

  it('deletes nothing after a pass that failed part way, then completes on redelivery', async () => {
    const w = await world({ candidates: 120, perPage: 50 });
    await runSync(w, 'full');
    fake.deleteApplication(fake.state.applications[7]!.id);
    // every try of the second applications page fails (1 + 4 retries), so the pass stops after page 1
    fake.failNext(
      5,
      { kind: 'status', status: 503 },
      (r) => r.path === '/v3/applications' && r.query.has('cursor'),
    );
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/503/);
    expect(await liveCounts(w)).toMatchObject({ applications: 120 });

    await deliverUntilIdle(w, message);
    expect(await liveCounts(w)).toMatchObject({ applications: 119 });
    expect((await readRunStatus(w, runId)).status).toBe('succeeded');
  });
});

async function readRunStatus(w: SyncWorld, runId: string) {
  const [row] = await w.db.owner<{ status: string; records_created: number }[]>`
    select status, records_created from sync_runs where id = ${runId}`;
  return row!;
}

describe('greenhouse crash and resume', () => {
  it('resumes after a crash between pages from the last stored page, losing and duplicating nothing', async () => {
    const w = await world({ candidates: 400, perPage: 50 });
    crashOnceAfterPage(w, 'candidate', 3);
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/simulated crash/);
    await deliverUntilIdle(w, message);

    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 400, applications: 400 });
    const run = await readRunStatus(w, runId);
    expect(run).toEqual({ status: 'succeeded', records_created: 4 + 400 + 400 });
    // pages 1–3 were stored before the crash: the resume asked for page 4 onwards, never page 1 again
    const firstPages = fake.requests.filter((r) => r.path === '/v3/candidates' && !r.query['cursor']);
    expect(firstPages).toHaveLength(1);
    const [refs] = await w.db.owner<{ n: number; distinct_local: number }[]>`
      select count(*)::int as n, count(distinct local_id)::int as distinct_local from external_refs
      where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    expect(refs).toEqual({ n: 400, distinct_local: 400 });
  });

  it('applies a redelivered sync request only once', async () => {
    const w = await world({ candidates: 60, perPage: 50 });
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

describe('greenhouse raw payloads', () => {
  it('keeps every page as fetched under raw/<org>/<integration>/<object>/<run>/<page>.json', async () => {
    const w = await world({ candidates: 120, perPage: 50 });

    const { runId } = await runSync(w, 'full');

    const prefix = `raw/${w.organizationId}/${w.integrationId}`;
    expect([...w.objects.objects.keys()].filter((k) => k.startsWith(prefix)).sort()).toEqual(
      [
        `${prefix}/application/${runId}/1.json`,
        `${prefix}/application/${runId}/2.json`,
        `${prefix}/application/${runId}/3.json`,
        `${prefix}/candidate/${runId}/1.json`,
        `${prefix}/candidate/${runId}/2.json`,
        `${prefix}/candidate/${runId}/3.json`,
        `${prefix}/job/${runId}/1.json`,
      ].sort(),
    );
    const page = JSON.parse(w.objects.text(`${prefix}/candidate/${runId}/1.json`)!);
    expect(page).toHaveLength(50);
    expect(page[0]).toHaveProperty('id');
  });
});

describe('greenhouse bounded pieces', () => {
  it('splits a large sync into continuation messages of at most N pages', async () => {
    const w = await world({ candidates: 300, perPage: 50, maxPages: 4 });

    const { outcomes, run } = await runSync(w, 'full');

    // 1 job page + 6 candidate pages + 6 application pages = 13 pages → 4 pieces
    expect(outcomes).toEqual(['continued', 'continued', 'continued', 'succeeded']);
    expect(run).toMatchObject({ status: 'succeeded', pages_fetched: 13, records_created: 604 });
  });

  it('hands over before the Lambda time budget runs out', async () => {
    const w = await world({ candidates: 300, perPage: 50 });
    let remaining = 100_000;
    w.deps.hooks = {
      afterPage: () => {
        remaining -= 30_000;
      },
    };
    const { message, runId } = await requestRun(w, 'full');

    const outcome = await handleSyncMessage(w.deps, message, { remainingMs: () => remaining });

    // 100 s, 70 s, 40 s left before pages 1–3; then 10 s is under the 25 s reserve
    expect(outcome).toBe('continued');
    expect((await readRun(w, runId)).pages_fetched).toBe(3);
    expect(w.queue.drain()).toEqual([
      expect.objectContaining({
        type: 'sync',
        syncRunId: runId,
        objectType: 'candidate',
        pageToken: expect.any(String),
      }),
    ]);
  });
});

describe('greenhouse rate limits', () => {
  it('stays inside the 50 requests / 10 s window: no 429 at all', async () => {
    const w = await world({ candidates: 600, perPage: 10 });

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(fake.requests.length).toBeGreaterThan(120);
    expect(fake.rateLimitRejections).toBe(0);
  });

  it('honours Retry-After when pushed too fast: 429s only in the first window', async () => {
    const w = await world({ candidates: 600, perPage: 10 });
    await w.db
      .owner`update integrations set settings = settings || '{"rateLimit": {"requestsPerSecond": 50, "burst": 60}}'::jsonb
      where id = ${w.integrationId}`;
    const windows = new Map<number, { ok: number; limited: number }>();
    w.deps.fetch = async (input, init) => {
      const response = await fetch(input, init);
      const key = Math.floor(fake.clock.nowMs() / 10_000);
      const slot = windows.get(key) ?? { ok: 0, limited: 0 };
      if (response.status === 429) slot.limited += 1;
      else slot.ok += 1;
      windows.set(key, slot);
      return response;
    };

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    const ordered = [...windows.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    expect(ordered.length).toBeGreaterThan(2);
    expect(ordered.slice(1).reduce((n, v) => n + v.limited, 0)).toBe(0);
  });
});

describe('greenhouse circuit breaker', () => {
  it('opens after repeated failures, marks the integration unhealthy once, stops calling, and closes after a good probe', async () => {
    fake = await startGreenhouseFake({ candidates: 60, jobs: 2 });
    const w = await createWorld({
      db,
      provider: 'greenhouse',
      module: greenhouse,
      credentials: fake.credentials,
      settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 5_000 },
      clock: fake.clock,
      options: { breaker: { failureThreshold: 2, cooldownMs: 60_000, refreshMs: 0 } },
    });
    // two operations of 1 + 4 tries each fail
    fake.failNext(10, { kind: 'status', status: 503 }, (r) => r.path.startsWith('/v3/'));
    const { message, runId } = await requestRun(w, 'full');
    const budget = { remainingMs: () => 100_000 };

    await expect(handleSyncMessage(w.deps, message, budget)).rejects.toThrow(/503/);
    await expect(handleSyncMessage(w.deps, message, budget)).rejects.toThrow(/503/);
    const requestsWhileOpen = fake.requests.length;
    const whileOpen = await handleSyncMessage(w.deps, message, budget);

    expect(whileOpen).toBe('deferred');
    expect(fake.requests.length).toBe(requestsWhileOpen);
    const [integration] = await w.db.owner<{ health: string; breaker_state: string }[]>`
      select health, breaker_state from integrations where id = ${w.integrationId}`;
    expect(integration).toEqual({ health: 'unhealthy', breaker_state: 'open' });
    const events = await w.db.owner<{ payload: unknown }[]>`select payload from outbox
      where aggregate_id = ${w.integrationId} and event_type = 'integration.unhealthy'`;
    expect(events).toHaveLength(1);
    expect(eventCatalog['integration.unhealthy'].parse(events[0]!.payload)).toMatchObject({
      health: 'unhealthy',
      provider: 'greenhouse',
    });

    fake.clock.advance(61_000);
    const [continuation] = w.queue.drain();
    const outcome = await handleSyncMessage(w.deps, continuation!, budget);

    expect(outcome).toBe('succeeded');
    expect((await readRun(w, runId)).status).toBe('succeeded');
    const [after] = await w.db.owner<{ health: string; breaker_state: string }[]>`
      select health, breaker_state from integrations where id = ${w.integrationId}`;
    expect(after).toEqual({ health: 'healthy', breaker_state: 'closed' });
  });
});

/**
 * Greenhouse's quirks in the sync engine: a provider move as ATS history, a v3 page cursor expiring mid-pass,
 * raw pages kept, splitting into bounded pieces, and the circuit breaker. The scenarios every provider shares are
 * in contract/.
 */
import { describe, expect, it } from 'vitest';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { eventCatalog } from '../../../shared/messages/events.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { greenhouseConnection } from './connections.js';
import type { SyncWorld } from './harness.js';
import { createWorld, fileDatabase, liveCounts, readRun, requestRun, runSync } from './harness.js';

let fake: GreenhouseFake;

const database = fileDatabase(() => fake?.stop());

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
    db: database(),
    ...greenhouseConnection(fake, { perPage: options.perPage ?? 500 }),
    options: { maxPagesPerInvocation: options.maxPages ?? 1_000 },
  });
}

const HOUR = 3_600_000;

describe('greenhouse incremental sync', () => {
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

describe('greenhouse circuit breaker', () => {
  it('opens after repeated failures, marks the integration unhealthy once, stops calling, and closes after a good probe', async () => {
    fake = await startGreenhouseFake({ candidates: 60, jobs: 2 });
    const w = await createWorld({
      db: database(),
      ...greenhouseConnection(fake),
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

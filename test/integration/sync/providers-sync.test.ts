/**
 * The engine against the Lever, Ashby, Workday and BambooHR fakes. Expected counts come from the provider
 * itself: every record a complete pass of the provider's own client returns must be stored exactly once.
 * Then: a re-sync of unchanged data writes nothing. Each provider's own behaviours (incremental passes, deletes,
 * crash and resume, rate limits, token expiry, writes) are in <provider>-sync.test.ts and <provider>-writes.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalApplication, SyncObjectType } from '../../../shared/domain/canonical.js';
import { eventCatalog } from '../../../shared/messages/events.js';
import type { ListPage, ProviderClient, ProviderModule } from '../../../shared/ports/provider.js';
import { provider as ashby } from '../../../shared/providers/ashby/index.js';
import { provider as bamboohr } from '../../../shared/providers/bamboohr/index.js';
import { provider as lever } from '../../../shared/providers/lever/index.js';
import { provider as workday } from '../../../shared/providers/workday/index.js';
import { type AshbyFake, startAshbyFake } from '../../fakes/ashby/index.js';
import { startBamboohrFake } from '../../fakes/bamboohr/index.js';
import type { ControllableClock } from '../../fakes/common/controllable-clock.js';
import { type LeverFake, startLeverFake } from '../../fakes/lever/index.js';
import { startWorkdayFake } from '../../fakes/workday/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { changedVersions, createWorld, liveCounts, rowVersions, runSync, type SyncWorld } from './harness.js';

interface Running {
  clock: ControllableClock;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  stop(): Promise<void>;
}

let db: TestDatabase;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function worldFor(
  name: 'lever' | 'ashby' | 'workday' | 'bamboohr',
  module: ProviderModule,
  running: Running,
): Promise<SyncWorld> {
  stop = running.stop;
  return createWorld({
    db,
    provider: name,
    module,
    credentials: running.credentials,
    settings: running.settings,
    clock: running.clock,
  });
}

/** Distinct remote ids a complete full pass of the provider's client returns, per object type. */
async function expectedCounts(module: ProviderModule, running: Running) {
  const client: ProviderClient = module.createClient({
    credentials: running.credentials,
    settings: running.settings,
    clock: running.clock,
  });
  const counts: Record<SyncObjectType, number> = { job: 0, candidate: 0, application: 0 };
  let duplicates = 0;
  for (const objectType of module.capabilities.objects) {
    const ids = new Set<string>();
    const pairs = new Set<string>();
    let pageToken: string | null = null;
    do {
      const page: ListPage = await client.listPage(objectType, { mode: 'full', cursor: null, pageToken });
      for (const r of page.records) {
        ids.add(r.remoteId);
        if (objectType === 'application') {
          const a = r as CanonicalApplication;
          pairs.add(`${a.candidateRemoteId}:${a.jobRemoteId}`);
        }
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== null);
    // the hub holds one application per candidate × job; further remote ones for a pair are reported failed
    counts[objectType] = objectType === 'application' ? pairs.size : ids.size;
    if (objectType === 'application') duplicates = ids.size - pairs.size;
  }
  return {
    counts: { jobs: counts.job, candidates: counts.candidate, applications: counts.application },
    duplicates,
  };
}

const fakes = {
  lever: async (): Promise<Running & { fake: LeverFake }> => {
    const fake = await startLeverFake({ postings: 4, contacts: 300, rateLimit: false });
    return {
      fake,
      clock: fake.clock,
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 5_000 },
      stop: fake.stop,
    };
  },
  ashby: async (): Promise<Running & { fake: AshbyFake }> => {
    const fake = await startAshbyFake({ jobs: 4, candidates: 300, rateLimit: false });
    return {
      fake,
      clock: fake.clock,
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url, requestTimeoutMs: 5_000 },
      stop: fake.stop,
    };
  },
  workday: async (): Promise<Running> => {
    const fake = await startWorkdayFake({ seed: 11, candidates: 300 });
    return {
      clock: fake.clock,
      credentials: { username: fake.username, password: fake.password, tenant: fake.tenant },
      settings: {
        baseUrl: fake.url,
        asOfSkewSeconds: 0,
        lookbackSeconds: 0,
        dispositionStepId: 'STEP-DISPOSITION',
        workflowSteps: fake.state.workflow.map((s) => ({ id: s.id, name: s.name, stageId: s.stageId })),
      },
      stop: fake.stop,
    };
  },
  bamboohr: async (): Promise<Running> => {
    const fake = await startBamboohrFake({ seed: 5, applications: 300 });
    return {
      clock: fake.clock,
      credentials: { apiKey: fake.apiKey, companyDomain: fake.companyDomain },
      settings: { baseUrl: fake.url, lookbackSeconds: 0 },
      stop: fake.stop,
    };
  },
};

const modules = { lever, ashby, workday, bamboohr } as const;

describe.each(['lever', 'ashby', 'workday', 'bamboohr'] as const)('%s sync', (name) => {
  it('stores every record a full pass of the provider returns, exactly once', async () => {
    const running = await fakes[name]();
    const w = await worldFor(name, modules[name], running);
    const expected = await expectedCounts(modules[name], running);

    const { run, runId } = await runSync(w, 'full');

    expect(run).toMatchObject({
      status: expected.duplicates > 0 ? 'partial' : 'succeeded',
      records_failed: expected.duplicates,
    });
    expect(await liveCounts(w)).toEqual(expected.counts);
    expect(expected.counts.applications).toBeGreaterThan(0);
    // the run's events, written with its completion, are valid catalogue events
    const events = await w.db.owner<{ event_type: 'sync.completed' | 'import.errors'; payload: unknown }[]>`
      select event_type, payload from outbox where payload->>'syncRunId' = ${runId} and event_type <> 'sync.requested'
      order by id`;
    expect(events.map((e) => e.event_type)).toEqual(
      expected.duplicates > 0 ? ['sync.completed', 'import.errors'] : ['sync.completed'],
    );
    for (const e of events) expect(eventCatalog[e.event_type].safeParse(e.payload).success).toBe(true);
  });

  it('writes nothing when a full re-sync finds the same data', async () => {
    const running = await fakes[name]();
    const w = await worldFor(name, modules[name], running);
    await runSync(w, 'full');
    const before = await rowVersions(w);

    const { run } = await runSync(w, 'full');

    expect(run).toMatchObject({ records_created: 0, records_updated: 0, records_deleted: 0 });
    expect(changedVersions(before, await rowVersions(w))).toBe(0);
  });
});

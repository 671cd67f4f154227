/**
 * Provider contract, full imports: for every provider fake, an import whose counts equal what the provider's own
 * client returns (with the run's events valid catalogue events), and a re-sync of unchanged data that writes
 * nothing. The 10,000-record import is in large-import.ts.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalApplication, SyncObjectType } from '../../../../shared/domain/canonical.js';
import { eventCatalog } from '../../../../shared/messages/events.js';
import type { ListPage } from '../../../../shared/ports/provider.js';
import { applicationHistory, type ProviderFixture, type RunningFake } from '../../../fakes/fixture.js';
import { liveCounts, runSync, watchVersions } from '../harness.js';
import { completed, contractWorlds, providerFixtures } from './world.js';

const world = contractWorlds();

/** Distinct remote ids a complete full pass of the provider's client returns, per object type. */
async function clientCounts(fixture: ProviderFixture, fake: RunningFake) {
  const client = fixture.module.createClient({
    credentials: fake.credentials,
    settings: fake.settings,
    clock: fake.clock,
  });
  const counts: Partial<Record<SyncObjectType, number>> = {};
  let duplicates = 0;
  for (const objectType of fixture.module.capabilities.objects) {
    const ids = new Set<string>();
    const applications = new Map<string, { pair: string; active: boolean }>();
    let pageToken: string | null = null;
    do {
      const page: ListPage = await client.listPage(objectType, { mode: 'full', cursor: null, pageToken });
      for (const r of page.records) {
        ids.add(r.remoteId);
        const a = r as CanonicalApplication;
        if (objectType === 'application')
          applications.set(a.remoteId, {
            pair: `${a.candidateRemoteId}:${a.jobRemoteId}`,
            active: a.status === 'active',
          });
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== null);
    // the hub keeps every application but one active per candidate × job; further active ones are reported failed
    const history = applicationHistory([...applications.values()]);
    counts[objectType] = objectType === 'application' ? history.applications : ids.size;
    if (objectType === 'application') duplicates = history.duplicates;
  }
  return {
    counts: { jobs: counts.job, candidates: counts.candidate, applications: counts.application },
    duplicates,
  };
}

describe.each(providerFixtures)('$name full import', (fixture) => {
  it('stores every record a full pass of the provider client returns, exactly once, with valid events', async () => {
    const { w, fake } = await world(fixture, { records: 300, throttled: false });
    const expected = await clientCounts(fixture, fake);

    const { run, runId } = await runSync(w, 'full');

    expect(run).toMatchObject({
      status: completed(expected.duplicates),
      records_failed: expected.duplicates,
    });
    expect(await liveCounts(w)).toEqual(expected.counts);
    expect(expected.counts.applications).toBeGreaterThan(0);
    const events = await w.db.owner<{ event_type: 'sync.completed' | 'import.errors'; payload: unknown }[]>`
      select event_type, payload from outbox where payload->>'syncRunId' = ${runId} and event_type <> 'sync.requested'
      order by id`;
    expect(events.map((e) => e.event_type)).toEqual(
      expected.duplicates > 0 ? ['sync.completed', 'import.errors'] : ['sync.completed'],
    );
    for (const e of events) expect(eventCatalog[e.event_type].safeParse(e.payload).success).toBe(true);
  });

  it('writes nothing when a full re-sync finds the same data', async () => {
    const { w } = await world(fixture, { records: 300, pageSize: 100, throttled: false });
    await runSync(w, 'full');
    const versions = await watchVersions(w);

    const { run } = await runSync(w, 'full');

    expect(run).toMatchObject({ records_created: 0, records_updated: 0, records_deleted: 0 });
    expect(await versions.changed()).toBe(0);
  });
});

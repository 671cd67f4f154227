/**
 * Issue #15, done when (Ashby, where its API has the object): a full sync through the local runtime brings
 * interviews, scorecards and offers, readable through the application routes with what the fake holds. Ashby lists
 * notes one candidate at a time only, so they are opt-in (`candidateNotes`, docs/ats-record.md) and left out here.
 * Lever's run is in ats-record-sync-lever.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import { startAshbyFake } from '../fakes/ashby/index.js';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { type apiClient, fileRuntime, type TestRuntime } from '../support/local-runtime.js';
import { syncedOrganization } from '../support/synced-organization.js';

type Client = ReturnType<typeof apiClient>;
let t: TestRuntime;
let owner: Sql;
let stop: (() => Promise<void>) | undefined;

fileRuntime((runtime, sql) => {
  t = runtime;
  owner = sql;
});

afterEach(async () => {
  await stop?.();
  stop = undefined;
});

const itemsOf = async (ats: Client, path: string) => (await ats('GET', path)).body.items as unknown[];

describe('a full Ashby sync brings the recruiting record', () => {
  it('shows an application its interviews, feedback and offers', async () => {
    const fake = await startAshbyFake({
      jobs: 3,
      candidates: 30,
      clock: createControllableClock(Date.now()),
    });
    stop = () => fake.stop();
    const { ats, run, hubApplication } = await syncedOrganization(t, owner, {
      provider: 'ashby',
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url, rateLimit: { requestsPerSecond: 20, burst: 5 } },
    });
    const { schedules, feedback, offers } = fake.records;
    const schedule = schedules.find((s) => s.events.length > 0)!;
    const app = await hubApplication(schedule.applicationId);
    const events = schedules
      .filter((s) => s.applicationId === schedule.applicationId)
      .reduce((n, s) => n + s.events.length, 0);

    const interviews = await itemsOf(ats, `/applications/${app}/interviews`);
    const scorecards = await itemsOf(ats, `/applications/${app}/scorecards`);
    const offered = await itemsOf(ats, `/applications/${app}/offers`);

    expect(run).toMatchObject({ status: 'succeeded', recordsFailed: 0 });
    expect(interviews).toHaveLength(events);
    expect(scorecards).toHaveLength(
      feedback.filter((f) => f.applicationId === schedule.applicationId).length,
    );
    expect(offered).toHaveLength(offers.filter((o) => o.applicationId === schedule.applicationId).length);
  }, 180_000);
});

/**
 * Provider contract, crash and redelivery: for every provider fake, a worker killed between pages resumes from
 * the last stored page, losing and duplicating nothing and never reading a pass's first page again; a sync
 * request SQS delivers twice is applied once.
 */
import { describe, expect, it } from 'vitest';
import {
  crashOnceAfterPage,
  deliverUntilIdle,
  liveCounts,
  readRun,
  requestRun,
  watchVersions,
} from '../harness.js';
import { completed, contractWorlds, providerFixtures } from './world.js';

const world = contractWorlds();

describe.each(providerFixtures)('$name crash and redelivery', (fixture) => {
  it('resumes after a crash between pages from the last stored page, losing and duplicating nothing', async () => {
    const { w, fake } = await world(fixture, { records: 400, pageSize: 50 });
    const expected = fake.expected();
    crashOnceAfterPage(w, 'application', 3);
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/simulated crash/);
    const firstPages = fake.firstPageReads();
    await deliverUntilIdle(w, message);

    expect(await liveCounts(w)).toEqual(expected.counts);
    expect(await readRun(w, runId)).toMatchObject({
      status: completed(expected.duplicates),
      records_created: expected.counts.jobs + expected.counts.candidates + expected.counts.applications,
      records_failed: expected.duplicates,
    });
    // the resume went on from the stored page token: no pass started over
    expect(fake.firstPageReads()).toBe(firstPages);
    const [refs] = await w.db.owner<{ n: number; distinct_local: number }[]>`
      select count(*)::int as n, count(distinct local_id)::int as distinct_local from external_refs
      where integration_id = ${w.integrationId} and object_type = 'application'`;
    expect(refs).toEqual({ n: expected.counts.applications, distinct_local: expected.counts.applications });
  });

  it('applies a redelivered sync request only once', async () => {
    const { w, fake } = await world(fixture, { records: 60, pageSize: 50 });
    const { message, runId } = await requestRun(w, 'full');
    await deliverUntilIdle(w, message);
    const versions = await watchVersions(w);
    const requests = fake.requests.length;

    const outcomes = await deliverUntilIdle(w, message);

    expect(outcomes).toEqual(['skipped']);
    expect(fake.requests.length).toBe(requests);
    expect(await versions.changed()).toBe(0);
    const [events] = await w.db.owner<{ n: number }[]>`
      select count(*)::int as n from outbox where event_type = 'sync.completed' and payload->>'syncRunId' = ${runId}`;
    expect(events!.n).toBe(1);
  });
});

/**
 * Provider contract, deletions: for every provider fake, a complete full pass soft-deletes what the provider no
 * longer serves and logs each deletion; a full pass that failed part way deletes nothing and completes on
 * redelivery; where the provider reports deletions itself (a delete feed, a transaction log, a Deleted status),
 * an incremental pass applies them.
 */
import { describe, expect, it } from 'vitest';
import { deliverUntilIdle, liveCounts, readRun, requestRun, runSync } from '../harness.js';
import { completed, contractWorlds, deletedLogged, finished, providerFixtures } from './world.js';

const world = contractWorlds();

describe.each(providerFixtures)('$name deletions', (fixture) => {
  it('soft-deletes what a complete full pass no longer sees, and logs each deletion', async () => {
    const { w, fake } = await world(fixture, { records: 120, pageSize: 50 });
    await runSync(w, 'full');
    const deleted = fake.remove();

    const { runId, run } = await runSync(w, 'full');

    expect(run).toMatchObject({ status: completed(fake.expected().duplicates), records_deleted: deleted });
    expect(await liveCounts(w)).toEqual(fake.expected().counts);
    expect(await deletedLogged(w, runId)).toBe(deleted);
  });

  it('deletes nothing after a full pass that failed part way, then completes on redelivery', async () => {
    const { w, fake } = await world(fixture, { records: 250, pageSize: 50 });
    await runSync(w, 'full');
    const deleted = fake.remove();
    // every try of a follow-up page fails (1 + 4 retries): the pass stops after a first page
    fake.failFollowUpPages(5);
    const { message, runId } = await requestRun(w, 'full');
    const before = await liveCounts(w);

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/503|unavailable/);
    expect(await liveCounts(w)).toEqual(before);
    expect(await deletedLogged(w, runId)).toBe(0);

    await deliverUntilIdle(w, message);
    expect(await liveCounts(w)).toEqual(fake.expected().counts);
    expect(await readRun(w, runId)).toMatchObject({
      status: completed(fake.expected().duplicates),
      records_deleted: deleted,
    });
  });
});

const total = (c: { jobs: number; candidates: number; applications: number }) =>
  c.jobs + c.candidates + c.applications;

/** Providers whose fake reports deletions an incremental pass reads (Greenhouse and Ashby send them by webhook). */
const withFeed = providerFixtures.filter((f) => f.reportsDeletions);

describe.each(withFeed)('$name deletions the provider reports', (fixture) => {
  it('soft-deletes on an incremental pass what the provider reports deleted, and logs each deletion', async () => {
    const { w, fake } = await world(fixture, { records: 120, pageSize: 50 });
    await runSync(w, 'full');
    const before = total(await liveCounts(w));
    const deleted = fake.removeViaFeed!();

    const { runId, run } = await runSync(w, 'incremental');

    expect(run).toMatchObject({ status: finished, mode: 'incremental', records_deleted: deleted });
    // what the feed names goes; a candidate left without applications waits for the next full pass
    expect(total(await liveCounts(w))).toBe(before - deleted);
    expect(await deletedLogged(w, runId)).toBe(deleted);
  });
});

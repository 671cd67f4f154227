/**
 * Ashby's quirks in the sync engine (docs/providers.md §4): incremental passes on the sync token handed out on the
 * last page only, and the full pass after incremental_sync_too_large. The scenarios every provider shares are in
 * contract/.
 */
import { describe, expect, it } from 'vitest';
import { type AshbyFake, type AshbyFakeOptions, startAshbyFake } from '../../fakes/ashby/index.js';
import { ashbyConnection } from './connections.js';
import type { SyncWorld } from './harness.js';
import { createWorld, fileDatabase, liveCounts, runSync, updatesOnly, watchVersions } from './harness.js';

const HOUR = 3_600_000;
/** A per-key window above the hub's default Ashby pace (burst 3 + 3/s: at most 33 in any 10 s). */
const WINDOW = { limit: 35, windowSeconds: 10 };
let fake: AshbyFake;

const database = fileDatabase(() => fake?.stop());

async function world(options: AshbyFakeOptions & { pageSize?: number }): Promise<SyncWorld> {
  const { pageSize, ...fakeOptions } = options;
  fake = await startAshbyFake({ jobs: 4, rateLimit: WINDOW, ...fakeOptions });
  return createWorld({
    db: database(),
    ...ashbyConnection(fake, { pageSize: pageSize ?? 100 }),
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

async function storedTokens(w: SyncWorld) {
  const rows = await w.db.owner<{ object_type: string; token: string | null }[]>`
    select object_type, cursor->>'syncToken' as token from sync_cursors
    where integration_id = ${w.integrationId} order by object_type`;
  return Object.fromEntries(rows.map((r) => [r.object_type, r.token]));
}

describe('ashby incremental sync', () => {
  it('sends the stored sync tokens and touches only the changed records', async () => {
    const w = await world({ candidates: 300 });
    await runSync(w, 'full');
    const tokens = await storedTokens(w);
    const versions = await watchVersions(w);
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
    expect(run).toMatchObject(updatesOnly(4 + 1 + 2, 3));
    expect(await versions.changed()).toBe(3);
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

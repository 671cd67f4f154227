/**
 * Workday's quirks in the sync engine (docs/providers.md §5): transaction-log incremental passes (Updated and
 * Effective ranges, future-dated changes), a rescinded candidate, a resume inside one As_Of snapshot, and refused
 * credentials. Workday sends no webhooks (§5.6). The scenarios every provider shares are in contract/.
 */
import { describe, expect, it } from 'vitest';
import type { ThrottleConfig } from '../../fakes/common/fixed-window-throttle.js';
import { movableApplications, moveThreeEditOne, workdayCounts } from '../../fakes/workday/fixture.js';
import { startWorkdayFake, type WorkdayFake } from '../../fakes/workday/index.js';
import { workdayConnection } from './connections.js';
import type { SyncWorld } from './harness.js';
import {
  crashOnceAfterPage,
  createWorld,
  deliverUntilIdle,
  fileDatabase,
  liveCounts,
  readRun,
  requestRun,
  runSync,
  watchVersions,
} from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A pass reads As_Of 60 s before the hub's clock (asOfSkewSeconds): let changes just made fall inside it. */
const settle = () => fake.clock.advance(5 * 60_000);

let fake: WorkdayFake;

const database = fileDatabase(() => fake?.stop());

async function world(options: {
  candidates: number;
  requisitions?: number;
  pageSize?: number;
  throttle?: ThrottleConfig;
  settings?: Record<string, unknown>;
}): Promise<SyncWorld> {
  fake = await startWorkdayFake({
    seed: 7,
    candidates: options.candidates,
    requisitions: options.requisitions ?? 5,
    throttle: options.throttle ?? null,
  });
  return createWorld({
    db: database(),
    ...workdayConnection(fake, { pageSize: options.pageSize ?? 999, ...options.settings }),
  });
}

/** Get_Candidates operations the fake answered, in order. */
const candidateOps = () => fake.operations.filter((o) => o.operation === 'Get_Candidates');

async function applicationSteps(w: SyncWorld): Promise<Map<string, { stage: string; deleted: boolean }>> {
  const rows = await w.db.owner<{ remote_id: string; stage: string; deleted: boolean }[]>`
    select r.remote_id, s.name as stage, a.deleted_at is not null as deleted from external_refs r
    join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'application'`;
  return new Map(rows.map((r) => [r.remote_id, { stage: r.stage, deleted: r.deleted }]));
}

async function deletionLog(w: SyncWorld, runId: string) {
  return w.db.owner<{ object_type: string; remote_id: string; message: string }[]>`
    select object_type, remote_id, message from import_log where sync_run_id = ${runId} and action = 'deleted'
    order by object_type, remote_id`;
}

describe('workday incremental sync', () => {
  it('reads the transaction log since the last pass and touches only what changed', async () => {
    const w = await world({ candidates: 300, pageSize: 100 });
    await runSync(w, 'full');
    const fullOps = candidateOps().length;
    // the As_Of of the full candidate pass and of the full application pass: each pass's cursor
    const previousAsOf = candidateOps()
      .filter((o) => o.page === 1)
      .map((o) => Date.parse(o.asOfEntry!));
    const versions = await watchVersions(w);
    const moved = moveThreeEditOne(fake);
    settle();

    const { run } = await runSync(w, 'incremental');

    // 3 applications moved (their candidates' transaction logs moved too) + 1 candidate edited
    expect(run).toMatchObject({ status: 'succeeded', mode: 'incremental', records_updated: 3 + 3 + 1 });
    expect(await versions.changed()).toBe(3 + 3 + 1);
    const steps = await applicationSteps(w);
    for (const m of moved) {
      expect(steps.get(m.id)?.stage).toBe(fake.state.workflow.find((s) => s.id === m.nextStepId)!.name);
    }
    // each incremental Get_Candidates asked for the two transaction-log windows from the previous As_Of
    // (minus the 300 s overlap) to this pass's As_Of: entered in the window, or became effective in it
    const incremental = candidateOps().slice(fullOps);
    expect(incremental).toHaveLength(2);
    incremental.forEach((op, pass) => {
      const from = previousAsOf[pass]! - 300_000;
      const through = Date.parse(op.asOfEntry!);
      expect(op.criteria).toEqual([
        expect.objectContaining({ updatedFrom: from, updatedThrough: through, effectiveThrough: through }),
        expect.objectContaining({ effectiveFrom: from, effectiveThrough: through }),
      ]);
    });
  });

  it('applies a future-dated move only on the pass during which it becomes effective', async () => {
    const w = await world({ candidates: 60, pageSize: 100 });
    await runSync(w, 'full');
    fake.clock.advance(HOUR);
    const [m] = movableApplications(fake, 1);
    fake.state.moveApplication(m!.id, m!.nextStepId, { effectiveAt: fake.clock.nowMs() + 2 * DAY });
    fake.clock.advance(HOUR);
    const stageBefore = (await applicationSteps(w)).get(m!.id)!.stage;

    const early = await runSync(w, 'incremental');
    fake.clock.advance(3 * DAY);
    const effective = await runSync(w, 'incremental');

    expect(early.run).toMatchObject({ status: 'succeeded', records_updated: 0 });
    // the application and its candidate (whose log carries the move)
    expect(effective.run).toMatchObject({ status: 'succeeded', records_updated: 2 });
    expect(stageBefore).not.toBe('Screen');
    expect((await applicationSteps(w)).get(m!.id)!.stage).toBe(
      fake.state.workflow.find((s) => s.id === m!.nextStepId)!.name,
    );
  });
});

describe('workday deletions', () => {
  it('soft-deletes a rescinded application and a rescinded candidate reported by the transaction log', async () => {
    const w = await world({ candidates: 80, pageSize: 50 });
    await runSync(w, 'full');
    const before = await liveCounts(w);
    fake.clock.advance(HOUR);
    const [m] = movableApplications(fake, 1);
    const goneCandidate = fake.state
      .liveCandidates()
      .find((c) => c.id !== m!.candidateId && c.applications.length === 1)!;
    fake.state.rescindApplication(m!.id);
    fake.state.rescindCandidate(goneCandidate.id);
    settle();

    const { runId, run } = await runSync(w, 'incremental');

    expect(run).toMatchObject({ status: 'succeeded', records_deleted: 3 });
    expect(await liveCounts(w)).toEqual({
      jobs: before.jobs,
      candidates: before.candidates - 1,
      applications: before.applications - 2,
    });
    const byTypeAndId = (a: { object_type: string; remote_id: string }, b: typeof a) =>
      a.object_type < b.object_type
        ? -1
        : a.object_type > b.object_type
          ? 1
          : a.remote_id < b.remote_id
            ? -1
            : 1;
    expect((await deletionLog(w, runId)).sort(byTypeAndId)).toEqual(
      [
        { object_type: 'application', remote_id: m!.id, message: 'deleted at the provider' },
        {
          object_type: 'application',
          remote_id: goneCandidate.applications[0]!.id,
          message: 'deleted at the provider (with its candidate)',
        },
        { object_type: 'candidate', remote_id: goneCandidate.id, message: 'deleted at the provider' },
      ].sort(byTypeAndId),
    );
  });
});

describe('workday crash and resume', () => {
  it('resumes after a crash between pages from the next page of the same snapshot, losing and duplicating nothing', async () => {
    const w = await world({ candidates: 400, pageSize: 50 });
    crashOnceAfterPage(w, 'candidate', 3);
    const { message, runId } = await requestRun(w, 'full');

    await expect(deliverUntilIdle(w, message)).rejects.toThrow(/simulated crash/);
    // meanwhile a candidate of page 1 is rescinded: a fresh read would shift every later page by one
    fake.clock.advance(HOUR);
    fake.state.rescindCandidate(fake.state.liveCandidates()[0]!.id);
    settle();
    await deliverUntilIdle(w, message);

    const pages = candidateOps().map((o) => o.page);
    // candidate pass: pages 1–3 stored, 4 fetched ahead when the crash hit, then 4–8 from the checkpoint (never
    // page 1 again); then the application pass 1–8
    expect(pages).toEqual([1, 2, 3, 4, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    const candidatePass = candidateOps().slice(0, 9);
    expect(new Set(candidatePass.map((o) => o.asOfEntry)).size).toBe(1);
    const [refs] = await w.db.owner<{ n: number; distinct_local: number; live: number }[]>`
      select count(*)::int as n, count(distinct r.local_id)::int as distinct_local,
        count(*) filter (where c.deleted_at is null)::int as live
      from external_refs r join candidates c on c.id = r.local_id
      where r.integration_id = ${w.integrationId} and r.object_type = 'candidate'`;
    expect(refs).toEqual({ n: 400, distinct_local: 400, live: 400 });
    // the application pass started after the rescind: it reads the applications Workday has now
    const now = workdayCounts(fake);
    expect(await readRun(w, runId)).toMatchObject({
      records_processed: now.counts.jobs + 400 + fake.state.liveApplications().length,
      records_failed: now.duplicates,
    });
  });
});

// Workday has no expiring session (§5: a WS-Security UsernameToken on every request): the closest equivalent is
// credentials the tenant refuses (an expired ISU password) until they are replaced
describe('workday credential fallback', () => {
  it('fails the run without retrying when the tenant refuses the credentials, and syncs once they are replaced', async () => {
    const w = await world({ candidates: 40, pageSize: 50 });
    const secretName = [...w.secrets.values.keys()][0]!;
    await w.secrets.put(secretName, { username: fake.username, password: 'expired', tenant: fake.tenant });

    const refused = await runSync(w, 'full');

    expect(refused.run).toMatchObject({ status: 'failed', error: expect.stringMatching(/^auth/) });
    expect(fake.operations.map((o) => o.outcome)).toEqual(['fault']);

    await w.secrets.put(secretName, {
      username: fake.username,
      password: fake.password,
      tenant: fake.tenant,
    });
    fake.clock.advance(HOUR);
    const renewed = await runSync(w, 'full');

    expect(renewed.run.status).toMatch(/^(succeeded|partial)$/);
    expect(await liveCounts(w)).toEqual(workdayCounts(fake).counts);
  });
});

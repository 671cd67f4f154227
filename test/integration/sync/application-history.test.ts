/**
 * An ATS keeps every application of a candidate to a job; the hub imports that history whole and keeps at most one
 * ACTIVE application per candidate × job (applications_one_active_idx). Closed applications the provider reports
 * without a stage (Harvest v3 `job_interview_stage_id: null`) are kept at the job's first stage.
 */
import { describe, expect, it } from 'vitest';
import { submitApplication } from '../../../functions/portal-submission/use-case.js';
import { ANOTHER_ACTIVE_APPLICATION } from '../../../shared/sync/apply-records.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import type { GhApplication } from '../../fakes/greenhouse/state.js';
import { greenhouseConnection } from './connections.js';
import { createWorld, fileDatabase, runSync, type SyncWorld } from './harness.js';

let fake: GreenhouseFake;
const database = fileDatabase(() => fake?.stop());
const HOUR = 3_600_000;

async function world(): Promise<SyncWorld> {
  fake = await startGreenhouseFake({ candidates: 6, jobs: 2 });
  return createWorld({ db: database(), ...greenhouseConnection(fake) });
}

/** A further application at the provider of the same candidate to the same job, applied `afterMs` later. */
function reapply(of: GhApplication, afterMs: number): GhApplication {
  const now = fake.clock.nowMs();
  const app: GhApplication = {
    ...of,
    id: fake.state.nextApplicationId++,
    stageId: fake.state.jobById.get(of.jobId)!.stages[0]!.id,
    applicationStageId: of.applicationStageId === null ? null : of.applicationStageId + 100_000,
    status: 'active',
    rejectedAt: null,
    rejectionReasonId: null,
    createdAt: of.createdAt + afterMs,
    updatedAt: now,
    lastActivityAt: now,
  };
  fake.state.applications.push(app);
  fake.state.applicationById.set(app.id, app);
  return app;
}

/** The hub's applications of a remote application's candidate to its job, by remote id. */
async function pairInHub(w: SyncWorld, remote: GhApplication) {
  return w.db.owner<{ remote_id: string; status: string; stage: string }[]>`
    select r.remote_id, a.status, s.name as stage
    from applications a
    join external_refs r on r.integration_id = ${w.integrationId} and r.object_type = 'application' and r.local_id = a.id
    join job_stages s on s.id = a.stage_id
    join external_refs c on c.integration_id = ${w.integrationId} and c.object_type = 'candidate' and c.local_id = a.candidate_id
    join external_refs j on j.integration_id = ${w.integrationId} and j.object_type = 'job' and j.local_id = a.job_id
    where c.remote_id = ${String(remote.candidateId)} and j.remote_id = ${String(remote.jobId)} and a.deleted_at is null
    order by r.remote_id`;
}

async function failures(w: SyncWorld, runId: string) {
  return w.db.owner<{ remote_id: string; message: string }[]>`
    select remote_id, message from import_log where sync_run_id = ${runId} and action = 'failed'`;
}

describe('application history at import', () => {
  it('imports a rejected application and the re-application that followed it, each as its own row', async () => {
    // prepare
    const w = await world();
    const first = fake.state.applications[0]!;
    fake.rejectApplication(first.id);
    const second = reapply(first, HOUR);

    // act
    const { run } = await runSync(w, 'full');

    // assess
    expect(run).toMatchObject({ status: 'succeeded', records_failed: 0 });
    expect(await pairInHub(w, first)).toEqual([
      expect.objectContaining({ remote_id: String(first.id), status: 'rejected' }),
      expect.objectContaining({ remote_id: String(second.id), status: 'active' }),
    ]);
  });

  it('applies a rejection and the re-application of the same incremental page together', async () => {
    // prepare
    const w = await world();
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);
    const first = fake.state.applications[1]!;
    const second = reapply(first, 2 * HOUR);
    fake.rejectApplication(first.id);

    // act
    const { run } = await runSync(w, 'incremental');

    // assess
    expect(run).toMatchObject({ status: 'succeeded', records_failed: 0 });
    expect((await pairInHub(w, first)).map((a) => [a.remote_id, a.status])).toEqual([
      [String(first.id), 'rejected'],
      [String(second.id), 'active'],
    ]);
  });
});

describe('two active applications of one candidate to one job', () => {
  it('keeps the later applied of one page active and logs the other failed', async () => {
    // prepare
    const w = await world();
    const first = fake.state.applications[2]!;
    const second = reapply(first, HOUR);

    // act
    const { run, runId } = await runSync(w, 'full');

    // assess
    expect(run).toMatchObject({ status: 'partial', records_failed: 1 });
    expect(await failures(w, runId)).toEqual([
      { remote_id: String(first.id), message: ANOTHER_ACTIVE_APPLICATION },
    ]);
    expect((await pairInHub(w, first)).map((a) => [a.remote_id, a.status])).toEqual([
      [String(second.id), 'active'],
    ]);
  });

  it('keeps the active application the hub holds when the provider reports another one later', async () => {
    // prepare
    const w = await world();
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);
    const held = fake.state.applications[3]!;
    const newcomer = reapply(held, 2 * HOUR);

    // act
    const { run, runId } = await runSync(w, 'incremental');

    // assess
    expect(run).toMatchObject({ status: 'partial', records_failed: 1 });
    expect(await failures(w, runId)).toEqual([
      { remote_id: String(newcomer.id), message: ANOTHER_ACTIVE_APPLICATION },
    ]);
    expect((await pairInHub(w, held)).map((a) => [a.remote_id, a.status])).toEqual([
      [String(held.id), 'active'],
    ]);
  });

  it('imports the refused one once the application kept is closed', async () => {
    // prepare
    const w = await world();
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);
    const held = fake.state.applications[4]!;
    const newcomer = reapply(held, 2 * HOUR);
    await runSync(w, 'incremental');
    fake.clock.advance(HOUR);
    fake.rejectApplication(held.id);
    fake.touchApplication(newcomer.id);

    // act
    const { run } = await runSync(w, 'incremental');

    // assess
    expect(run).toMatchObject({ status: 'succeeded', records_failed: 0 });
    expect((await pairInHub(w, held)).map((a) => [a.remote_id, a.status])).toEqual([
      [String(held.id), 'rejected'],
      [String(newcomer.id), 'active'],
    ]);
  });
});

describe('an open portal application the provider reports', () => {
  it('links the first open remote application of its pair to it and refuses a second one', async () => {
    // prepare
    const w = await world();
    await runSync(w, 'full');
    const synced = fake.state.applications[0]!;
    const otherJob = fake.state.jobs.find((j) => j.id !== synced.jobId)!;
    const [job] = await w.db.owner<{ local_id: string }[]>`
      select local_id from external_refs where integration_id = ${w.integrationId} and object_type = 'job'
        and remote_id = ${String(otherJob.id)}`;
    const person = fake.state.candidateById.get(synced.candidateId)!;
    const portal = await submitApplication(
      { sql: w.db.app, objectStore: w.objects, clock: w.deps.clock, uploadTtlSeconds: 900 },
      { organizationId: w.organizationId, role: 'portal', keyId: '00000000-0000-4000-8000-000000000009' },
      {
        jobId: job!.local_id,
        candidate: { firstName: person.firstName, lastName: person.lastName, email: person.emails[0]! },
      },
      undefined,
    );
    fake.clock.advance(HOUR);
    const onOtherJob = { ...synced, jobId: otherJob.id };
    const earlier = reapply(onOtherJob, HOUR);
    const later = reapply(onOtherJob, 2 * HOUR);

    // act
    const { runId } = await runSync(w, 'incremental');

    // assess
    expect(await failures(w, runId)).toEqual([
      { remote_id: String(earlier.id), message: ANOTHER_ACTIVE_APPLICATION },
    ]);
    const [link] = await w.db.owner<{ remote_id: string }[]>`
      select remote_id from external_refs where integration_id = ${w.integrationId} and object_type = 'application'
        and local_id = ${(portal.body.application as { id: string }).id}`;
    expect(link?.remote_id).toBe(String(later.id));
  });
});

describe('closed applications without a stage', () => {
  it('imports a rejected application reported without a stage at the job’s first stage', async () => {
    // prepare
    const w = await world();
    const app = fake.state.applications[5]!;
    fake.rejectApplication(app.id);
    app.stageId = null;

    // act
    const { run } = await runSync(w, 'full');

    // assess
    expect(run).toMatchObject({ status: 'succeeded', records_failed: 0 });
    const [first] = await w.db.owner<{ name: string }[]>`
      select s.name from job_stages s join external_refs j on j.local_id = s.job_id
      where j.integration_id = ${w.integrationId} and j.object_type = 'job' and j.remote_id = ${String(app.jobId)}
      order by s.position limit 1`;
    expect(await pairInHub(w, app)).toEqual([
      { remote_id: String(app.id), status: 'rejected', stage: first!.name },
    ]);
  });

  it('still refuses an active application whose stage the job lacks', async () => {
    // prepare
    const w = await world();
    const app = fake.state.applications[0]!;
    app.stageId = null;

    // act
    const { run, runId } = await runSync(w, 'full');

    // assess
    expect(run).toMatchObject({ status: 'partial', records_failed: 1 });
    expect(await failures(w, runId)).toEqual([
      { remote_id: String(app.id), message: 'stage not found on the job' },
    ]);
  });
});

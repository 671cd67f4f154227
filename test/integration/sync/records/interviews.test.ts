import { describe, expect, it } from 'vitest';
import {
  applyPage,
  remoteApplication,
  remoteInterview,
  remoteJob,
  seedSyncedApplication,
  syncScope,
  T0,
  T2,
} from '../../../support/ats-records.js';
import { emptiedDatabase, seedIntegration } from '../harness.js';

const db = emptiedDatabase();

async function world() {
  const ids = await seedIntegration(db.owner, 'greenhouse', {});
  const scope = syncScope(ids);
  await seedSyncedApplication(db.app, scope);
  return { ids, scope };
}

const interviewRow = async (remoteId = 'int-1') => {
  const [row] = await db.owner<
    {
      id: string;
      xmin: string;
      title: string;
      stage_name: string | null;
      stage: string | null;
      status: string;
      source: string;
      deleted_at: Date | null;
      interviewers: unknown;
      ref_updated_at: Date | null;
    }[]
  >`
    select i.id, i.xmin::text, i.title, i.stage_name, s.name as stage, i.status, i.source, i.deleted_at,
      i.interviewers, r.remote_updated_at as ref_updated_at
    from external_refs r join interviews i on i.id = r.local_id left join job_stages s on s.id = i.stage_id
    where r.object_type = 'interview' and r.remote_id = ${remoteId}`;
  return row;
};

const events = (type: string) =>
  db.owner<{ payload: Record<string, unknown> }[]>`select payload from outbox where event_type = ${type}`;

describe('sync of interviews', () => {
  it('stores a new interview on its application, linked, with the stage of its job and the provider as source', async () => {
    const { scope } = await world();

    const outcome = await applyPage(db.app, scope, 'interview', [remoteInterview()]);

    expect(outcome).toMatchObject({ created: 1, updated: 0, failed: 0 });
    const row = await interviewRow();
    expect(row).toMatchObject({
      title: 'Technical interview',
      stage: 'Onsite',
      stage_name: 'Onsite',
      source: 'greenhouse',
      interviewers: [{ name: 'Alan Turing', email: 'alan@example.com' }],
    });
    expect(row?.ref_updated_at?.toISOString()).toBe(remoteInterview().remoteUpdatedAt);
  });

  it('finds the stage by name on the application job when the remote stage id is unknown', async () => {
    const { scope } = await world();

    await applyPage(db.app, scope, 'interview', [
      remoteInterview({ stage: { remoteId: 'other', name: 'phone screen' } }),
    ]);

    expect((await interviewRow())?.stage).toBe('Phone Screen');
  });

  it('keeps the stage name without a stage when the job has no such stage', async () => {
    const { scope } = await world();

    await applyPage(db.app, scope, 'interview', [
      remoteInterview({ stage: { remoteId: null, name: 'Culture fit' } }),
    ]);

    expect(await interviewRow()).toMatchObject({ stage: null, stage_name: 'Culture fit' });
  });

  it('logs an interview of an application not synced as failed and stores nothing', async () => {
    const { scope } = await world();

    const outcome = await applyPage(db.app, scope, 'interview', [
      remoteInterview({ applicationRemoteId: 'app-x' }),
    ]);

    expect(outcome).toMatchObject({ created: 0, failed: 1 });
    expect(outcome.log).toEqual([
      { objectType: 'interview', remoteId: 'int-1', action: 'failed', message: 'application not synced' },
    ]);
    expect(await interviewRow()).toBeUndefined();
  });

  it('rewrites no row when the same interview is synced again', async () => {
    const { scope } = await world();
    await applyPage(db.app, scope, 'interview', [remoteInterview()]);
    const before = await interviewRow();

    const outcome = await applyPage(db.app, scope, 'interview', [remoteInterview()]);

    expect(outcome).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect((await interviewRow())?.xmin).toBe(before?.xmin);
  });

  it('updates a changed interview with a newer timestamp and moves its ref forward', async () => {
    const { scope } = await world();
    await applyPage(db.app, scope, 'interview', [remoteInterview()]);

    const outcome = await applyPage(db.app, scope, 'interview', [
      remoteInterview({ status: 'completed', remoteUpdatedAt: T2 }),
    ]);

    expect(outcome).toMatchObject({ created: 0, updated: 1 });
    const row = await interviewRow();
    expect(row?.status).toBe('completed');
    expect(row?.ref_updated_at?.toISOString()).toBe(T2);
  });

  it('never lets an older state overwrite a newer one', async () => {
    const { scope } = await world();
    await applyPage(db.app, scope, 'interview', [
      remoteInterview({ status: 'completed', remoteUpdatedAt: T2 }),
    ]);

    const outcome = await applyPage(db.app, scope, 'interview', [
      remoteInterview({ status: 'cancelled', remoteUpdatedAt: T0 }),
    ]);

    expect(outcome.updated).toBe(0);
    expect((await interviewRow())?.status).toBe('completed');
  });

  it('restores a soft-deleted interview the provider reports again', async () => {
    const { scope } = await world();
    await applyPage(db.app, scope, 'interview', [remoteInterview()]);
    await db.owner`update interviews set deleted_at = now()`;

    const outcome = await applyPage(db.app, scope, 'interview', [remoteInterview()]);

    expect(outcome.updated).toBe(1);
    expect((await interviewRow())?.deleted_at).toBeNull();
  });

  it('announces interview.scheduled once, when a scheduled interview is first stored', async () => {
    const { scope } = await world();

    await applyPage(db.app, scope, 'interview', [remoteInterview()]);
    await applyPage(db.app, scope, 'interview', [remoteInterview({ title: 'Renamed', remoteUpdatedAt: T2 })]);

    const row = await interviewRow();
    const scheduled = await events('interview.scheduled');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.payload).toMatchObject({ interviewId: row?.id, source: 'greenhouse' });
  });

  it('announces nothing for an interview first stored as cancelled', async () => {
    const { scope } = await world();

    await applyPage(db.app, scope, 'interview', [remoteInterview({ status: 'cancelled' })]);

    expect(await events('interview.scheduled')).toHaveLength(0);
  });

  it('moves an interview to the application the provider now reports', async () => {
    const { scope } = await world();
    await applyPage(db.app, scope, 'application', [
      remoteApplication({ remoteId: 'app-2', jobRemoteId: 'job-2' }),
    ]);
    await applyPage(db.app, scope, 'job', [remoteJob({ remoteId: 'job-2' })]);
    await applyPage(db.app, scope, 'application', [
      remoteApplication({ remoteId: 'app-2', jobRemoteId: 'job-2' }),
    ]);
    await applyPage(db.app, scope, 'interview', [remoteInterview()]);

    await applyPage(db.app, scope, 'interview', [
      remoteInterview({ applicationRemoteId: 'app-2', remoteUpdatedAt: T2 }),
    ]);

    const [row] = await db.owner<{ remote_id: string }[]>`
      select r.remote_id from interviews i join external_refs r on r.local_id = i.application_id
      where r.object_type = 'application'`;
    expect(row?.remote_id).toBe('app-2');
  });
});

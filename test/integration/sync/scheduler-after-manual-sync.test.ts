/**
 * The scheduler after a manual full sync: with the cursors stored, a due sync is incremental, and a run that has
 * just finished is not due (no second full run and no second `sync.completed` seconds after the first).
 */
import { describe, expect, it } from 'vitest';
import { tick } from '../../../functions/sync-scheduler/use-case.js';
import { emptiedDatabase, StubQueue, seedIntegration } from './harness.js';

const db = emptiedDatabase();
const now = new Date('2026-03-01T12:00:00.000Z');
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

const run = () =>
  tick({
    sql: db.app,
    queues: { sync: new StubQueue(), notify: new StubQueue() },
    clock: { now: () => now },
  });

/** An integration never stamped by the scheduler, with a manual full run finished `finishedSecondsAgo`. */
async function afterManualFullSync(finishedSecondsAgo: number, cursors: boolean) {
  const { organizationId, integrationId } = await seedIntegration(db.owner, 'greenhouse', {});
  await db.owner`update integrations set sync_interval_seconds = 900, full_sync_interval_seconds = 86400
    where id = ${integrationId}`;
  await db.owner`insert into sync_runs (organization_id, integration_id, mode, status, requested_by, created_at, started_at, completed_at)
    values (${organizationId}, ${integrationId}, 'full', 'succeeded', 'api', ${secondsAgo(finishedSecondsAgo + 30)},
      ${secondsAgo(finishedSecondsAgo + 30)}, ${secondsAgo(finishedSecondsAgo)})`;
  if (cursors) {
    for (const objectType of ['job', 'candidate', 'application']) {
      await db.owner`insert into sync_cursors (organization_id, integration_id, object_type, cursor)
        values (${organizationId}, ${integrationId}, ${objectType}, '{"updatedAfter":"2026-03-01T11:59:00Z"}')`;
    }
  }
  return integrationId;
}

const scheduledRuns = async (integrationId: string) =>
  db.owner<{ mode: string }[]>`
    select mode from sync_runs where integration_id = ${integrationId} and requested_by = 'schedule'`;

describe('sync scheduler after a manual full sync', () => {
  it('starts nothing a few seconds after it succeeded', async () => {
    const integrationId = await afterManualFullSync(5, true);

    const result = await run();

    expect(result.enqueued).toEqual({ full: 0, incremental: 0 });
    expect(await scheduledRuns(integrationId)).toEqual([]);
  });

  it('starts an incremental sync, not a full one, once the sync interval has passed', async () => {
    const integrationId = await afterManualFullSync(901, true);

    const result = await run();

    expect(result.enqueued).toEqual({ full: 0, incremental: 1 });
    expect(await scheduledRuns(integrationId)).toEqual([{ mode: 'incremental' }]);
  });

  it('starts a full sync for an integration that never synced and has no cursors', async () => {
    const { integrationId } = await seedIntegration(db.owner, 'greenhouse', {});

    const result = await run();

    expect(result.enqueued).toEqual({ full: 1, incremental: 0 });
    expect(await scheduledRuns(integrationId)).toEqual([{ mode: 'full' }]);
  });
});

/**
 * The page's opening statement (openPage): lease, checkpoint, seen ids and raw-page index in one statement, with
 * the same outcomes as the separate statements it replaced.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startPass } from '../../../shared/db/repositories/sync-cursors.js';
import { openPage } from '../../../shared/db/repositories/sync-page.js';
import { withTenant } from '../../../shared/db/tenant.js';
import { emptiedDatabase, seedIntegration } from './harness.js';

const db = emptiedDatabase();
const now = new Date('2026-03-01T10:00:00.000Z');

async function runningPass() {
  const { organizationId, integrationId } = await seedIntegration(db.owner, 'greenhouse', {});
  const runId = randomUUID();
  const passId = randomUUID();
  await db.owner`insert into sync_runs (id, organization_id, integration_id, mode, status, started_at, lease_token, lease_until)
    values (${runId}, ${organizationId}, ${integrationId}, 'full', 'running', ${now}, 'mine', ${new Date(now.getTime() + 60_000)})`;
  await withTenant(db.app, organizationId, 'worker', (tx) =>
    startPass(tx, {
      organizationId,
      integrationId,
      objectType: 'candidate',
      passId,
      runId,
      mode: 'full',
      now,
      dropCursor: false,
      restarts: 0,
    }),
  );
  return { organizationId, integrationId, runId, passId };
}

type Pass = Awaited<ReturnType<typeof runningPass>>;

const open = (pass: Pass, over: { token?: string; pagesDone?: number } = {}) =>
  withTenant(db.app, pass.organizationId, 'worker', (tx) =>
    openPage(tx, {
      runId: pass.runId,
      leaseToken: over.token ?? 'mine',
      checkpoint: {
        integrationId: pass.integrationId,
        objectType: 'candidate',
        passId: pass.passId,
        expectedPagesDone: over.pagesDone ?? 0,
        nextPageToken: 'page-2',
        completion: null,
        now,
      },
      seen: { ...pass, objectType: 'candidate', page: 1, remoteIds: ['c-1', 'c-2'] },
      rawPage: {
        organizationId: pass.organizationId,
        integrationId: pass.integrationId,
        key: `raw/${pass.runId}/candidate/1.json`,
        objectType: 'candidate',
        records: [{ remoteId: 'c-1' }, { remoteId: 'c-2' }],
        now,
      },
    }),
  );

const state = async (pass: Pass) => {
  const [row] = await db.owner<{ pages_done: number; seen: number; raw: number }[]>`
    select (select pages_done from sync_cursors where integration_id = ${pass.integrationId}) as pages_done,
      (select count(*)::int from sync_seen where pass_id = ${pass.passId}) as seen,
      (select count(*)::int from raw_payload_pages where integration_id = ${pass.integrationId}) as raw`;
  return row;
};

describe('the sync page opening statement', () => {
  it('advances the checkpoint and stores the seen ids and the raw page index while the lease is held', async () => {
    const pass = await runningPass();

    const opened = await open(pass);

    expect(opened).toEqual({ leased: true, advanced: true });
    expect(await state(pass)).toEqual({ pages_done: 1, seen: 1, raw: 1 });
  });

  it('reports a lease held by another token and leaves the checkpoint where it was', async () => {
    const pass = await runningPass();

    const opened = await open(pass, { token: 'theirs' });

    expect(opened).toEqual({ leased: false, advanced: false });
    expect((await state(pass))?.pages_done).toBe(0);
  });

  it('reports a checkpoint that moved under the piece', async () => {
    const pass = await runningPass();

    const opened = await open(pass, { pagesDone: 3 });

    expect(opened).toEqual({ leased: true, advanced: false });
  });
});

/**
 * Webhook application and status push quirks of the Greenhouse fake: deliveries applied once, in the right order
 * whatever order they arrive in, under the ATS rules; a transient failure left for SQS; no echo of Greenhouse's
 * own changes. Moves and stale guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { recordDelivery } from '../../../shared/db/repositories/webhook-deliveries.js';
import { withTenant } from '../../../shared/db/tenant.js';
import type { WebhookMessage } from '../../../shared/messages/queue-messages.js';
import { RetryLaterError } from '../../../shared/sync/errors.js';
import { type GreenhouseFake, greenhouseJson, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { greenhouseConnection } from './connections.js';
import { runSync, type SyncWorld } from './harness.js';
import {
  budget,
  handleTwice,
  latestOutboxMessage,
  localApplication,
  pushLogOf,
  rejectInHub,
  stageHistoryCount,
  syncedWorlds,
} from './writes-support.js';

const HOUR = 3_600_000;
let fake: GreenhouseFake;
let w: SyncWorld;
let deliveries = 0;

// Harvest v3 reject requires a reason: the hub's rejection names none, so the integration's default goes.
const syncedWorld = syncedWorlds(
  () => startGreenhouseFake({ candidates: 40, jobs: 2 }),
  (f) => greenhouseConnection(f, { defaultRejectionReasonId: '9001' }),
  (started) => ({ fake, w } = started),
);

/** What webhook-intake does with a verified body: record it once, hand the worker a `webhook` message. */
async function deliver(event: unknown): Promise<WebhookMessage> {
  deliveries += 1;
  const rowId = await withTenant(w.db.app, w.organizationId, 'worker', (tx) =>
    recordDelivery(tx, {
      organizationId: w.organizationId,
      integrationId: w.integrationId,
      deliveryId: `d-${deliveries}`,
      bodySha256: `sha-${deliveries}-${Math.random()}`,
      eventType: (event as { action: string }).action,
      payload: greenhouseJson(event),
      sourceTimestamp: null,
    }),
  );
  return {
    type: 'webhook',
    organizationId: w.organizationId,
    integrationId: w.integrationId,
    deliveryRowId: rowId!,
  };
}

function otherStages(appId: number) {
  const app = fake.state.applicationById.get(appId)!;
  return fake.state.jobById.get(app.jobId)!.stages.filter((s) => s.id !== app.stageId && s.name !== 'Offer');
}

describe('webhook application', () => {
  it('ends in the newest state when stage changes arrive out of order', async () => {
    await syncedWorld();
    const app = fake.state.applications[0]!;
    const [first, second] = otherStages(app.id);
    fake.clock.advance(HOUR);
    fake.moveApplication(app.id, first!.id);
    const older = fake.events.stageChange(app.id);
    fake.clock.advance(HOUR);
    fake.moveApplication(app.id, second!.id);
    const newer = fake.events.stageChange(app.id);

    const newerOutcome = await handleSyncMessage(w.deps, await deliver(newer), budget);
    const olderOutcome = await handleSyncMessage(w.deps, await deliver(older), budget);

    expect([newerOutcome, olderOutcome]).toEqual(['applied', 'ignored']);
    expect(await localApplication(w, app.id)).toMatchObject({ stage: second!.name, status: 'active' });
    const skipped = await w.db
      .owner`select message from import_log where integration_id = ${w.integrationId} and action = 'skipped'`;
    expect(skipped).toEqual([{ message: 'older than the state already applied' }]);
  });

  it('applies a redelivered webhook message only once', async () => {
    await syncedWorld();
    const app = fake.state.applications[1]!;
    fake.clock.advance(HOUR);
    fake.moveApplication(app.id, otherStages(app.id)[0]!.id);
    const message = await deliver(fake.events.stageChange(app.id));

    const outcomes = await handleTwice(w, message);

    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(await stageHistoryCount(w, app.id)).toBe(2);
  });

  it('records a move the ATS rules forbid as skipped instead of failing', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    fake.clock.advance(HOUR);
    fake.rejectApplication(app.id);
    const rejected = { ...fake.events.applicationUpdated(app.id), action: 'reject_candidate' };
    await handleSyncMessage(w.deps, await deliver(rejected), budget);
    fake.clock.advance(HOUR);
    fake.moveApplication(app.id, otherStages(app.id)[0]!.id);

    const outcome = await handleSyncMessage(w.deps, await deliver(fake.events.stageChange(app.id)), budget);

    expect(outcome).toBe('ignored');
    expect(await localApplication(w, app.id)).toMatchObject({ status: 'rejected' });
    const [log] = await w.db
      .owner`select message from import_log where integration_id = ${w.integrationId} and action = 'skipped'`;
    expect(log?.message).toMatch(/^INVALID_TRANSITION/);
  });

  it('soft-deletes on delete_application and moves applications on merge_candidate', async () => {
    await syncedWorld();
    const gone = fake.state.applications[3]!;
    const loser = fake.state.candidates[4]!;
    const winner = fake.state.candidates[5]!;
    const loserApp = fake.state.applications.find((a) => a.candidateId === loser.id)!;
    const deleteEvent = fake.deleteApplication(gone.id);
    const mergeEvent = fake.mergeCandidates(loser.id, winner.id);

    await handleSyncMessage(w.deps, await deliver(deleteEvent), budget);
    await handleSyncMessage(w.deps, await deliver(mergeEvent), budget);

    expect((await localApplication(w, gone.id)).deleted).toBe(true);
    const [candidates] = await w.db.owner<{ loser_deleted: boolean; winner: string }[]>`
      select (select deleted_at is not null from candidates where id = l.local_id) as loser_deleted, wr.local_id as winner
      from external_refs l, external_refs wr
      where l.integration_id = ${w.integrationId} and l.object_type = 'candidate' and l.remote_id = ${String(loser.id)}
        and wr.integration_id = ${w.integrationId} and wr.object_type = 'candidate' and wr.remote_id = ${String(winner.id)}`;
    expect(candidates!.loser_deleted).toBe(true);
    expect(await localApplication(w, loserApp.id)).toMatchObject({
      candidate_id: candidates!.winner,
      deleted: false,
    });
  });
});

describe('status push', () => {
  it('leaves a transient failure pending for SQS to redeliver, then pushes it', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    const message = await rejectInHub(w, app.id);
    fake.failNext(5, { kind: 'status', status: 503 }, (r) => r.path.endsWith('/reject'));

    await expect(handleSyncMessage(w.deps, message, budget)).rejects.toBeInstanceOf(RetryLaterError);
    expect(await pushLogOf(w)).toMatchObject([{ status: 'pending', attempts: 1 }]);

    await handleSyncMessage(w.deps, message, budget);
    expect(await pushLogOf(w)).toMatchObject([{ status: 'succeeded', attempts: 2 }]);
    expect(fake.state.applicationById.get(app.id)!.status).toBe('rejected');
  });

  it('does not echo a change Greenhouse itself reported', async () => {
    await syncedWorld();
    const app = fake.state.applications[3]!;
    fake.clock.advance(HOUR);
    fake.moveApplication(app.id, otherStages(app.id)[0]!.id);
    await runSync(w, 'incremental');
    const message = await latestOutboxMessage(w, 'application.stage_changed');
    const moves = fake.requests.filter((r) => r.path.endsWith('/move')).length;

    await handleSyncMessage(w.deps, message, budget);

    expect(await pushLogOf(w)).toMatchObject([{ status: 'skipped' }]);
    expect(fake.requests.filter((r) => r.path.endsWith('/move'))).toHaveLength(moves);
  });
});

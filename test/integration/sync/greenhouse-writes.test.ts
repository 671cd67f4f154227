/**
 * Webhook application and status push quirks of the Greenhouse fake: deliveries applied once, in the right order
 * whatever order they arrive in, under the ATS rules; a transient failure left for SQS; no echo of Greenhouse's
 * own changes. Moves and stale guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { recordDelivery } from '../../../shared/db/repositories/webhook-deliveries.js';
import { withTenant } from '../../../shared/db/tenant.js';
import type { WebhookMessage } from '../../../shared/messages/queue-messages.js';
import { provider as greenhouse } from '../../../shared/providers/greenhouse/index.js';
import { RetryLaterError } from '../../../shared/sync/errors.js';
import { type GreenhouseFake, greenhouseJson, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { createWorld, fileDatabase, runSync, type SyncWorld } from './harness.js';
import { atsPrincipal, latestOutboxMessage, noQueues, pushLogOf } from './writes-support.js';

const HOUR = 3_600_000;
let fake: GreenhouseFake;
let w: SyncWorld;
let deliveries = 0;

const database = fileDatabase(() => fake?.stop());

async function syncedWorld(): Promise<SyncWorld> {
  fake = await startGreenhouseFake({ candidates: 40, jobs: 2 });
  w = await createWorld({
    db: database(),
    provider: 'greenhouse',
    module: greenhouse,
    credentials: fake.credentials,
    settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 5_000 },
    clock: fake.clock,
  });
  await runSync(w, 'full');
  return w;
}

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

async function localApplication(remoteId: number) {
  const [row] = await w.db.owner<
    { id: string; stage: string; status: string; deleted: boolean; candidate_id: string }[]
  >`
    select a.id, s.name as stage, a.status, a.deleted_at is not null as deleted, a.candidate_id
    from external_refs r join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'application' and r.remote_id = ${String(remoteId)}`;
  return row!;
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

    const newerOutcome = await handleSyncMessage(w.deps, await deliver(newer), { remainingMs: () => 60_000 });
    const olderOutcome = await handleSyncMessage(w.deps, await deliver(older), { remainingMs: () => 60_000 });

    expect([newerOutcome, olderOutcome]).toEqual(['applied', 'ignored']);
    expect(await localApplication(app.id)).toMatchObject({ stage: second!.name, status: 'active' });
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

    const outcomes = [
      await handleSyncMessage(w.deps, message, { remainingMs: () => 60_000 }),
      await handleSyncMessage(w.deps, message, { remainingMs: () => 60_000 }),
    ];

    expect(outcomes).toEqual(['applied', 'duplicate']);
    const [history] = await w.db.owner<{ n: number }[]>`
      select count(*)::int as n from application_stage_history where application_id = ${(await localApplication(app.id)).id}`;
    expect(history!.n).toBe(2);
  });

  it('records a move the ATS rules forbid as skipped instead of failing', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    fake.clock.advance(HOUR);
    fake.rejectApplication(app.id);
    const rejected = { ...fake.events.applicationUpdated(app.id), action: 'reject_candidate' };
    await handleSyncMessage(w.deps, await deliver(rejected), { remainingMs: () => 60_000 });
    fake.clock.advance(HOUR);
    fake.moveApplication(app.id, otherStages(app.id)[0]!.id);

    const outcome = await handleSyncMessage(w.deps, await deliver(fake.events.stageChange(app.id)), {
      remainingMs: () => 60_000,
    });

    expect(outcome).toBe('ignored');
    expect(await localApplication(app.id)).toMatchObject({ status: 'rejected' });
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

    await handleSyncMessage(w.deps, await deliver(deleteEvent), { remainingMs: () => 60_000 });
    await handleSyncMessage(w.deps, await deliver(mergeEvent), { remainingMs: () => 60_000 });

    expect((await localApplication(gone.id)).deleted).toBe(true);
    const [candidates] = await w.db.owner<{ loser_deleted: boolean; winner: string }[]>`
      select (select deleted_at is not null from candidates where id = l.local_id) as loser_deleted, wr.local_id as winner
      from external_refs l, external_refs wr
      where l.integration_id = ${w.integrationId} and l.object_type = 'candidate' and l.remote_id = ${String(loser.id)}
        and wr.integration_id = ${w.integrationId} and wr.object_type = 'candidate' and wr.remote_id = ${String(winner.id)}`;
    expect(candidates!.loser_deleted).toBe(true);
    expect(await localApplication(loserApp.id)).toMatchObject({
      candidate_id: candidates!.winner,
      deleted: false,
    });
  });
});

const outboxMessage = (eventType: string) => latestOutboxMessage(w, eventType);

const ats = () => atsPrincipal(w);

const pushLog = () => pushLogOf(w);

describe('status push', () => {
  it('leaves a transient failure pending for SQS to redeliver, then pushes it', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    await changeStatus({ sql: w.db.app, queues: noQueues }, ats(), (await localApplication(app.id)).id, {
      status: 'rejected',
    });
    const message = await outboxMessage('application.status_changed');
    fake.failNext(5, { kind: 'status', status: 503 }, (r) => r.path.endsWith('/reject'));

    await expect(handleSyncMessage(w.deps, message, { remainingMs: () => 60_000 })).rejects.toBeInstanceOf(
      RetryLaterError,
    );
    expect(await pushLog()).toMatchObject([{ status: 'pending', attempts: 1 }]);

    await handleSyncMessage(w.deps, message, { remainingMs: () => 60_000 });
    expect(await pushLog()).toMatchObject([{ status: 'succeeded', attempts: 2 }]);
    expect(fake.state.applicationById.get(app.id)!.status).toBe('rejected');
  });

  it('does not echo a change Greenhouse itself reported', async () => {
    await syncedWorld();
    const app = fake.state.applications[3]!;
    fake.clock.advance(HOUR);
    fake.moveApplication(app.id, otherStages(app.id)[0]!.id);
    await runSync(w, 'incremental');
    const message = await outboxMessage('application.stage_changed');
    const moves = fake.requests.filter((r) => r.path.endsWith('/move')).length;

    await handleSyncMessage(w.deps, message, { remainingMs: () => 60_000 });

    expect(await pushLog()).toMatchObject([{ status: 'skipped' }]);
    expect(fake.requests.filter((r) => r.path.endsWith('/move'))).toHaveLength(moves);
  });
});

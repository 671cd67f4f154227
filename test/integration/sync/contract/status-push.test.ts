/**
 * Provider contract, status push: for every provider fake, a hub move is pushed once however often SQS delivers
 * it; a move made from a stale view (a recruiter moved the application at the provider meanwhile) is recorded as
 * refused, surfaced on the integration, and neither retried nor written over the recruiter's move.
 */
import { describe, expect, it } from 'vitest';
import { moveStage } from '../../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../../functions/sync-worker/use-case.js';
import type { ProviderFixture } from '../../../fakes/fixture.js';
import { runSync, type SyncWorld } from '../harness.js';
import { atsPrincipal, latestOutboxMessage, noQueues, pushLogOf } from '../writes-support.js';
import { contractWorlds, providerFixtures } from './world.js';

const world = contractWorlds();
const budget = { remainingMs: () => 60_000 };

async function syncedWorld(fixture: ProviderFixture) {
  const synced = await world(fixture, fixture.sizes.push);
  await runSync(synced.w, 'full');
  return synced;
}

/** The hub moves the application as the ATS would: an outbox change for the worker to push. */
async function hubMove(w: SyncWorld, remoteId: string, toStage: string) {
  const [ref] = await w.db.owner<{ local_id: string }[]>`
    select local_id from external_refs
    where integration_id = ${w.integrationId} and object_type = 'application' and remote_id = ${remoteId}`;
  await moveStage({ sql: w.db.app, queues: noQueues }, atsPrincipal(w), ref!.local_id, { toStage });
}

describe.each(providerFixtures)('$name status push', (fixture) => {
  it('moves the application at the provider, once however often the message comes', async () => {
    const { w, fake } = await syncedWorld(fixture);
    const push = fake.pushCase(0);
    await hubMove(w, push.remoteId, push.toStage);
    const message = await latestOutboxMessage(w, 'application.stage_changed');

    await handleSyncMessage(w.deps, message, budget);
    await handleSyncMessage(w.deps, message, budget);

    expect(push.stageAtProvider()).toBe(push.targetId);
    expect(await pushLogOf(w)).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(push.writes()).toBe(1);
  });

  it('records a move with a stale guard as refused and surfaces it, without retrying or writing over', async () => {
    const { w, fake } = await syncedWorld(fixture);
    const push = fake.pushCase(1);
    await hubMove(w, push.remoteId, push.toStage);
    // meanwhile a recruiter moved it at the provider: the hub's last-known stage is stale
    const elsewhere = push.moveElsewhere();
    const message = await latestOutboxMessage(w, 'application.stage_changed');

    await handleSyncMessage(w.deps, message, budget);
    await handleSyncMessage(w.deps, message, budget);

    expect(push.stageAtProvider()).toBe(elsewhere);
    expect(await pushLogOf(w)).toEqual([{ status: 'refused', attempts: 1, last_error: expect.any(String) }]);
    const [integration] = await w.db.owner<{ health_detail: Record<string, unknown> }[]>`
      select health_detail from integrations where id = ${w.integrationId}`;
    expect(integration!.health_detail['lastRefusedPush']).toMatchObject({ outboxId: message.outboxId });
    expect(push.writes()).toBe(fixture.staleWrites);
  });
});

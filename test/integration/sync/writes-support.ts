/**
 * Shared pieces of the `<provider>-writes` tests: the outbox message a hub change produced, as the relay would
 * hand it to the worker; an ATS principal; the integration's status push log; webhook intake as the HTTP
 * handler runs it; the hub's row for a remote application.
 */
import { changeStatus } from '../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { IntegrationRouteCache, receiveWebhook } from '../../../functions/webhook-intake/use-case.js';
import { webhookSecretName } from '../../../shared/integrations/secret-names.js';
import type { HubMessage, OutboxMessage } from '../../../shared/messages/queue-messages.js';
import type { Clock } from '../../../shared/ports/clock.js';
import { lookupIn, type ProviderModule } from '../../../shared/ports/provider.js';
import type { ProviderName } from '../../../shared/providers/registry.js';
import type { Connection } from './connections.js';
import { createWorld, fileDatabase, runSync, type SyncWorld } from './harness.js';

export const budget = { remainingMs: () => 60_000 };

/**
 * Registers the file's database and stops the fake a test started after it; returns how to start the file's fake,
 * wire a world to it, store its webhook signing secret if it has one, and run the full sync the tests start from.
 * Each start hands the fake and the world to `assign` (the test file's own variables) and answers the world.
 */
export function syncedWorlds<F extends { stop(): Promise<void> }>(
  startFake: () => Promise<F>,
  connect: (fake: F) => Connection,
  assign: (started: { fake: F; w: SyncWorld }) => void,
  webhookSecret?: string,
) {
  let running: F | undefined;
  const database = fileDatabase(() => running?.stop());
  return async (): Promise<SyncWorld> => {
    const fake = await startFake();
    running = fake;
    const w = await createWorld({ db: database(), ...connect(fake) });
    if (webhookSecret !== undefined)
      await w.secrets.put(webhookSecretName(w.integrationId), { current: webhookSecret, previous: [] });
    await runSync(w, 'full');
    assign({ fake, w });
    return w;
  };
}

/** The newest outbox row of this event type in the world's organization, as an SQS outbox message. */
export async function latestOutboxMessage(
  w: Pick<SyncWorld, 'db' | 'organizationId'>,
  eventType: string,
): Promise<OutboxMessage> {
  const [row] = await w.db.owner<
    { id: string; aggregate_id: string; payload: Record<string, unknown>; created_at: Date }[]
  >`
    select id::text, aggregate_id, payload, created_at from outbox
    where organization_id = ${w.organizationId} and event_type = ${eventType} order by id desc limit 1`;
  return {
    type: 'outbox',
    outboxId: row!.id,
    organizationId: w.organizationId,
    eventType,
    aggregateType: 'application',
    aggregateId: row!.aggregate_id,
    payload: row!.payload,
    createdAt: row!.created_at.toISOString(),
  };
}

export const atsPrincipal = (w: SyncWorld) => ({
  organizationId: w.organizationId,
  role: 'ats' as const,
  keyId: '00000000-0000-4000-8000-000000000010',
});

/** No relay queues: the tests hand outbox messages to the worker themselves. */
export const noQueues = { sync: undefined, notify: undefined };

/** An ATS user rejects the hub's application; returns the outbox message the relay would hand the worker. */
export async function rejectInHub(w: SyncWorld, remoteId: string | number): Promise<OutboxMessage> {
  const { id } = await localApplication(w, remoteId);
  await changeStatus({ sql: w.db.app, queues: noQueues }, atsPrincipal(w), id, { status: 'rejected' });
  return latestOutboxMessage(w, 'application.status_changed');
}

/** The worker handles the message twice, as SQS redelivers it; returns both outcomes. */
export async function handleTwice(w: SyncWorld, message: HubMessage): Promise<string[]> {
  return [await handleSyncMessage(w.deps, message, budget), await handleSyncMessage(w.deps, message, budget)];
}

export async function pushLogOf(w: SyncWorld) {
  return w.db.owner<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from status_push_log where integration_id = ${w.integrationId} order by id`;
}

export async function lastRefusedPush(w: SyncWorld) {
  const [integration] = await w.db.owner<{ health_detail: Record<string, unknown> }[]>`
    select health_detail from integrations where id = ${w.integrationId}`;
  return integration!.health_detail['lastRefusedPush'];
}

/** The hub's application for a remote one: its id, stage name, status, soft-deletion and candidate. */
export async function localApplication(w: SyncWorld, remoteId: string | number) {
  const [row] = await w.db.owner<
    { id: string; stage: string; status: string; deleted: boolean; candidate_id: string }[]
  >`
    select a.id, s.name as stage, a.status, a.deleted_at is not null as deleted, a.candidate_id
    from external_refs r join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'application' and r.remote_id = ${String(remoteId)}`;
  return row!;
}

/** Rows of the application's stage history: the import, then each move. */
export async function stageHistoryCount(w: SyncWorld, remoteId: string | number): Promise<number> {
  const [history] = await w.db.owner<{ n: number }[]>`
    select count(*)::int as n from application_stage_history
    where application_id = ${(await localApplication(w, remoteId)).id}`;
  return history!.n;
}

export async function deliveryEventTypes(w: SyncWorld) {
  return w.db.owner<{ event_type: string }[]>`
    select event_type from webhook_deliveries where integration_id = ${w.integrationId}`;
}

export interface SignedDelivery {
  provider: ProviderName;
  module: ProviderModule;
  clock: Clock;
  rawBody: Buffer;
  headers: Record<string, string>;
}

/** POST /webhooks/{provider}/{integrationId}: verify, record once, enqueue; returns what was enqueued. */
export async function intakeWebhook(w: SyncWorld, delivery: SignedDelivery): Promise<HubMessage[]> {
  await receiveWebhook(
    {
      sql: w.db.app,
      secrets: w.secrets,
      syncQueue: w.queue,
      providers: lookupIn({ [delivery.provider]: delivery.module }),
      clock: delivery.clock,
      routes: new IntegrationRouteCache(),
    },
    {
      provider: delivery.provider,
      integrationId: w.integrationId,
      rawBody: delivery.rawBody,
      headers: { 'content-type': 'application/json', ...delivery.headers },
    },
  );
  return w.queue.drain();
}

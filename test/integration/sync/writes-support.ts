/**
 * Shared pieces of the `<provider>-writes` tests: the outbox message a hub change produced, as the relay would
 * hand it to the worker; an ATS principal; the integration's status push log.
 */
import type { OutboxMessage } from '../../../shared/messages/queue-messages.js';
import type { SyncWorld } from './harness.js';

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
  keyId: 'test-key',
});

/** No relay queues: the tests hand outbox messages to the worker themselves. */
export const noQueues = { sync: undefined, notify: undefined };

export async function pushLogOf(w: SyncWorld) {
  return w.db.owner<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from status_push_log where integration_id = ${w.integrationId} order by id`;
}

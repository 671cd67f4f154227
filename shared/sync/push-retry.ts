/**
 * The sync worker's side of POST /push-log/{id}/retry: the retry's outbox event names the original stage,
 * status, note or tag event, which runs again through the same push as its first delivery. The re-armed row is
 * the only one not final, so only it reaches the provider; its lease, `callOnce` and the note lookup before a
 * repeated create apply as on any redelivery.
 */
import { originalOutboxRow } from '../db/repositories/push-retry.js';
import { withTenant } from '../db/tenant.js';
import { pushRetryRequested } from '../messages/events.js';
import type { OutboxMessage } from '../messages/queue-messages.js';
import { logger } from '../observability/logger.js';
import type { SyncDependencies } from './dependencies.js';
import { pushRecord } from './record-push.js';
import { pushStatusChange } from './status-push.js';

export async function pushAgain(deps: SyncDependencies, message: OutboxMessage): Promise<string> {
  const parsed = pushRetryRequested.safeParse(message.payload);
  if (!parsed.success) {
    logger.error('push.retry_requested without a valid payload; dropped', { outboxId: message.outboxId });
    return 'skipped';
  }
  const row = await withTenant(deps.sql, message.organizationId, 'worker', (tx) =>
    originalOutboxRow(tx, parsed.data.outboxId),
  );
  if (!row) return 'skipped';
  const original: OutboxMessage = {
    type: 'outbox',
    outboxId: row.id,
    organizationId: row.organization_id,
    eventType: row.event_type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
  };
  if (parsed.data.kind === 'status') await pushStatusChange(deps, original);
  else await pushRecord(deps, original);
  return 'pushed';
}

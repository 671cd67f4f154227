import { withTenant } from '../../shared/db/tenant.js';
import { eventCatalog } from '../../shared/messages/events.js';
import type { OutboxMessage } from '../../shared/messages/queue-messages.js';
import { isCatalogueType } from '../../shared/notifications/event-types.js';
import { renderEnvelope } from '../../shared/notifications/payload.js';
import {
  insertDeliveries,
  markEventProcessed,
  subscriptionsFor,
} from '../../shared/notifications/repository.js';
import { webhookMessageId } from '../../shared/notifications/signing.js';
import { logger } from '../../shared/observability/logger.js';
import type { NotifierDependencies } from './use-case.js';

/**
 * One delivery row per enabled subscription of the event's type, in one transaction with the inbox row
 * (processed_messages) of this outbox id: the same event never fans out twice, whatever the queue does.
 * Only the catalogue's fields of the payload survive (zod strips the rest), so nothing unexpected leaves.
 */
export async function fanOut(
  deps: NotifierDependencies,
  message: OutboxMessage,
): Promise<{ created: number; duplicate: boolean }> {
  const now = deps.clock.now();
  return withTenant(deps.sql, message.organizationId, 'worker', async (tx) => {
    if (!(await markEventProcessed(tx, message.organizationId, message.outboxId)))
      return { created: 0, duplicate: true };
    if (!isCatalogueType(message.eventType)) {
      logger.warn('notify: event type not in the catalogue; nothing to send', {
        eventType: message.eventType,
        outboxId: message.outboxId,
      });
      return { created: 0, duplicate: false };
    }
    const parsed = eventCatalog[message.eventType].safeParse(message.payload);
    if (!parsed.success) {
      logger.error('notify: payload does not match the catalogue; nothing to send', {
        eventType: message.eventType,
        outboxId: message.outboxId,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
      });
      return { created: 0, duplicate: false };
    }
    const subscriptions = await subscriptionsFor(tx, message.eventType);
    if (subscriptions.length === 0) return { created: 0, duplicate: false };
    const timestamp = new Date(message.createdAt);
    const body = renderEnvelope(
      message.eventType,
      timestamp.toISOString(),
      parsed.data as Record<string, unknown>,
    );
    const created = await insertDeliveries(
      tx,
      subscriptions.map((s) => ({
        organization_id: message.organizationId,
        subscription_id: s.id,
        outbox_id: message.outboxId,
        message_id: webhookMessageId(message.outboxId, s.id),
        event_type: message.eventType,
        event_timestamp: timestamp,
        body,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    );
    return { created, duplicate: false };
  });
}

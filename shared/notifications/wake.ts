import type { OutboxMessage } from '../messages/queue-messages.js';
import type { Queue } from '../ports/queue.js';

/**
 * Wake-up messages on the notify queue. The notifier receives two kinds of `outbox` messages
 * (shared/messages/queue-messages.ts, so the shared SQS stack parses both with `hubMessage`):
 *
 * - a relayed outbox row: fan it out to the matching subscriptions, then attempt what is due;
 * - a wake-up for ONE delivery (`aggregateType: 'notification_delivery'`, `aggregateId` = delivery id,
 *   empty payload): sent with DelaySeconds for a retry, a long wait bridged in ≤ 900 s hops, a manual
 *   replay, or by the sweep. It never fans out; it only attempts (or re-schedules) that delivery.
 */
export const WAKE_AGGREGATE = 'notification_delivery';

export interface WakeTarget {
  organizationId: string;
  deliveryId: string;
  outboxId: string;
  eventType: string;
  eventTimestamp: Date;
}

export function wakeMessage(target: WakeTarget): OutboxMessage {
  return {
    type: 'outbox',
    outboxId: target.outboxId,
    organizationId: target.organizationId,
    eventType: target.eventType,
    aggregateType: WAKE_AGGREGATE,
    aggregateId: target.deliveryId,
    payload: {},
    createdAt: target.eventTimestamp.toISOString(),
  };
}

export const isWakeMessage = (message: OutboxMessage) => message.aggregateType === WAKE_AGGREGATE;

/** Sends wake-up messages; returns the delivery ids whose message SQS did not accept. */
export async function sendWakeMessages(
  queue: Queue | undefined,
  items: { target: WakeTarget; delaySeconds: number }[],
): Promise<string[]> {
  if (items.length === 0) return [];
  if (!queue) return items.map((i) => i.target.deliveryId);
  const entryId = (deliveryId: string) => `w${deliveryId.replaceAll('-', '')}`;
  const result = await queue
    .sendBatch(
      items.map((i) => ({
        id: entryId(i.target.deliveryId),
        body: JSON.stringify(wakeMessage(i.target)),
        delaySeconds: Math.max(0, Math.min(900, Math.ceil(i.delaySeconds))),
      })),
    )
    .catch(() => ({ successful: [] as string[], failed: [] }));
  const ok = new Set(result.successful);
  return items.filter((i) => !ok.has(entryId(i.target.deliveryId))).map((i) => i.target.deliveryId);
}

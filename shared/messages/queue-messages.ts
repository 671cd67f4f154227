import * as z from 'zod';
import { syncObjectTypes } from '../domain/canonical.js';

/**
 * Bodies of the messages that travel on the hub's queues. Every consumer validates with these schemas;
 * a body that fails is permanent poison and goes to the dead-letter queue.
 */

/** An outbox row relayed to a queue; consumers record `outboxId` in their inbox to apply it once. */
export const outboxMessage = z.object({
  type: z.literal('outbox'),
  outboxId: z.string().regex(/^\d+$/),
  organizationId: z.uuid(),
  eventType: z.string(),
  aggregateType: z.string(),
  aggregateId: z.uuid(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const syncMessage = z.object({
  type: z.literal('sync'),
  organizationId: z.uuid(),
  integrationId: z.uuid(),
  syncRunId: z.uuid(),
  mode: z.enum(['full', 'incremental']),
  /** Continuation of a large sync split into bounded pieces. */
  objectType: z.enum(syncObjectTypes).optional(),
  pageToken: z.string().nullable().optional(),
});

export const webhookMessage = z.object({
  type: z.literal('webhook'),
  organizationId: z.uuid(),
  integrationId: z.uuid(),
  deliveryRowId: z.string().regex(/^\d+$/),
});

export const hubMessage = z.discriminatedUnion('type', [outboxMessage, syncMessage, webhookMessage]);

export type OutboxMessage = z.infer<typeof outboxMessage>;
export type SyncMessage = z.infer<typeof syncMessage>;
export type WebhookMessage = z.infer<typeof webhookMessage>;
export type HubMessage = z.infer<typeof hubMessage>;

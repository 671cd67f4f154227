/**
 * Schemas of the operations read routes the operator console uses (docs/api.md, "Operations"): sync runs with
 * their progress and import log, received provider webhooks, the push log and notification deliveries across
 * subscriptions. Every list is newest first and cursor-paginated.
 */
import * as z from 'zod';
import { providerNameSchema } from '../providers/registry.js';
import { cursorQuery, uuid } from './common.js';
import { deliveryView } from './subscriptions.js';

/** `?x=` (empty) means "no filter", as a browser form sends it. */
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalFilter = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());

export const syncRunStatuses = ['queued', 'running', 'succeeded', 'partial', 'failed'] as const;

export const syncRunsQuery = cursorQuery
  .extend({
    integrationId: optionalFilter(uuid),
    status: optionalFilter(z.enum(syncRunStatuses)),
  })
  .strict();

export const syncRunProgress = z
  .object({
    id: uuid,
    integrationId: uuid,
    provider: providerNameSchema,
    mode: z.enum(['full', 'incremental']),
    status: z.enum(syncRunStatuses),
    /** `schedule`, or the key that asked for it. */
    requestedBy: z.string(),
    recordsProcessed: z.number().int(),
    recordsCreated: z.number().int(),
    recordsUpdated: z.number().int(),
    recordsDeleted: z.number().int(),
    recordsFailed: z.number().int(),
    /** Provider pages fetched so far. */
    pagesFetched: z.number().int(),
    /** Times the run waited for the provider's rate limit, and how long in all. */
    rateLimitWaits: z.number().int(),
    rateLimitWaitMs: z.number().int(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'SyncRunProgress' });

export const syncRunPage = z
  .object({ items: z.array(syncRunProgress), nextCursor: z.string().nullable() })
  .meta({ id: 'SyncRunPage' });

export const runIdParams = z.object({ id: uuid });

export const importLogEntry = z
  .object({
    id: z.string(),
    objectType: z.string(),
    /** The provider's id only: the log holds no record content. */
    remoteId: z.string().nullable(),
    action: z.enum(['created', 'updated', 'deleted', 'skipped', 'failed']),
    message: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ImportLogEntry' });

export const importLogPage = z
  .object({ items: z.array(importLogEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'ImportLogPage' });

export const webhookDeliveryStatuses = ['received', 'applied', 'ignored', 'failed'] as const;

export const webhookDeliveriesQuery = cursorQuery
  .extend({
    // each delivery's stored body (up to 1 MiB) is parsed to tell its changes: smaller pages
    limit: z.coerce.number().int().min(1).max(50).default(25),
    integrationId: optionalFilter(uuid),
    status: optionalFilter(z.enum(webhookDeliveryStatuses)),
  })
  .strict();

/** One change a delivery asks for, by kind and the provider's id (never names or contact data). */
export const webhookChange = z.object({
  kind: z.string(),
  objectType: z.string().nullable(),
  remoteId: z.string().nullable(),
  /** e.g. the stage moved to, the new status. */
  detail: z.string().nullable(),
});

export const webhookDeliveryView = z
  .object({
    id: z.string(),
    integrationId: uuid,
    provider: providerNameSchema,
    /** The provider's delivery id (or the body digest for providers without one). */
    deliveryId: z.string(),
    eventType: z.string().nullable(),
    /**
     * Only deliveries whose signature verified are recorded (a wrong or missing signature is answered 401
     * and never stored), so every listed delivery is `verified`.
     */
    verification: z.literal('verified'),
    status: z.enum(webhookDeliveryStatuses),
    /** What the delivery asks the hub to change; empty when the body cannot be read as events. */
    changes: z.array(webhookChange),
    receivedAt: z.string(),
    appliedAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveryPage = z
  .object({ items: z.array(webhookDeliveryView), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryPage' });

export const pushStatuses = ['pending', 'succeeded', 'refused', 'failed', 'skipped'] as const;

export const pushLogQuery = cursorQuery
  .extend({
    integrationId: optionalFilter(uuid),
    status: optionalFilter(z.enum(pushStatuses)),
  })
  .strict();

export const pushLogEntry = z
  .object({
    /** `<kind>:<row id>`; stable across pages. */
    id: z.string(),
    /** A stage or status change, a portal submission, a note, or a tag change. */
    kind: z.enum(['status', 'submission', 'note', 'tags']),
    integrationId: uuid,
    applicationId: uuid.nullable(),
    candidateId: uuid.nullable(),
    /** A submission's `pushed` reads `succeeded`. */
    status: z.enum(pushStatuses),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    /** Whether `POST /push-log/{id}/retry` takes it: a failed push of any kind, or a pending submission. */
    retryable: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PushLogEntry' });

export const pushLogPage = z
  .object({ items: z.array(pushLogEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'PushLogPage' });

/** A push log entry's id, `<kind>:<row id>`: a bigint for status, note and tag pushes, the application's uuid for a submission. */
export const pushLogIdParams = z.object({
  id: z
    .string()
    .regex(
      /^((status|note|tags):\d{1,19}|submission:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
      'a push log id: <kind>:<row id>',
    ),
});

export const pushRetried = z
  .object({ id: z.string(), kind: pushLogEntry.shape.kind, status: z.literal('pending') })
  .meta({ id: 'PushRetried' });

export const notificationDeliveriesQuery = cursorQuery
  .extend({ status: optionalFilter(z.enum(['pending', 'delivered', 'failed'])) })
  .strict();

export const organizationDeliveryView = deliveryView
  .extend({ subscriptionId: uuid, subscriptionKind: z.enum(['webhook', 'slack', 'teams']) })
  .meta({ id: 'OrganizationNotificationDelivery' });

export const organizationDeliveryPage = z
  .object({ items: z.array(organizationDeliveryView), nextCursor: z.string().nullable() })
  .meta({ id: 'OrganizationNotificationDeliveryPage' });

export type SyncRunsQuery = z.infer<typeof syncRunsQuery>;
export type SyncRunProgress = z.infer<typeof syncRunProgress>;
export type ImportLogQuery = z.infer<typeof cursorQuery>;
export type ImportLogView = z.infer<typeof importLogEntry>;
export type WebhookDeliveriesQuery = z.infer<typeof webhookDeliveriesQuery>;
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryView>;
export type WebhookChange = z.infer<typeof webhookChange>;
export type PushLogQuery = z.infer<typeof pushLogQuery>;
export type PushLogView = z.infer<typeof pushLogEntry>;
export type PushRetried = z.infer<typeof pushRetried>;
export type NotificationDeliveriesQuery = z.infer<typeof notificationDeliveriesQuery>;
export type OrganizationDeliveryView = z.infer<typeof organizationDeliveryView>;

/**
 * Notification subscriptions (admin): outbound Standard Webhooks, Slack and Teams messages for the
 * catalogue's events, and their delivery log. Appended to the contract table by shared/api/contract.ts.
 * This module does not import contract.ts (which imports it), so the small helpers are its own.
 */
import * as z from 'zod';
import type { AnyContract, RouteContract } from '../http/types.js';
import { subscribableEventTypes } from '../notifications/event-types.js';
import { cursorQuery, errorBody, uuid } from './common.js';

export const subscriptionKinds = ['webhook', 'slack', 'teams'] as const;

export const createSubscriptionBody = z
  .object({
    kind: z.enum(subscriptionKinds),
    /** https only (plain http to loopback only in local development); checked again before every request. */
    url: z.url({ protocol: /^https?$/ }).max(2000),
    eventTypes: z
      .array(z.enum(subscribableEventTypes))
      .min(1)
      .max(50)
      .transform((types) => [...new Set(types)]),
    /** Slack/Teams only: put the candidate's first and last name into messages (never e-mail or phone). */
    includeCandidateNames: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'CreateSubscription' });

export const subscriptionView = z
  .object({
    id: uuid,
    kind: z.enum(subscriptionKinds),
    /** Slack and Teams URLs are credentials: listed with their path masked. */
    url: z.string(),
    eventTypes: z.array(z.string()),
    includeCandidateNames: z.boolean(),
    enabled: z.boolean(),
    disabledReason: z.enum(['endpoint_gone', 'manual']).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Subscription' });

export const createdSubscription = subscriptionView
  .extend({
    /** Webhooks only: the Standard Webhooks signing secret `whsec_…`, shown once. */
    secret: z.string().optional(),
  })
  .meta({ id: 'CreatedSubscription' });

export const subscriptionIdParams = z.object({ id: uuid });
export const deliveryParams = z.object({ id: uuid, deliveryId: uuid });
export const deliveriesQuery = cursorQuery;

export const deliveryView = z
  .object({
    id: uuid,
    /** The `webhook-id` header: the same on every retry and replay. */
    messageId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'NotificationDelivery' });

export const deliveryList = z
  .object({ items: z.array(deliveryView), nextCursor: z.string().nullable() })
  .meta({ id: 'NotificationDeliveryPage' });

export const redeliveryView = z.object({ id: uuid, messageId: z.string(), status: z.literal('pending') });

export type CreateSubscriptionBody = z.infer<typeof createSubscriptionBody>;
export type DeliveriesQuery = z.infer<typeof deliveriesQuery>;

const err = (description: string) => ({ description, schema: errorBody });
const auth = { 401: err('UNAUTHORIZED'), 403: err('FORBIDDEN') };

export const createSubscription: RouteContract<CreateSubscriptionBody> = {
  method: 'POST',
  path: '/subscriptions',
  summary: 'Subscribe a webhook, Slack or Teams endpoint to events; a webhook gets its signing secret once',
  access: ['admin'],
  body: createSubscriptionBody,
  responses: {
    201: { description: 'created', schema: createdSubscription },
    400: err('VALIDATION_FAILED or MALFORMED_JSON'),
    ...auth,
    413: err('PAYLOAD_TOO_LARGE'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
  },
};

export const listSubscriptions: RouteContract = {
  method: 'GET',
  path: '/subscriptions',
  summary: 'Subscriptions of the organization (no secrets)',
  access: ['admin'],
  bodyKind: 'none',
  responses: {
    200: { description: 'list', schema: z.object({ items: z.array(subscriptionView) }) },
    ...auth,
  },
};

export const deleteSubscription: RouteContract<unknown, unknown, { id: string }> = {
  method: 'DELETE',
  path: '/subscriptions/{id}',
  summary: 'Remove a subscription with its delivery log; its signing secret is wiped',
  access: ['admin'],
  bodyKind: 'none',
  params: subscriptionIdParams,
  responses: {
    204: { description: 'deleted' },
    400: err('VALIDATION_FAILED'),
    ...auth,
    404: err('NOT_FOUND'),
  },
};

export const listSubscriptionDeliveries: RouteContract<unknown, DeliveriesQuery, { id: string }> = {
  method: 'GET',
  path: '/subscriptions/{id}/deliveries',
  summary: 'Delivery log of a subscription, newest first, cursor-paginated',
  access: ['admin'],
  bodyKind: 'none',
  params: subscriptionIdParams,
  query: deliveriesQuery,
  responses: {
    200: { description: 'page', schema: deliveryList },
    400: err('VALIDATION_FAILED'),
    ...auth,
    404: err('NOT_FOUND'),
  },
};

export const redeliverSubscriptionDelivery: RouteContract<
  unknown,
  unknown,
  { id: string; deliveryId: string }
> = {
  method: 'POST',
  path: '/subscriptions/{id}/deliveries/{deliveryId}/redeliver',
  summary: 'Send a delivery again now, with the same webhook-id; the retry schedule restarts',
  access: ['admin'],
  bodyKind: 'none',
  params: deliveryParams,
  responses: {
    202: { description: 'queued', schema: redeliveryView },
    400: err('VALIDATION_FAILED'),
    ...auth,
    404: err('NOT_FOUND'),
    422: err('INVALID_TRANSITION: the subscription is disabled'),
  },
};

export const subscriptionContracts: AnyContract[] = [
  createSubscription,
  listSubscriptions,
  deleteSubscription,
  listSubscriptionDeliveries,
  redeliverSubscriptionDelivery,
];

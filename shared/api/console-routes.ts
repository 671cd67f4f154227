/**
 * Routes of the operator console (docs/api.md, "Operations" and "The operator console"): the page itself and
 * the admin-only reads it shows. Appended to the contract table by shared/api/contract.ts.
 */
import * as z from 'zod';
import type { AnyContract, OpenRouteContract, RouteContract } from '../http/types.js';
import { cursorQuery, errorBody } from './common.js';
import {
  type ImportLogQuery,
  importLogPage,
  type NotificationDeliveriesQuery,
  notificationDeliveriesQuery,
  organizationDeliveryPage,
  type PushLogQuery,
  pushLogIdParams,
  pushLogPage,
  pushLogQuery,
  pushRetried,
  runIdParams,
  type SyncRunsQuery,
  syncRunPage,
  syncRunProgress,
  syncRunsQuery,
  type WebhookDeliveriesQuery,
  webhookDeliveriesQuery,
  webhookDeliveryPage,
} from './console.js';

const err = (description: string) => ({ description, schema: errorBody });
const admin: 'admin'[] = ['admin'];

const pageResponses = (schema: z.ZodType) => ({
  200: { description: 'page, newest first', schema },
  400: err('VALIDATION_FAILED (a malformed cursor, filter or limit)'),
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
});

export const listRunsProgress: RouteContract<unknown, SyncRunsQuery> = {
  method: 'GET',
  path: '/sync-runs',
  summary: 'Sync runs of every integration with their progress; filter by integration or status',
  access: admin,
  bodyKind: 'none',
  query: syncRunsQuery,
  responses: pageResponses(syncRunPage),
};

export const getSyncRun: RouteContract<unknown, unknown, { id: string }> = {
  method: 'GET',
  path: '/sync-runs/{id}',
  summary: 'One sync run with its progress: records, pages, rate-limit waits',
  access: admin,
  bodyKind: 'none',
  params: runIdParams,
  responses: {
    200: { description: 'run', schema: syncRunProgress },
    400: err('VALIDATION_FAILED'),
    401: err('UNAUTHORIZED'),
    403: err('FORBIDDEN'),
    404: err('NOT_FOUND'),
  },
};

export const listRunImports: RouteContract<unknown, ImportLogQuery, { id: string }> = {
  method: 'GET',
  path: '/sync-runs/{id}/imports',
  summary: "A run's import log: records skipped, failed or deleted, by the provider's id",
  access: admin,
  bodyKind: 'none',
  params: runIdParams,
  query: cursorQuery.strict(),
  responses: { ...pageResponses(importLogPage), 404: err('NOT_FOUND') },
};

export const listWebhookDeliveries: RouteContract<unknown, WebhookDeliveriesQuery> = {
  method: 'GET',
  path: '/webhook-deliveries',
  summary: 'Provider webhooks received: verification, outcome and the changes each asks for',
  access: admin,
  bodyKind: 'none',
  query: webhookDeliveriesQuery,
  responses: pageResponses(webhookDeliveryPage),
};

export const listPushLog: RouteContract<unknown, PushLogQuery> = {
  method: 'GET',
  path: '/push-log',
  summary: 'Writes to the systems of record: stage and status changes, submissions, notes and tags',
  access: admin,
  bodyKind: 'none',
  query: pushLogQuery,
  responses: pageResponses(pushLogPage),
};

export const retryPushLogEntry: RouteContract<unknown, unknown, { id: string }> = {
  method: 'POST',
  path: '/push-log/{id}/retry',
  summary: 'Push a failed write of the push log again (any kind); the sync worker takes it at once',
  access: admin,
  bodyKind: 'none',
  params: pushLogIdParams,
  responses: {
    202: { description: 'pending again and queued', schema: pushRetried },
    400: err('VALIDATION_FAILED (not a push log id)'),
    401: err('UNAUTHORIZED'),
    403: err('FORBIDDEN'),
    404: err('NOT_FOUND'),
    409: err('PUSH_NOT_FAILED: the push is not failed (a submission: not failed nor pending)'),
  },
};

export const listNotificationDeliveries: RouteContract<unknown, NotificationDeliveriesQuery> = {
  method: 'GET',
  path: '/notification-deliveries',
  summary: 'Notification deliveries of every subscription; filter by status (failed ones to redeliver)',
  access: admin,
  bodyKind: 'none',
  query: notificationDeliveriesQuery,
  responses: pageResponses(organizationDeliveryPage),
};

const consoleFile = z.object({ file: z.string().regex(/^[a-z0-9-]+\.(js|css|svg)$/) });

export const consolePage: OpenRouteContract = {
  method: 'GET',
  path: '/console',
  summary: 'The operator console (HTML); the admin key is entered on the page',
  access: 'public',
  bodyKind: 'none',
  responses: { 200: { description: 'text/html' } },
};

export const consoleAsset: OpenRouteContract<unknown, unknown, z.infer<typeof consoleFile>> = {
  method: 'GET',
  path: '/console/{file}',
  summary: "The console's script, style sheet and icon",
  access: 'public',
  bodyKind: 'none',
  params: consoleFile,
  responses: {
    200: { description: 'text/javascript, text/css or image/svg+xml' },
    404: err('NOT_FOUND'),
  },
};

export const consoleContracts: AnyContract[] = [
  listRunsProgress,
  getSyncRun,
  listRunImports,
  listWebhookDeliveries,
  listPushLog,
  retryPushLogEntry,
  listNotificationDeliveries,
  consolePage,
  consoleAsset,
];

/** Integration administration routes of docs/api.md as data (admin keys only). */
import * as z from 'zod';
import type { RouteContract } from '../http/types.js';
import { errorBody } from './common.js';
import {
  type CreateIntegrationBody,
  createdIntegration,
  createIntegrationBody,
  integrationIdParams,
  integrationStatus,
  rotateSecretBody,
  syncRequestBody,
  syncRunView,
} from './integrations.js';

const err = (description: string) => ({ description, schema: errorBody });
const common = {
  400: err('VALIDATION_FAILED or MALFORMED_JSON'),
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
};

export const createIntegration: RouteContract<CreateIntegrationBody> = {
  method: 'POST',
  path: '/integrations',
  summary: 'Connect a provider; credentials go to the secrets store and are never returned',
  access: ['admin'],
  body: createIntegrationBody,
  responses: {
    201: { description: 'connected', schema: createdIntegration },
    ...common,
    413: err('PAYLOAD_TOO_LARGE'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
  },
};

export const listIntegrations: RouteContract = {
  method: 'GET',
  path: '/integrations',
  summary: 'Integrations with health, cursors and last runs',
  access: ['admin'],
  bodyKind: 'none',
  responses: {
    200: { description: 'list', schema: z.object({ items: z.array(integrationStatus) }) },
    401: common[401],
    403: common[403],
  },
};

export const getIntegration: RouteContract<unknown, unknown, { id: string }> = {
  method: 'GET',
  path: '/integrations/{id}',
  summary: 'One integration with health, cursors and last runs',
  access: ['admin'],
  bodyKind: 'none',
  params: integrationIdParams,
  responses: { 200: { description: 'status', schema: integrationStatus }, ...common, 404: err('NOT_FOUND') },
};

export const triggerSync: RouteContract<z.infer<typeof syncRequestBody>, unknown, { id: string }> = {
  method: 'POST',
  path: '/integrations/{id}/sync',
  summary: 'Enqueue a full or incremental sync',
  access: ['admin'],
  body: syncRequestBody,
  params: integrationIdParams,
  responses: {
    202: { description: 'queued', schema: z.object({ syncRunId: z.uuid() }) },
    ...common,
    404: err('NOT_FOUND'),
  },
};

export const listSyncRuns: RouteContract<unknown, unknown, { id: string }> = {
  method: 'GET',
  path: '/integrations/{id}/runs',
  summary: 'Sync runs of an integration, newest first',
  access: ['admin'],
  bodyKind: 'none',
  params: integrationIdParams,
  responses: {
    200: { description: 'runs', schema: z.object({ items: z.array(syncRunView) }) },
    ...common,
    404: err('NOT_FOUND'),
  },
};

export const rotateWebhookSecret: RouteContract<z.infer<typeof rotateSecretBody>, unknown, { id: string }> = {
  method: 'POST',
  path: '/integrations/{id}/webhook-secret',
  summary:
    'Rotate the webhook signing secret; the previous one stays valid for a grace period (default 24 h)',
  access: ['admin'],
  body: rotateSecretBody,
  params: integrationIdParams,
  responses: {
    200: {
      description: 'rotated; webhookSecret shown once when the hub generated it',
      schema: z.object({
        id: z.uuid(),
        webhookSecret: z.string().optional(),
        previousValidUntil: z.string().nullable(),
      }),
    },
    ...common,
    404: err('NOT_FOUND'),
  },
};

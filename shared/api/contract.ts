/**
 * The HTTP contract of docs/api.md as data: every route's method, path, roles, schemas and responses. Handlers
 * implement entries of this table; the OpenAPI document is generated from it.
 */
import * as z from 'zod';
import type { AnyContract, OpenRouteContract, RouteContract } from '../http/types.js';
import {
  applicationDetail,
  applicationIdParams,
  applicationList,
  listApplicationsQuery,
  type StageMoveBody,
  type StatusChangeBody,
  type SubmissionHeaders,
  type SubmitApplicationBody,
  stageMoveBody,
  statusChangeBody,
  submissionHeaders,
  submissionView,
  submitApplicationBody,
  transitionResult,
} from './applications.js';
import { errorBody } from './common.js';
import {
  type CreateJobBody,
  createJobBody,
  jobIdParams,
  jobView,
  type UpdateJobBody,
  updateJobBody,
} from './jobs.js';

const err = (description: string) => ({ description, schema: errorBody });
const common = {
  400: err('VALIDATION_FAILED or MALFORMED_JSON'),
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
};

export const health: OpenRouteContract = {
  method: 'GET',
  path: '/health',
  summary: 'Liveness including the database',
  access: 'public',
  bodyKind: 'none',
  responses: {
    200: { description: 'ok', schema: z.object({ status: z.literal('ok') }) },
    503: { description: 'database unavailable', schema: z.object({ status: z.literal('unavailable') }) },
  },
};

export const openapi: OpenRouteContract = {
  method: 'GET',
  path: '/openapi.json',
  summary: 'This document',
  access: 'public',
  bodyKind: 'none',
  responses: { 200: { description: 'OpenAPI 3.1 document' } },
};

export const createJob: RouteContract<CreateJobBody> = {
  method: 'POST',
  path: '/jobs',
  summary: 'Create a job with its stage pipeline',
  access: ['ats', 'admin'],
  body: createJobBody,
  responses: {
    201: { description: 'created', schema: jobView },
    ...common,
    413: err('PAYLOAD_TOO_LARGE'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
  },
};

export const listJobs: RouteContract = {
  method: 'GET',
  path: '/jobs',
  summary: 'Open jobs of the organization',
  access: ['portal', 'ats', 'admin'],
  bodyKind: 'none',
  responses: {
    200: { description: 'jobs', schema: z.object({ items: z.array(jobView) }) },
    401: common[401],
  },
};

export const getJob: RouteContract<unknown, unknown, { jobId: string }> = {
  method: 'GET',
  path: '/jobs/{jobId}',
  summary: 'One job with its stages',
  access: ['portal', 'ats', 'admin'],
  bodyKind: 'none',
  params: jobIdParams,
  responses: { 200: { description: 'job', schema: jobView }, ...common, 404: err('NOT_FOUND') },
};

export const updateJob: RouteContract<UpdateJobBody, unknown, { jobId: string }> = {
  method: 'PATCH',
  path: '/jobs/{jobId}',
  summary:
    'Edit a job: title, lifecycle status, description, department, office, remote policy, salary range',
  access: ['ats', 'admin'],
  body: updateJobBody,
  params: jobIdParams,
  responses: {
    200: { description: 'the job after the edit', schema: jobView },
    ...common,
    404: err('NOT_FOUND'),
    413: err('PAYLOAD_TOO_LARGE'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
    422: err('INVALID_TRANSITION (a lifecycle step the job may not take)'),
  },
};

export const listJobApplications: RouteContract<
  unknown,
  z.infer<typeof listApplicationsQuery>,
  { jobId: string }
> = {
  method: 'GET',
  path: '/jobs/{jobId}/applications',
  summary: 'Applications of a job (the portal sees only its own), newest first, cursor-paginated',
  access: ['portal', 'ats', 'admin'],
  bodyKind: 'none',
  params: jobIdParams,
  query: listApplicationsQuery,
  responses: { 200: { description: 'page', schema: applicationList }, ...common, 404: err('NOT_FOUND') },
};

export const getApplication: RouteContract<unknown, unknown, { id: string }> = {
  method: 'GET',
  path: '/applications/{id}',
  summary: 'Application with candidate, job, history and documents',
  access: ['portal', 'ats', 'admin'],
  bodyKind: 'none',
  params: applicationIdParams,
  responses: {
    200: { description: 'application', schema: applicationDetail },
    ...common,
    404: err('NOT_FOUND'),
  },
};

export const submitApplication: RouteContract<SubmitApplicationBody, unknown, unknown, SubmissionHeaders> = {
  method: 'POST',
  path: '/applications',
  summary: 'Submit a candidate to a job from the portal (optional Idempotency-Key header)',
  access: ['portal'],
  body: submitApplicationBody,
  headers: submissionHeaders,
  responses: {
    201: { description: 'created; resumeUpload is a presigned POST', schema: submissionView },
    ...common,
    404: err('NOT_FOUND (job)'),
    409: err('DUPLICATE_APPLICATION'),
    413: err('PAYLOAD_TOO_LARGE'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
    422: err('JOB_NOT_OPEN or IDEMPOTENCY_KEY_REUSED'),
  },
};

const transitionResponses = {
  200: { description: 'changed', schema: transitionResult },
  ...common,
  404: err('NOT_FOUND'),
  409: err('STAGE_CONFLICT'),
  413: err('PAYLOAD_TOO_LARGE'),
  415: err('UNSUPPORTED_MEDIA_TYPE'),
  422: err('INVALID_TRANSITION'),
};

export const moveStage: RouteContract<StageMoveBody, unknown, { id: string }> = {
  method: 'POST',
  path: '/applications/{id}/stage',
  summary: 'Move an application to another stage under the ownership rules',
  access: ['portal', 'ats', 'admin'],
  body: stageMoveBody,
  params: applicationIdParams,
  responses: { ...transitionResponses, 403: err('FORBIDDEN or STAGE_NOT_OWNED') },
};

export const changeStatus: RouteContract<StatusChangeBody, unknown, { id: string }> = {
  method: 'POST',
  path: '/applications/{id}/status',
  summary: 'Reject or withdraw an application (ATS side)',
  access: ['ats', 'admin'],
  body: statusChangeBody,
  params: applicationIdParams,
  responses: transitionResponses,
};

/** Every route; other capabilities append theirs (integrations, webhooks, analytics, subscriptions). */
export const contract: AnyContract[] = [
  health,
  openapi,
  createJob,
  listJobs,
  getJob,
  updateJob,
  listJobApplications,
  getApplication,
  submitApplication,
  moveStage,
  changeStatus,
];

// ---- analytics, integrations (admin) and provider webhooks
import { type FunnelQuery, funnelQuery, funnelResponse } from '../analytics/funnel-schema.js';
import {
  type CreateIntegrationBody,
  createdIntegration,
  createIntegrationBody,
  integrationIdParams,
  integrationStatus,
  rotateSecretBody,
  syncRequestBody,
  syncRunView,
  webhookParams,
} from './integrations.js';

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

export const receiveWebhook: OpenRouteContract<unknown, unknown, z.infer<typeof webhookParams>> = {
  method: 'POST',
  path: '/webhooks/{provider}/{integrationId}',
  summary: 'Provider webhook, authenticated by the provider signature over the raw body',
  access: 'signature',
  bodyKind: 'raw',
  bodyLimitBytes: 1024 * 1024,
  params: webhookParams,
  responses: {
    200: { description: 'received (new or already seen)', schema: z.object({ received: z.literal(true) }) },
    400: err('malformed signature timestamp'),
    401: err('UNAUTHORIZED: signature missing or wrong'),
    404: err('NOT_FOUND: unknown integration'),
    413: err('PAYLOAD_TOO_LARGE'),
  },
};

export const funnel: RouteContract<unknown, FunnelQuery> = {
  method: 'GET',
  path: '/analytics/funnel',
  summary: 'Hiring-funnel metrics (the portal sees only its own applications)',
  access: ['portal', 'ats', 'admin'],
  bodyKind: 'none',
  query: funnelQuery,
  responses: {
    200: { description: 'funnel', schema: funnelResponse },
    ...common,
    404: err('NOT_FOUND (job)'),
  },
};

contract.push(
  funnel,
  createIntegration,
  listIntegrations,
  getIntegration,
  triggerSync,
  listSyncRuns,
  rotateWebhookSecret,
  receiveWebhook,
);

import { subscriptionContracts } from './subscriptions.js';

contract.push(...subscriptionContracts);

import { writeBackContracts } from './write-back.js';

contract.push(...writeBackContracts);

import { recordContracts } from './record-routes.js';

contract.push(...recordContracts);

import { privacyContracts } from './privacy-routes.js';

contract.push(...privacyContracts);

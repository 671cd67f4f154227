/** Job routes of docs/api.md as data (the contract table of ./contract.ts lists them with every other route). */
import * as z from 'zod';
import type { RouteContract } from '../http/types.js';
import { applicationList, listApplicationsQuery } from './applications.js';
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

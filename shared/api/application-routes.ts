/** Application routes of docs/api.md as data: read, portal submission, stage moves and status changes. */
import type { RouteContract } from '../http/types.js';
import {
  applicationDetail,
  applicationIdParams,
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

const err = (description: string) => ({ description, schema: errorBody });
const common = {
  400: err('VALIDATION_FAILED or MALFORMED_JSON'),
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
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
    409: err('DUPLICATE_APPLICATION, or SUBMISSION_CONFLICT (another party holds the active application)'),
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

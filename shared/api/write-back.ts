/**
 * Routes of the write-back to the system of record (docs/api.md, "Write-back"): the settings of an integration,
 * the retry of a failed submission push, and the resume download link.
 */
import type * as z from 'zod';
import type { RouteContract } from '../http/types.js';
import { applicationIdParams, documentDownload, documentParams, pushRequested } from './applications.js';
import { errorBody } from './common.js';
import {
  integrationIdParams,
  integrationSettingsView,
  type UpdateIntegrationBody,
  updateIntegrationBody,
} from './integrations.js';

const err = (description: string) => ({ description, schema: errorBody });
const auth = { 401: err('UNAUTHORIZED'), 403: err('FORBIDDEN') };

export const updateIntegration: RouteContract<UpdateIntegrationBody, unknown, { id: string }> = {
  method: 'PATCH',
  path: '/integrations/{id}',
  summary: "Change an integration's settings (write-back, sync intervals, provider options); the rest stay",
  access: ['admin'],
  body: updateIntegrationBody,
  params: integrationIdParams,
  responses: {
    200: { description: 'changed; the effective settings', schema: integrationSettingsView },
    400: err('VALIDATION_FAILED (details.issues names the setting) or MALFORMED_JSON'),
    ...auth,
    404: err('NOT_FOUND'),
    413: err('PAYLOAD_TOO_LARGE'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
  },
};

export const retryPush: RouteContract<unknown, unknown, { id: string }> = {
  method: 'POST',
  path: '/applications/{id}/push',
  summary: "Retry a failed (or still pending) push of a portal submission to its job's provider now",
  access: ['admin'],
  bodyKind: 'none',
  params: applicationIdParams,
  responses: {
    202: { description: 'queued', schema: pushRequested },
    400: err('VALIDATION_FAILED'),
    ...auth,
    404: err('NOT_FOUND'),
    422: err('PUSH_NOT_APPLICABLE: no push for this application, or already pushed'),
  },
};

export const downloadDocument: RouteContract<unknown, unknown, z.infer<typeof documentParams>> = {
  method: 'GET',
  path: '/applications/{id}/documents/{documentId}',
  summary: 'A presigned GET of a clean document, valid 5 minutes (the portal: only its own applications)',
  access: ['portal', 'ats', 'admin'],
  bodyKind: 'none',
  params: documentParams,
  responses: {
    200: { description: 'a short-lived download link', schema: documentDownload },
    400: err('VALIDATION_FAILED'),
    ...auth,
    404: err('NOT_FOUND (application or document)'),
    409: err('DOCUMENT_NOT_READY: the upload or its malware scan is pending'),
    422: err('DOCUMENT_REJECTED: infected, failed or rejected by the scan'),
  },
};

export const writeBackContracts = [updateIntegration, retryPush, downloadDocument];

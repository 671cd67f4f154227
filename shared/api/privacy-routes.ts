/**
 * Routes of privacy (docs/api.md, "Privacy"), appended to the contract table by shared/api/contract.ts. Admin only:
 * erasing, exporting a person and retention are the organization's data-protection decisions.
 */
import type * as z from 'zod';
import type { AnyContract, RouteContract } from '../http/types.js';
import { errorBody } from './common.js';
import {
  candidateExport,
  type EraseBody,
  eraseBody,
  erasureAccepted,
  erasureView,
  type RetentionBody,
  retentionBody,
  retentionView,
} from './privacy.js';
import { idParams } from './record.js';

const err = (description: string) => ({ description, schema: errorBody });
const admin: 'admin'[] = ['admin'];
type Id = { id: string };

const guarded = {
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN (not an admin key)'),
};
const bodyErrors = {
  400: err('VALIDATION_FAILED (unknown fields too) or MALFORMED_JSON'),
  413: err('PAYLOAD_TOO_LARGE'),
  415: err('UNSUPPORTED_MEDIA_TYPE'),
};

export const eraseCandidate: RouteContract<EraseBody, unknown, Id> = {
  method: 'POST',
  path: '/candidates/{id}/erase',
  summary: "Erase a candidate everywhere (queued); a repeated request answers the first erasure's id",
  access: admin,
  body: eraseBody,
  params: idParams,
  responses: {
    202: { description: 'accepted', schema: erasureAccepted },
    ...bodyErrors,
    ...guarded,
    404: err('NOT_FOUND (candidate)'),
  },
};

export const getErasure: RouteContract<unknown, unknown, Id> = {
  method: 'GET',
  path: '/erasures/{id}',
  summary: 'Progress and outcome of an erasure, step by step',
  access: admin,
  bodyKind: 'none',
  params: idParams,
  responses: {
    200: { description: 'erasure', schema: erasureView },
    400: err('VALIDATION_FAILED'),
    ...guarded,
    404: err('NOT_FOUND'),
  },
};

export const exportCandidate: RouteContract<unknown, unknown, Id> = {
  method: 'GET',
  path: '/candidates/{id}/export',
  summary: 'Everything the hub holds about a person, with short-lived links to their files',
  access: admin,
  bodyKind: 'none',
  params: idParams,
  responses: {
    200: { description: 'the subject access export', schema: candidateExport },
    400: err('VALIDATION_FAILED'),
    ...guarded,
    404: err('NOT_FOUND (candidate)'),
  },
};

export const getRetention: RouteContract = {
  method: 'GET',
  path: '/privacy/retention',
  summary: "The organization's retention settings, in days (null: kept as long as the bucket keeps it)",
  access: admin,
  bodyKind: 'none',
  responses: { 200: { description: 'retention', schema: retentionView }, ...guarded },
};

export const putRetention: RouteContract<RetentionBody> = {
  method: 'PUT',
  path: '/privacy/retention',
  summary: 'Change retention settings; the settings not given keep their value',
  access: admin,
  body: retentionBody,
  responses: {
    200: { description: 'retention now', schema: retentionView as z.ZodType },
    ...bodyErrors,
    ...guarded,
  },
};

export const privacyContracts: AnyContract[] = [
  eraseCandidate,
  getErasure,
  exportCandidate,
  getRetention,
  putRetention,
];

/**
 * Routes of several parties (docs/api.md, "Several parties"), appended to the contract table by
 * shared/api/contract.ts. Who may act is decided by the organization's type and by row-level security.
 */
import type * as z from 'zod';
import type { AnyContract, RouteContract } from '../http/types.js';
import { errorBody } from './common.js';
import {
  type CreateOrganizationBody,
  type CreatePartnershipBody,
  createOrganizationBody,
  createPartnershipBody,
  messageList,
  messageView,
  organizationView,
  partnershipList,
  partnershipView,
  type SendMessageBody,
  sendMessageBody,
} from './parties.js';
import { idParams } from './record.js';

const err = (description: string) => ({ description, schema: errorBody });
const anyRole: ('portal' | 'ats' | 'admin')[] = ['portal', 'ats', 'admin'];
type Id = { id: string };

const denied = {
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
};

const written = (status: number, description: string, schema: z.ZodType) => ({
  [status]: { description, schema },
  400: err('VALIDATION_FAILED (unknown fields too) or MALFORMED_JSON'),
  ...denied,
  404: err('NOT_FOUND'),
  413: err('PAYLOAD_TOO_LARGE'),
});

export const createOrganization: RouteContract<CreateOrganizationBody> = {
  method: 'POST',
  path: '/organizations',
  summary: "Create an employer or agency under the caller's platform, with its three keys (shown once)",
  access: ['admin'],
  body: createOrganizationBody,
  responses: {
    ...written(201, 'created', organizationView),
    403: err('FORBIDDEN: only a platform creates organizations'),
  },
};

export const createPartnership: RouteContract<CreatePartnershipBody> = {
  method: 'POST',
  path: '/partnerships',
  summary: 'Let an agency of the same platform submit to some of the employer’s jobs',
  access: ['admin'],
  body: createPartnershipBody,
  responses: {
    ...written(201, 'created', partnershipView),
    404: err('NOT_FOUND: no such agency under the platform, or a job that is not the employer’s'),
  },
};

export const listPartnerships: RouteContract = {
  method: 'GET',
  path: '/partnerships',
  summary: 'The employer’s partnerships, or the agency’s: the jobs it may submit to',
  access: anyRole,
  bodyKind: 'none',
  responses: { 200: { description: 'every partnership, newest first', schema: partnershipList }, ...denied },
};

export const endPartnership: RouteContract<unknown, unknown, Id> = {
  method: 'DELETE',
  path: '/partnerships/{id}',
  summary: 'End a partnership: no new submissions; the existing ones stay',
  access: ['admin'],
  bodyKind: 'none',
  params: idParams,
  responses: { 200: { description: 'ended', schema: partnershipView }, ...denied, 404: err('NOT_FOUND') },
};

export const sendMessage: RouteContract<SendMessageBody, unknown, Id> = {
  method: 'POST',
  path: '/applications/{id}/messages',
  summary:
    'Write to all parties of an application or to one of them (event message.created to each recipient)',
  access: anyRole,
  body: sendMessageBody,
  params: idParams,
  responses: {
    ...written(201, 'sent', messageView),
    404: err('NOT_FOUND: no such application visible, or `to` is not another party of it'),
  },
};

export const listMessages: RouteContract<unknown, unknown, Id> = {
  method: 'GET',
  path: '/applications/{id}/messages',
  summary: "The application's messages the caller's organization may read, oldest first, with read receipts",
  access: anyRole,
  bodyKind: 'none',
  params: idParams,
  responses: { 200: { description: 'messages', schema: messageList }, ...denied, 404: err('NOT_FOUND') },
};

export const readMessage: RouteContract<unknown, unknown, Id> = {
  method: 'POST',
  path: '/messages/{id}/read',
  summary: "Mark a message read for the caller's organization (a recipient); repeating it changes nothing",
  access: anyRole,
  bodyKind: 'none',
  params: idParams,
  responses: { 200: { description: 'the message', schema: messageView }, ...denied, 404: err('NOT_FOUND') },
};

export const partiesContracts: AnyContract[] = [
  createOrganization,
  createPartnership,
  listPartnerships,
  endPartnership,
  sendMessage,
  listMessages,
  readMessage,
];

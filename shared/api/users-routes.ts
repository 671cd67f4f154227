/**
 * Routes of the users of an organization (docs/api.md, "Users"), appended to the contract table by
 * shared/api/contract.ts. Admins add and deactivate users; staff keys list them.
 */
import type { AnyContract, RouteContract } from '../http/types.js';
import { errorBody } from './common.js';
import {
  type CreateUserBody,
  createdUser,
  createUserBody,
  type UsersQuery,
  userIdParams,
  userPage,
  usersQuery,
} from './users.js';

const err = (description: string) => ({ description, schema: errorBody });
const auth = { 401: err('UNAUTHORIZED'), 403: err('FORBIDDEN') };

export const createUser: RouteContract<CreateUserBody> = {
  method: 'POST',
  path: '/users',
  summary: 'Add a user with a role; the answer carries its personal API key, shown once',
  access: ['admin'],
  body: createUserBody,
  responses: {
    201: { description: 'created', schema: createdUser },
    400: err('VALIDATION_FAILED (an unknown role too) or MALFORMED_JSON'),
    ...auth,
    409: err('USER_EXISTS: an active user of the organization has this e-mail'),
    413: err('PAYLOAD_TOO_LARGE'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
  },
};

export const listUsers: RouteContract<unknown, UsersQuery> = {
  method: 'GET',
  path: '/users',
  summary: 'Users of the organization, active and deactivated, oldest first, cursor-paginated',
  access: ['admin', 'ats'],
  bodyKind: 'none',
  query: usersQuery,
  responses: {
    200: { description: 'page', schema: userPage },
    400: err('VALIDATION_FAILED (a malformed cursor)'),
    ...auth,
  },
};

export const deleteUser: RouteContract<unknown, unknown, { id: string }> = {
  method: 'DELETE',
  path: '/users/{id}',
  summary: 'Deactivate a user: its keys answer 401 from then on; history and notes keep its name',
  access: ['admin'],
  bodyKind: 'none',
  params: userIdParams,
  responses: {
    204: { description: 'deactivated' },
    400: err('VALIDATION_FAILED'),
    ...auth,
    404: err('NOT_FOUND'),
  },
};

export const userContracts: AnyContract[] = [createUser, listUsers, deleteUser];

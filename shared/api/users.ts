/**
 * Schemas of the users routes (docs/api.md, "Users"): people of an organization with a role and a personal API
 * key. Bodies are strict (an unknown field is a 400).
 */
import * as z from 'zod';
import { userRoles } from '../domain/users.js';
import { cursorQuery, text, uuid } from './common.js';

export const userRole = z.enum(userRoles);

export const createUserBody = z
  .object({
    email: z.email().max(254).trim(),
    name: text(200),
    role: userRole,
  })
  .strict()
  .meta({ id: 'CreateUser' });

export const userView = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    role: userRole,
    /** The key role the user's personal key acts with: admin, ats or portal. */
    keyRole: z.enum(['admin', 'ats', 'portal']),
    active: z.boolean(),
    createdAt: z.string(),
    deactivatedAt: z.string().nullable(),
  })
  .meta({ id: 'User' });

export const createdUser = userView
  .extend({
    /** The personal API key, shown once: only its hash is stored. */
    apiKey: z.string(),
  })
  .meta({ id: 'CreatedUser' });

export const userPage = z
  .object({ items: z.array(userView), nextCursor: z.string().nullable() })
  .meta({ id: 'UserPage' });

export const userIdParams = z.object({ id: uuid });
export const usersQuery = cursorQuery;

export type CreateUserBody = z.infer<typeof createUserBody>;
export type UsersQuery = z.infer<typeof usersQuery>;

/**
 * Users of an organization (docs/api.md, "Users"): an admin adds one with a role and hands over its personal key
 * (shown once), staff list them, an admin deactivates one (its keys answer 401 from the next request on).
 */
import type { Sql } from 'postgres';
import { decodeCursor, pageOf } from '../../shared/api/cursor.js';
import type { CreateUserBody, UsersQuery } from '../../shared/api/users.js';
import { iso, isoOrNull } from '../../shared/api/views.js';
import {
  deactivateUser,
  insertUserWithKey,
  listUsers,
  type UserRow,
} from '../../shared/db/repositories/users.js';
import { withCaller } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import { keyRoleOfUser } from '../../shared/domain/users.js';
import type { Principal } from '../../shared/http/types.js';

export interface UsersDependencies {
  sql: Sql;
}

function userView(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    keyRole: keyRoleOfUser[row.role],
    active: row.active,
    createdAt: iso(row.created_at),
    deactivatedAt: isoOrNull(row.deactivated_at),
  };
}

export async function createUser(deps: UsersDependencies, principal: Principal, body: CreateUserBody) {
  try {
    const { user, key } = await withCaller(deps.sql, principal, (tx) =>
      insertUserWithKey(tx, { organizationId: principal.organizationId, ...body }),
    );
    return { ...userView(user), apiKey: key.key };
  } catch (error) {
    if ((error as { constraint_name?: string }).constraint_name !== 'users_org_email_idx') throw error;
    throw new DomainError('USER_EXISTS', 'an active user of this organization has this e-mail');
  }
}

export async function getUsers(deps: UsersDependencies, principal: Principal, query: UsersQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, ['time', 'uuid']) : undefined;
  const rows = await withCaller(deps.sql, principal, (tx) => listUsers(tx, query.limit, after));
  return pageOf(rows, query.limit, userView, (row) => [row.sort_at, row.id]);
}

export async function removeUser(deps: UsersDependencies, principal: Principal, id: string): Promise<void> {
  const user = await withCaller(deps.sql, principal, (tx) => deactivateUser(tx, id));
  if (!user) throw notFound('user');
}

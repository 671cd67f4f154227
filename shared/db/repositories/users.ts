/**
 * Users and their personal keys (docs/api.md, "Users"). Creating one writes the user and its key together; the
 * key is returned in clear once and stored as its hash (api-keys.ts). Deactivating revokes every key of the user.
 */
import type { Sql } from 'postgres';
import { keyRoleOfUser, type UserRole } from '../../domain/users.js';
import type { Tx } from '../tenant.js';
import { insertApiKey } from './api-keys.js';
import { sortKey, timeOrderedPage } from './record-keys.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  active: boolean;
  created_at: Date;
  deactivated_at: Date | null;
  sort_at: string;
}

const USER_COLUMNS = 'id, email, name, role, deactivated_at is null as active, created_at, deactivated_at';

export interface NewUser {
  organizationId: string;
  email: string;
  name: string;
  role: UserRole;
}

/**
 * The user and its personal key, in the caller's transaction. A second active user with the same e-mail
 * (case-insensitive) in the organization raises the unique violation of users_org_email_idx.
 */
export async function insertUserWithKey(
  tx: Sql | Tx,
  input: NewUser,
): Promise<{ user: UserRow; key: { id: string; key: string } }> {
  const [user] = await tx<UserRow[]>`
    insert into users (organization_id, email, name, role)
    values (${input.organizationId}, ${input.email}, ${input.name}, ${input.role})
    returning ${tx.unsafe(USER_COLUMNS)}, ${sortKey(tx as Tx, 'created_at')}`;
  const key = await insertApiKey(tx, {
    organizationId: input.organizationId,
    role: keyRoleOfUser[input.role],
    label: input.name,
    userId: user!.id,
  });
  return { user: user!, key };
}

/** The organization's users by (created_at, id), `limit + 1` rows; `after` is the previous page's last key. */
export function listUsers(tx: Tx, limit: number, after?: readonly string[]): Promise<UserRow[]> {
  return timeOrderedPage<UserRow>(
    tx,
    {
      columns: USER_COLUMNS,
      from: 'users',
      time: 'created_at',
      id: 'id',
      where: tx`organization_id = app_org()`,
    },
    limit,
    after,
  );
}

/**
 * Deactivates an active user of the organization and revokes its keys; undefined when there is no such user.
 * Deactivating an already deactivated user changes nothing and returns it as it is.
 */
export async function deactivateUser(tx: Tx, id: string): Promise<UserRow | undefined> {
  const [user] = await tx<UserRow[]>`
    update users set deactivated_at = coalesce(deactivated_at, now())
    where organization_id = app_org() and id = ${id}
    returning ${tx.unsafe(USER_COLUMNS)}, ${sortKey(tx, 'created_at')}`;
  if (!user) return undefined;
  await tx`update api_keys set revoked_at = coalesce(revoked_at, now())
    where organization_id = app_org() and user_id = ${id}`;
  return user;
}

import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import type { ApiRole, Principal } from '../../http/types.js';
import { type Tx, withKeyLookup } from '../tenant.js';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `hub_<role>_` + 32 random bytes base64url: recognisable in a leak scanner, never stored in clear. */
export function generateApiKey(role: ApiRole): string {
  return `hub_${role}_${randomBytes(32).toString('base64url')}`;
}

/** An organization key, or with `userId` a user's personal key. */
export async function insertApiKey(
  tx: Sql | Tx,
  input: { organizationId: string; role: ApiRole; label: string; userId?: string },
): Promise<{ id: string; key: string }> {
  const key = generateApiKey(input.role);
  const [row] = await tx<{ id: string }[]>`
    insert into api_keys (organization_id, role, key_hash, key_prefix, label, user_id)
    values (${input.organizationId}, ${input.role}, ${hashApiKey(key)}, ${key.slice(0, 12)}, ${input.label},
      ${input.userId ?? null})
    returning id`;
  return { id: row!.id, key };
}

/**
 * The principal of a live key. A personal key answers only while its user is active: the user row must be seen
 * active, so a user the lookup cannot read fails closed. A personal key is labelled by its user's name.
 */
export async function findPrincipalByKey(sql: Sql, key: string): Promise<Principal | null> {
  const hash = hashApiKey(key);
  const rows = await withKeyLookup(
    sql,
    hash,
    (tx) => tx<
      { id: string; organization_id: string; role: ApiRole; label: string; user_id: string | null }[]
    >`
      select k.id, k.organization_id, k.role, coalesce(u.name, k.label) as label, k.user_id
      from api_keys k left join users u on u.organization_id = k.organization_id and u.id = k.user_id
      where k.key_hash = ${hash} and k.revoked_at is null
        and (k.user_id is null or u.deactivated_at is null and u.id is not null)`,
  );
  const row = rows[0];
  if (!row) return null;
  const principal: Principal = {
    organizationId: row.organization_id,
    role: row.role,
    keyId: row.id,
    label: row.label,
  };
  if (row.user_id) principal.userId = row.user_id;
  return principal;
}

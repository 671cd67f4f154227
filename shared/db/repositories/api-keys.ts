import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import type { ApiRole, Principal } from '../../http/types.js';
import { withKeyLookup } from '../tenant.js';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `hub_<role>_` + 32 random bytes base64url: recognisable in a leak scanner, never stored in clear. */
export function generateApiKey(role: ApiRole): string {
  return `hub_${role}_${randomBytes(32).toString('base64url')}`;
}

export async function insertApiKey(
  tx: Sql,
  input: { organizationId: string; role: ApiRole; label: string },
): Promise<{ id: string; key: string }> {
  const key = generateApiKey(input.role);
  const [row] = await tx<{ id: string }[]>`
    insert into api_keys (organization_id, role, key_hash, key_prefix, label)
    values (${input.organizationId}, ${input.role}, ${hashApiKey(key)}, ${key.slice(0, 12)}, ${input.label})
    returning id`;
  return { id: row!.id, key };
}

export async function findPrincipalByKey(sql: Sql, key: string): Promise<Principal | null> {
  const hash = hashApiKey(key);
  const rows = await withKeyLookup(
    sql,
    hash,
    (tx) => tx<{ id: string; organization_id: string; role: ApiRole; label: string }[]>`
      select id, organization_id, role, label from api_keys where key_hash = ${hash} and revoked_at is null`,
  );
  const row = rows[0];
  return row
    ? { organizationId: row.organization_id, role: row.role, keyId: row.id, label: row.label }
    : null;
}

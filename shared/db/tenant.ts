import type { Sql, TransactionSql } from 'postgres';

/** Who acts inside a transaction; RLS policies read it from `app.role`. */
export type DbRole = 'portal' | 'ats' | 'admin' | 'worker' | 'system';

export type Tx = TransactionSql;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertUuid(value: string, what: string): void {
  if (!UUID.test(value)) throw new TypeError(`${what} must be a UUID`);
}

/**
 * Runs fn in one transaction with the tenant and role set transaction-locally (`set_config(..., true)`),
 * so a pooled connection never carries them into the next transaction. The settings statement is
 * pipelined with fn's first statement instead of costing its own round trip.
 */
export async function withTenant<T>(
  sql: Sql,
  organizationId: string,
  role: DbRole,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  assertUuid(organizationId, 'organizationId');
  return withSettings(sql, { 'app.organization_id': organizationId, 'app.role': role }, fn);
}

/** Cross-tenant scheduler work; the policies grant the `system` role only what the relay and scheduler need. */
export function withSystem<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withSettings(sql, { 'app.role': 'system' }, fn);
}

/** Resolves an API key: the policy shows exactly the row whose hash is presented. */
export function withKeyLookup<T>(sql: Sql, keyHash: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withSettings(sql, { 'app.key_hash': keyHash }, fn);
}

/** Resolves the one integration named in a webhook URL, before its tenant is known. */
export function withIntegrationRoute<T>(sql: Sql, integrationId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  assertUuid(integrationId, 'integrationId');
  return withSettings(sql, { 'app.integration_id': integrationId }, fn);
}

async function withSettings<T>(sql: Sql, settings: Record<string, string>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  const values = Object.values(settings);
  const result = await sql.begin(async (tx) => {
    const context = tx`select set_config(name, value, true) from unnest(${names}::text[], ${values}::text[]) as s(name, value)`.execute();
    // a failure here aborts the transaction; fn's own statements then fail and report it
    context.catch(() => {});
    const value = await fn(tx as Tx);
    await context;
    return value;
  });
  return result as T;
}

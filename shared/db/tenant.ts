import type { Sql, TransactionSql } from 'postgres';
import { renewPool } from './client.js';

/** Who acts inside a transaction; RLS policies read it from `app.role`. */
export type DbRole = 'portal' | 'ats' | 'admin' | 'worker' | 'system';

export type Tx = TransactionSql;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertUuid(value: string, what: string): void {
  if (!UUID.test(value)) throw new TypeError(`${what} must be a UUID`);
}

export interface TenantOptions {
  /** The API key acting (`app.actor_id`): the notes policy shows a private note to its author's key only. */
  actorId?: string;
  /** The user of a personal key (`app.user_id`): history rows and notes record it as their acting user. */
  userId?: string;
  /**
   * `false`: no JIT compilation in this transaction (`jit`). The sync's page statements are planned per call
   * (`prepare: false`) and their estimates pass `jit_above_cost` on a large page although they run in milliseconds:
   * compiling cost more than the statement itself (docs/performance-results.md, B2).
   */
  jit?: false;
}

/** What a caller's transaction records about who acts: its key, and its user when the key is personal. */
function actingAs(caller: { keyId: string; userId?: string | undefined }): TenantOptions {
  return caller.userId === undefined
    ? { actorId: caller.keyId }
    : { actorId: caller.keyId, userId: caller.userId };
}

/** A caller's transaction: its organization, its role, and its key and user as the actors. */
export function withCaller<T>(
  sql: Sql,
  caller: { organizationId: string; role: DbRole; keyId: string; userId?: string | undefined },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return withTenant(sql, caller.organizationId, caller.role, fn, actingAs(caller));
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
  options: TenantOptions = {},
): Promise<T> {
  assertUuid(organizationId, 'organizationId');
  const settings: Record<string, string> = { 'app.organization_id': organizationId, 'app.role': role };
  if (options.actorId !== undefined) {
    assertUuid(options.actorId, 'actorId');
    settings['app.actor_id'] = options.actorId;
  }
  if (options.userId !== undefined) {
    assertUuid(options.userId, 'userId');
    settings['app.user_id'] = options.userId;
  }
  if (options.jit === false) settings.jit = 'off';
  return withSettings(sql, settings, fn);
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
export function withIntegrationRoute<T>(
  sql: Sql,
  integrationId: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  assertUuid(integrationId, 'integrationId');
  return withSettings(sql, { 'app.integration_id': integrationId }, fn);
}

/**
 * Resolves a connect link or an OAuth state by the SHA-256 of what the browser presents (docs/connect.md):
 * the policies show exactly the row with that hash, before its tenant is known.
 */
export function withConnectLookup<T>(
  sql: Sql,
  lookup: { tokenHash: string } | { stateHash: string },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const settings: Record<string, string> =
    'tokenHash' in lookup
      ? { 'app.connect_token': lookup.tokenHash }
      : { 'app.connect_state': lookup.stateHash };
  return withSettings(sql, settings, fn);
}

/** Errors after which the session is gone: the server rolled the transaction back itself. */
const CONNECTION_LOST = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

export function isConnectionLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; severity?: unknown };
  if (e.severity === 'FATAL' || e.severity === 'PANIC') return true;
  return typeof e.code === 'string' && (CONNECTION_LOST.has(e.code) || e.code.startsWith('08'));
}

/** Setting names and values are ids, hashes, role names and `jit`: anything else is refused, never quoted. */
const SETTING_NAME = /^(?:app\.[a-z_]{1,40}|jit)$/;
const SETTING_VALUE = /^[A-Za-z0-9_-]{1,128}$/;

/** `begin; select set_config(…, true), …` with the values inlined after validation (no parameters). */
export function openingStatement(settings: Record<string, string>): string {
  const calls = Object.entries(settings).map(([name, value]) => {
    if (!SETTING_NAME.test(name)) throw new TypeError(`invalid setting name ${JSON.stringify(name)}`);
    if (!SETTING_VALUE.test(value)) throw new TypeError(`invalid value for ${name}`);
    return `set_config('${name}', '${value}', true)`;
  });
  return `begin; select ${calls.join(', ')}`;
}

/**
 * A named prepared statement the server no longer has (SQLSTATE 26000), or a cached plan whose result type changed
 * (0A000, postgres.js routine `RevalidateCachedQuery`): after a failover, a proxy moving the session, a
 * `DEALLOCATE`, or a migration altering a table. postgres.js re-sends such a statement once, but inside a
 * transaction the failed statement has already aborted it, so only the whole transaction can be run again.
 */
export function isLostPreparedStatement(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; routine?: unknown };
  return e.code === '26000' || (e.code === '0A000' && e.routine === 'RevalidateCachedQuery');
}

/**
 * One transaction (`attempt`), run once more from its start on a fresh pool when a prepared statement
 * was lost: every statement of the new attempt is prepared again (the pool's statement cache described the lost
 * session). `fn` must be safe to run again: it does database work only, and that work was rolled back.
 */
async function withSettings<T>(
  sql: Sql,
  settings: Record<string, string>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const opening = openingStatement(settings);
  try {
    return await attempt(sql, opening, fn);
  } catch (error) {
    if (!isLostPreparedStatement(error)) throw error;
    renewPool(sql);
    return attempt(sql, opening, fn);
  }
}

/**
 * One transaction on a reserved connection (BEGIN with the settings, pipelined with fn's first statement, COMMIT).
 * Not `sql.begin`: postgres.js 3.4.9 answers a connection lost mid-transaction by writing ROLLBACK to the
 * closed socket, which throws an uncatchable TypeError from a timer (the process dies) and leaves the pooled
 * connection unable to reconnect (porsager/postgres #1133, #1208; found by reliability test R3). Here nothing
 * is written after the connection is lost (the server has rolled back already), the lost connection is not
 * handed back, and the pool is renewed (`renewPool`), as postgres.js cannot reuse that connection reliably.
 */
async function attempt<T>(sql: Sql, opening: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  let lost = false;
  try {
    // BEGIN and the settings go as one simple-protocol message, sent together with fn's first statement:
    // one round trip for all three (docs/performance.md §2.1). A parameterised settings statement would cost a
    // round trip of its own, two with `prepare: false` (postgres.js describes an unnamed statement first).
    const context = conn.unsafe(opening).execute();
    // a failure here aborts the transaction; fn's own statements then fail and report it
    context.catch((error: unknown) => {
      lost ||= isConnectionLost(error);
    });
    const value = await fn(conn as unknown as Tx);
    await context;
    await conn.unsafe('commit');
    return value;
  } catch (error) {
    lost ||= isConnectionLost(error);
    if (!lost) {
      await conn.unsafe('rollback').catch((rollbackError: unknown) => {
        lost = isConnectionLost(rollbackError);
      });
    }
    throw error;
  } finally {
    if (lost) renewPool(sql);
    else conn.release();
  }
}

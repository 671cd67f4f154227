/** SQL of the connect flow (migrations/0018_connect_sessions.sql). */
import type { Sql } from 'postgres';
import { type Tx, withConnectLookup } from '../db/tenant.js';
import type { ProviderEndpoints } from './config.js';

export interface ConnectSessionRow {
  id: string;
  organization_id: string;
  provider: string | null;
  redirect_url: string;
  created_by_key_id: string | null;
  expires_at: Date;
  used_at: Date | null;
}

export interface OAuthStateRow {
  id: string;
  organization_id: string;
  session_id: string;
  provider: string;
  code_verifier: string;
  endpoints: ProviderEndpoints;
  expires_at: Date;
  used_at: Date | null;
}

export async function insertSession(
  tx: Tx,
  input: {
    organizationId: string;
    tokenHash: string;
    provider: string | null;
    redirectUrl: string;
    createdByKeyId: string;
    expiresAt: Date;
  },
): Promise<void> {
  await tx`
    insert into connect_sessions (organization_id, token_hash, provider, redirect_url, created_by_key_id, expires_at)
    values (${input.organizationId}, ${input.tokenHash}, ${input.provider}, ${input.redirectUrl},
      ${input.createdByKeyId}, ${input.expiresAt})`;
}

const SESSION_COLUMNS = 'id, organization_id, provider, redirect_url, created_by_key_id, expires_at, used_at';

/** The session whose token hashes to `tokenHash`, before its organization is known. */
export async function findSessionByToken(
  sql: Sql,
  tokenHash: string,
): Promise<ConnectSessionRow | undefined> {
  const [row] = await withConnectLookup(
    sql,
    { tokenHash },
    (tx) => tx<ConnectSessionRow[]>`
      select ${tx.unsafe(SESSION_COLUMNS)} from connect_sessions where token_hash = ${tokenHash}`,
  );
  return row;
}

export async function findSession(tx: Tx, id: string): Promise<ConnectSessionRow | undefined> {
  const [row] = await tx<ConnectSessionRow[]>`
    select ${tx.unsafe(SESSION_COLUMNS)} from connect_sessions where id = ${id}`;
  return row;
}

/**
 * Marks a session or an OAuth state used; false when it was used or expired meanwhile (two tabs, a replayed
 * form or callback): the one statement both single-use rules rest on.
 */
async function useOnce(
  tx: Tx,
  table: 'connect_sessions' | 'connect_oauth_states',
  id: string,
  now: Date,
): Promise<boolean> {
  const rows = await tx`
    update ${tx(table)} set used_at = ${now}
    where id = ${id} and used_at is null and expires_at > ${now}
    returning id`;
  return rows.length === 1;
}

export const claimSession = (tx: Tx, id: string, now: Date) => useOnce(tx, 'connect_sessions', id, now);

/** Gives a claimed session back when the integration could not be saved after all. */
export async function releaseSession(tx: Tx, id: string): Promise<void> {
  await tx`update connect_sessions set used_at = null where id = ${id}`;
}

export async function recordIntegration(tx: Tx, id: string, integrationId: string): Promise<void> {
  await tx`update connect_sessions set integration_id = ${integrationId} where id = ${id}`;
}

export async function insertOAuthState(
  tx: Tx,
  input: {
    organizationId: string;
    sessionId: string;
    stateHash: string;
    provider: string;
    codeVerifier: string;
    endpoints: ProviderEndpoints;
    expiresAt: Date;
  },
): Promise<void> {
  await tx`
    insert into connect_oauth_states
      (organization_id, session_id, state_hash, provider, code_verifier, endpoints, expires_at)
    values (${input.organizationId}, ${input.sessionId}, ${input.stateHash}, ${input.provider},
      ${input.codeVerifier}, ${tx.json(input.endpoints as never)}, ${input.expiresAt})`;
}

export async function findStateByHash(sql: Sql, stateHash: string): Promise<OAuthStateRow | undefined> {
  const [row] = await withConnectLookup(
    sql,
    { stateHash },
    (tx) => tx<OAuthStateRow[]>`
      select id, organization_id, session_id, provider, code_verifier, endpoints, expires_at, used_at
      from connect_oauth_states where state_hash = ${stateHash}`,
  );
  return row;
}

/** Single use: false when the state was used already or has expired. */
export const consumeState = (tx: Tx, id: string, now: Date) => useOnce(tx, 'connect_oauth_states', id, now);

import type { Sql } from 'postgres';
import { findPrincipalByKey } from '../db/repositories/api-keys.js';
import type { ApiKeyAuthenticator } from './middleware/authenticate.js';
import type { Principal } from './types.js';

/**
 * Keys resolved through the database, remembered per execution environment for a short time so a busy
 * function does not pay a query per request. A revoked organization key stops working within `ttlMs`.
 * A personal key is never remembered: its user's deactivation (in another function's environment) must
 * answer 401 from the next request on, so each of its requests looks it up again (one indexed read).
 */
export class CachedApiKeyAuthenticator implements ApiKeyAuthenticator {
  private readonly cache = new Map<string, { principal: Principal | null; expires: number }>();

  constructor(
    private readonly sql: () => Sql,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 1_000,
  ) {}

  async authenticate(apiKey: string): Promise<Principal | null> {
    const now = Date.now();
    const hit = this.cache.get(apiKey);
    if (hit && hit.expires > now) return hit.principal;
    const principal = await findPrincipalByKey(this.sql(), apiKey);
    if (principal?.userId) return principal;
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    // unknown keys are remembered briefly too, so a flood of bad keys cannot hammer the database
    this.cache.set(apiKey, { principal, expires: now + (principal ? this.ttlMs : 5_000) });
    return principal;
  }
}

/**
 * Harvest v3 OAuth client credentials (docs/providers.md §2.1): `POST authUrl` with Basic client_id:client_secret
 * and form `grant_type=client_credentials&sub=<user id>`. One cached token per credentials × `sub`, reused until
 * shortly before it expires; callers force a refresh once after a 401.
 *
 * The cache lives at module scope: the engine builds a client per SQS message, and a warm execution environment
 * then reuses the token across messages instead of asking for a new one each time. Keys hold a digest of the
 * credentials, never the secret itself.
 */
import { createHash } from 'node:crypto';
import { type ProviderContext, ProviderError } from '../../ports/provider.js';
import { basicAuth, errorForStatus, httpCall, parseJsonBody } from '../common/http-call.js';
import type { GreenhouseCredentials } from './credentials.js';
import { tokenResponseSchema } from './schemas.js';
import type { GreenhouseSettings } from './settings.js';

/** Access tokens live 1 h (confirmed); used when the response states no lifetime. */
const DEFAULT_LIFETIME_SECONDS = 3600;

interface CachedToken {
  value: string;
  expiresAtMs: number;
}

/** Bounded: an environment serves a handful of integrations; a runaway key set is dropped, not kept. */
const MAX_CACHED_TOKENS = 1_000;
const cachedTokens = new Map<string, CachedToken>();
const pendingTokens = new Map<string, Promise<string>>();

export class GreenhouseTokenSource {
  private readonly scope: string;

  constructor(
    private readonly context: ProviderContext,
    private readonly credentials: GreenhouseCredentials,
    private readonly settings: GreenhouseSettings,
  ) {
    this.scope = createHash('sha256')
      .update(`${settings.authUrl}\n${credentials.clientId}\n${credentials.clientSecret}`)
      .digest('hex');
  }

  /** A valid token for `sub` (the acting Greenhouse user; '' = the credential's default user). */
  async token(sub: string, forceRefresh = false): Promise<string> {
    const key = `${this.scope}:${sub}`;
    const cached = cachedTokens.get(key);
    const skewMs = this.settings.tokenRefreshSkewSeconds * 1000;
    if (!forceRefresh && cached && cached.expiresAtMs - skewMs > this.context.clock.now().getTime()) {
      return cached.value;
    }
    if (forceRefresh) cachedTokens.delete(key);
    const inFlight = pendingTokens.get(key);
    if (inFlight) return inFlight;
    const request = this.fetchToken(key, sub).finally(() => pendingTokens.delete(key));
    pendingTokens.set(key, request);
    return request;
  }

  private async fetchToken(key: string, sub: string): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (sub !== '') form.set('sub', sub);
    const reply = await httpCall(this.context, {
      method: 'POST',
      url: this.settings.authUrl,
      headers: {
        authorization: basicAuth(this.credentials.clientId, this.credentials.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      timeoutMs: this.settings.requestTimeoutMs,
    });
    if (reply.status === 400 || reply.status === 401 || reply.status === 403) {
      throw new ProviderError('greenhouse token: client credentials refused', 'auth', reply.status);
    }
    if (reply.status !== 200) throw errorForStatus(reply.status, 'greenhouse token');
    const parsed = tokenResponseSchema.safeParse(parseJsonBody(reply, 'greenhouse token'));
    if (!parsed.success)
      throw new ProviderError('greenhouse token: unexpected response shape', 'permanent', 200);
    const now = this.context.clock.now().getTime();
    const { access_token, expires_in, expires_at } = parsed.data;
    let expiresAtMs = now + (expires_in ?? DEFAULT_LIFETIME_SECONDS) * 1000;
    if (expires_in === undefined && expires_at !== undefined) {
      const at = typeof expires_at === 'number' ? expires_at * 1000 : Date.parse(expires_at);
      if (Number.isFinite(at)) expiresAtMs = at;
    }
    if (cachedTokens.size >= MAX_CACHED_TOKENS) cachedTokens.clear();
    cachedTokens.set(key, { value: access_token, expiresAtMs });
    return access_token;
  }
}

/**
 * Lever authorisation: Basic with the API key, or OAuth 2.0 bearer tokens from a refresh token that rotates on
 * every use (docs/providers.md §3.1). Refreshes are single-flight: two concurrent refreshes with one refresh token
 * would burn it. The new refresh token is handed to `settings.onRefreshTokenRotated` to be persisted.
 *
 * The token state lives at module scope, one per integration (`context.integrationId`) × digest of the client
 * credentials and token endpoint: the engine builds a client per SQS message, and a warm execution environment
 * then reuses the access token (and the single-flight refresh) across messages instead of rotating the refresh
 * token for each one. Without an integration id the state is the client's own.
 */
import { createHash } from 'node:crypto';
import { type ProviderContext, ProviderError } from '../../ports/provider.js';
import { basicAuth, errorForStatus, httpCall, parseJsonBody } from '../common/http-call.js';
import type { LeverCredentials } from './credentials.js';
import { leverTokenSchema } from './schemas.js';
import type { LeverSettings } from './settings.js';

interface TokenState {
  accessToken: string | null;
  expiresAtMs: number;
  refreshToken: string | null;
  /**
   * The refresh token this state rotated away from: credentials still carrying it (the rotation persisted but
   * not yet read back) belong to this state, whose refresh token is the valid one.
   */
  rotatedFrom: string | null;
  pending: Promise<string> | null;
}

/** Bounded: an environment serves a handful of integrations; a runaway key set is dropped, not kept. */
const MAX_CACHED_STATES = 1_000;
const states = new Map<string, TokenState>();

function stateFor(
  context: ProviderContext,
  credentials: LeverCredentials,
  settings: LeverSettings,
): TokenState {
  const refreshToken = 'refreshToken' in credentials ? credentials.refreshToken : null;
  const accessToken = 'accessToken' in credentials ? (credentials.accessToken ?? null) : null;
  const fresh: TokenState = {
    accessToken,
    // Unknown age: trust a given access token until the API says 401.
    expiresAtMs: accessToken ? Number.POSITIVE_INFINITY : 0,
    refreshToken,
    rotatedFrom: null,
    pending: null,
  };
  if (!context.integrationId || !('clientId' in credentials)) return fresh;
  const digest = createHash('sha256')
    .update(`${settings.authUrl}\n${credentials.clientId}\n${credentials.clientSecret}`)
    .digest('hex');
  const key = `${context.integrationId}:${digest}`;
  const cached = states.get(key);
  // other credentials (reconnected, replaced) start over; the same or the just-rotated-away token shares the state
  if (cached && (cached.refreshToken === refreshToken || cached.rotatedFrom === refreshToken)) return cached;
  if (states.size >= MAX_CACHED_STATES) states.clear();
  states.set(key, fresh);
  return fresh;
}

export class LeverAuth {
  private readonly state: TokenState;

  constructor(
    private readonly context: ProviderContext,
    private readonly credentials: LeverCredentials,
    private readonly settings: LeverSettings,
  ) {
    this.state = stateFor(context, credentials, settings);
  }

  get usesOAuth(): boolean {
    return 'clientId' in this.credentials;
  }

  /** The refresh token currently valid (it changes after each refresh). */
  get currentRefreshToken(): string | null {
    return this.state.refreshToken;
  }

  async authorization(forceRefresh = false): Promise<string> {
    if (!('clientId' in this.credentials)) return basicAuth(this.credentials.apiKey);
    const state = this.state;
    const skewMs = this.settings.tokenRefreshSkewSeconds * 1000;
    if (
      !forceRefresh &&
      state.accessToken &&
      state.expiresAtMs - skewMs > this.context.clock.now().getTime()
    ) {
      return `Bearer ${state.accessToken}`;
    }
    state.pending ??= this.refresh(this.credentials).finally(() => {
      state.pending = null;
    });
    return `Bearer ${await state.pending}`;
  }

  private async refresh(credentials: { clientId: string; clientSecret: string }): Promise<string> {
    const state = this.state;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: state.refreshToken ?? '',
    });
    const reply = await httpCall(this.context, {
      method: 'POST',
      url: this.settings.authUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      timeoutMs: this.settings.requestTimeoutMs,
    });
    if (reply.status === 400 || reply.status === 401 || reply.status === 403) {
      throw new ProviderError(
        'lever token: refresh token refused (expired, revoked or already rotated)',
        'auth',
        reply.status,
      );
    }
    if (reply.status !== 200) throw errorForStatus(reply.status, 'lever token');
    const parsed = leverTokenSchema.safeParse(parseJsonBody(reply, 'lever token'));
    if (!parsed.success) throw new ProviderError('lever token: unexpected response shape', 'permanent', 200);
    state.accessToken = parsed.data.access_token;
    state.expiresAtMs = this.context.clock.now().getTime() + (parsed.data.expires_in ?? 3600) * 1000;
    if (parsed.data.refresh_token && parsed.data.refresh_token !== state.refreshToken) {
      state.rotatedFrom = state.refreshToken;
      state.refreshToken = parsed.data.refresh_token;
      await this.settings.onRefreshTokenRotated?.(parsed.data.refresh_token);
    }
    return parsed.data.access_token;
  }
}

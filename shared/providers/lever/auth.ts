/**
 * Lever authorisation: Basic with the API key, or OAuth 2.0 bearer tokens from a refresh token that rotates on
 * every use (providers.md §3.1). Refreshes are single-flight: two concurrent refreshes with one refresh token
 * would burn it. The new refresh token is handed to `settings.onRefreshTokenRotated` to be persisted.
 */
import { type ProviderContext, ProviderError } from '../../ports/provider.js';
import { basicAuth, errorForStatus, httpCall, parseJsonBody } from '../common/http-call.js';
import type { LeverCredentials } from './credentials.js';
import { leverTokenSchema } from './schemas.js';
import type { LeverSettings } from './settings.js';

export class LeverAuth {
  private accessToken: string | null = null;
  private expiresAtMs = 0;
  private refreshToken: string | null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly context: ProviderContext,
    private readonly credentials: LeverCredentials,
    private readonly settings: LeverSettings,
  ) {
    this.refreshToken = 'refreshToken' in credentials ? credentials.refreshToken : null;
    if ('accessToken' in credentials && credentials.accessToken) {
      this.accessToken = credentials.accessToken;
      // Unknown age: trust it until the API says 401.
      this.expiresAtMs = Number.POSITIVE_INFINITY;
    }
  }

  get usesOAuth(): boolean {
    return 'clientId' in this.credentials;
  }

  /** The refresh token currently valid (it changes after each refresh). */
  get currentRefreshToken(): string | null {
    return this.refreshToken;
  }

  async authorization(forceRefresh = false): Promise<string> {
    if (!('clientId' in this.credentials)) return basicAuth(this.credentials.apiKey);
    const skewMs = this.settings.tokenRefreshSkewSeconds * 1000;
    if (!forceRefresh && this.accessToken && this.expiresAtMs - skewMs > this.context.clock.now().getTime()) {
      return `Bearer ${this.accessToken}`;
    }
    this.pending ??= this.refresh(this.credentials).finally(() => {
      this.pending = null;
    });
    return `Bearer ${await this.pending}`;
  }

  private async refresh(credentials: { clientId: string; clientSecret: string }): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: this.refreshToken ?? '',
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
    this.accessToken = parsed.data.access_token;
    this.expiresAtMs = this.context.clock.now().getTime() + (parsed.data.expires_in ?? 3600) * 1000;
    if (parsed.data.refresh_token && parsed.data.refresh_token !== this.refreshToken) {
      this.refreshToken = parsed.data.refresh_token;
      await this.settings.onRefreshTokenRotated?.(parsed.data.refresh_token);
    }
    return parsed.data.access_token;
  }
}

/**
 * Lever's OAuth 2.0 authorization-code flow for the hosted connect page (docs/connect.md, docs/providers.md §3.1):
 * the customer's Super Admin consents at `https://auth.lever.co/authorize` (with `audience` and the scopes the
 * hub needs, `offline_access` for a refresh token; https://hire.lever.co/developer/oauth), and the code comes back
 * to the hub's callback, which exchanges it at the token endpoint with the PKCE verifier (RFC 7636, S256).
 */
import * as z from 'zod';
import { type ProviderContext, ProviderError } from '../../ports/provider.js';
import { httpCall } from '../common/http-call.js';
import { parseJson } from '../common/parse.js';
import { leverTokenSchema } from './schemas.js';

export const LEVER_AUTHORIZE_URL = 'https://auth.lever.co/authorize';
export const LEVER_TOKEN_URL = 'https://auth.lever.co/oauth/token';
export const LEVER_AUDIENCE = 'https://api.lever.co/v1/';

/** What the sync and the write-back read and write (docs/providers.md §3.1 scope grammar). */
export const LEVER_SCOPES = [
  'offline_access',
  'opportunities:read:admin',
  'opportunities:write:admin',
  'postings:read:admin',
  'stages:read:admin',
  'archive_reasons:read:admin',
  'users:read:admin',
  'interviews:read:admin',
  'feedback:read:admin',
  'offers:read:admin',
  'notes:read:admin',
  'notes:write:admin',
  'tags:read:admin',
  'webhooks:read:admin',
];

export function leverAuthorizeUrl(input: {
  authorizeUrl?: string | undefined;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}): string {
  const url = new URL(input.authorizeUrl ?? LEVER_AUTHORIZE_URL);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', input.state);
  url.searchParams.set('scope', LEVER_SCOPES.join(' '));
  url.searchParams.set('audience', LEVER_AUDIENCE);
  url.searchParams.set('prompt', 'consent');
  url.searchParams.set('code_challenge', input.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** The tokens of an authorization code; a refusal is a ProviderError carrying Lever's own error text. */
export async function exchangeLeverCode(
  context: Pick<ProviderContext, 'fetch'>,
  input: {
    tokenUrl?: string | undefined;
    clientId: string;
    clientSecret: string;
    code: string;
    redirectUri: string;
    codeVerifier: string;
  },
): Promise<{ accessToken: string; refreshToken: string }> {
  const reply = await httpCall(context as ProviderContext, {
    method: 'POST',
    url: input.tokenUrl ?? LEVER_TOKEN_URL,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: input.clientId,
      client_secret: input.clientSecret,
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    }).toString(),
    timeoutMs: 10_000,
  });
  const body = parseJson(reply.text);
  if (reply.status !== 200) {
    const refusal = oauthErrorSchema.safeParse(body);
    const text = refusal.success
      ? `${refusal.data.error}${refusal.data.error_description ? `: ${refusal.data.error_description}` : ''}`
      : `status ${reply.status}`;
    throw new ProviderError(`lever token: ${text.slice(0, 300)}`, 'auth', reply.status);
  }
  const tokens = leverTokenSchema.safeParse(body);
  if (!tokens.success || !tokens.data.refresh_token) {
    throw new ProviderError('lever token: no refresh token (is offline_access granted?)', 'permanent', 200);
  }
  return { accessToken: tokens.data.access_token, refreshToken: tokens.data.refresh_token };
}

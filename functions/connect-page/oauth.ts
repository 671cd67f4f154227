/**
 * Lever's authorization-code flow with state and PKCE (docs/connect.md): the form's answer sends the browser to
 * the consent page with a fresh `state` (stored hashed, with the code verifier, and set in a cookie of this
 * browser) and the S256 challenge; the callback accepts only that state from that browser, once, in time.
 */

import type { OAuthCallbackQuery } from '../../shared/api/connect.js';
import { OAUTH_STATE_TTL_SECONDS, type ProviderEndpoints } from '../../shared/connect/config.js';
import { securityHeaders } from '../../shared/connect/html.js';
import { problemPage } from '../../shared/connect/pages.js';
import {
  type ConnectSessionRow,
  consumeState,
  findSession,
  findStateByHash,
  insertOAuthState,
} from '../../shared/connect/repository.js';
import { codeChallengeS256, hashToken, newCodeVerifier, newToken } from '../../shared/connect/tokens.js';
import { withTenant } from '../../shared/db/tenant.js';
import type { HttpResult } from '../../shared/http/types.js';
import { ProviderError } from '../../shared/ports/provider.js';
import {
  exchangeLeverCode,
  LEVER_AUTHORIZE_URL,
  leverAuthorizeUrl,
} from '../../shared/providers/lever/oauth.js';
import {
  type ConnectPageDependencies,
  endpointSettings,
  saveConnection,
  usable,
  verifyWithProvider,
} from './deps.js';

const STATE_COOKIE = 'hub_connect_state';
/** The name of the hub's own OAuth app at a provider in the secrets store: `{clientId, clientSecret}`. */
export const oauthAppSecretName = (provider: string) => `integrations/oauth-apps/${provider}`;

interface OAuthApp extends ProviderEndpoints {
  clientId: string;
  clientSecret: string;
}

/** The hub's OAuth app: the local endpoints file first (fakes), else the secrets store; undefined when neither. */
async function oauthApp(deps: ConnectPageDependencies, provider: string): Promise<OAuthApp | undefined> {
  const local = deps.endpoints()[provider] ?? {};
  const stored = local.clientId ? undefined : await deps.secrets.get(oauthAppSecretName(provider));
  const clientId = local.clientId ?? (typeof stored?.clientId === 'string' ? stored.clientId : undefined);
  const clientSecret =
    local.clientSecret ?? (typeof stored?.clientSecret === 'string' ? stored.clientSecret : undefined);
  return clientId && clientSecret ? { ...local, clientId, clientSecret } : undefined;
}

/** Origins the Lever form's answer redirects to (CSP form-action). */
export function consentOrigins(deps: ConnectPageDependencies, provider: string): string[] {
  if (provider !== 'lever') return [];
  return [new URL(deps.endpoints()[provider]?.authorizeUrl ?? LEVER_AUTHORIZE_URL).origin];
}

const callbackUrl = (deps: ConnectPageDependencies, provider: string) =>
  `${deps.publicBaseUrl.replace(/\/+$/, '')}/connect/oauth/${provider}/callback`;

function stateCookie(deps: ConnectPageDependencies, value: string, maxAge: number): string {
  const secure = deps.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
  return `${STATE_COOKIE}=${value}; Path=/connect/oauth/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

const notConfigured = () =>
  problemPage(
    503,
    'Lever is not set up on this hub',
    'This hub has no Lever OAuth app configured, so it cannot send you to Lever. Nothing was saved.',
  );

export async function startOAuth(
  deps: ConnectPageDependencies,
  session: ConnectSessionRow,
  provider: string,
): Promise<HttpResult> {
  const app = await oauthApp(deps, provider);
  if (!app) return notConfigured();
  const state = newToken();
  const verifier = newCodeVerifier();
  const now = deps.clock.now();
  await withTenant(deps.sql, session.organization_id, 'admin', (tx) =>
    insertOAuthState(tx, {
      organizationId: session.organization_id,
      sessionId: session.id,
      stateHash: hashToken(state),
      provider,
      codeVerifier: verifier,
      endpoints: {
        ...(app.baseUrl ? { baseUrl: app.baseUrl } : {}),
        ...(app.authUrl ? { authUrl: app.authUrl } : {}),
      },
      expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_SECONDS * 1000),
    }),
  );
  const location = leverAuthorizeUrl({
    authorizeUrl: app.authorizeUrl,
    clientId: app.clientId,
    redirectUri: callbackUrl(deps, provider),
    state,
    codeChallenge: codeChallengeS256(verifier),
  });
  return {
    status: 303,
    html: '',
    headers: {
      ...securityHeaders(),
      location,
      'set-cookie': stateCookie(deps, state, OAUTH_STATE_TTL_SECONDS),
    },
  };
}

const mismatch = () =>
  problemPage(
    400,
    'This authorization does not match',
    'The answer from the provider does not belong to a connection started in this browser (state mismatch). Nothing was saved. Open your connect link again to start over.',
  );

function cookieValue(cookies: readonly string[], name: string): string | undefined {
  for (const cookie of cookies) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === name) return cookie.slice(at + 1).trim();
  }
  return undefined;
}

/** The redirect back from the consent page; every outcome also clears the state cookie. */
export async function oauthCallback(
  deps: ConnectPageDependencies,
  provider: string,
  query: OAuthCallbackQuery,
  cookies: readonly string[],
): Promise<HttpResult> {
  const result = await completeOAuth(deps, provider, query, cookies);
  return { ...result, headers: { ...result.headers, 'set-cookie': stateCookie(deps, '', 0) } };
}

async function completeOAuth(
  deps: ConnectPageDependencies,
  provider: string,
  query: OAuthCallbackQuery,
  cookies: readonly string[],
): Promise<HttpResult> {
  const state = query.state ?? '';
  if (provider !== 'lever' || !state || cookieValue(cookies, STATE_COOKIE) !== state) return mismatch();
  const row = await findStateByHash(deps.sql, hashToken(state));
  if (!row || row.provider !== provider) return mismatch();
  const org = row.organization_id;
  const now = deps.clock.now();
  const consumed = await withTenant(deps.sql, org, 'admin', (tx) => consumeState(tx, row.id, now));
  if (!consumed) {
    return problemPage(
      410,
      'This authorization has expired',
      'This authorization was used already or took too long. Open your connect link again.',
    );
  }
  if (query.error || !query.code) {
    const why = query.error
      ? `${query.error}${query.error_description ? ` (${query.error_description})` : ''}`
      : 'no code';
    return problemPage(400, 'Lever did not authorize the hub', `Lever answered: ${why}. Nothing was saved.`);
  }
  const opened = usable(
    await withTenant(deps.sql, org, 'admin', (tx) => findSession(tx, row.session_id)),
    now,
  );
  if (!opened.ok) return opened.page;
  const app = await oauthApp(deps, provider);
  if (!app) return notConfigured();
  let tokens: { accessToken: string; refreshToken: string };
  try {
    tokens = await exchangeLeverCode(deps.fetch ? { fetch: deps.fetch } : {}, {
      tokenUrl: row.endpoints.authUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      code: query.code,
      redirectUri: callbackUrl(deps, provider),
      codeVerifier: row.code_verifier,
    });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return problemPage(422, 'Lever refused the authorization', `${error.message}. Nothing was saved.`);
  }
  const connection = {
    credentials: { clientId: app.clientId, clientSecret: app.clientSecret, ...tokens },
    settings: endpointSettings(row.endpoints),
  };
  const refusal = await verifyWithProvider(deps, provider, connection);
  if (refusal) return problemPage(422, 'Lever refused the access', `${refusal}. Nothing was saved.`);
  return saveConnection(deps, opened.session, provider, connection);
}

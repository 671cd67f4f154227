/**
 * Lever's authorization server in the fake (Lever runs it on Auth0): `GET /authorize` shows a consent page,
 * approving redirects back with a one-time `code` (or `error=access_denied` when denied), and `POST /oauth/token`
 * exchanges it (PKCE S256 checked when the authorization carried a challenge) or rotates a refresh token.
 *
 * Errors are shaped as Auth0 answers them: `{"error", "error_description"}`, 401 `access_denied` "Unauthorized"
 * for a wrong client, 403 `invalid_grant` for a bad code, verifier or refresh token
 * (e.g. https://github.com/auth0/nextjs-auth0/issues/498 "Unknown or invalid refresh token."). A refresh token
 * is issued only with the `offline_access` scope (https://hire.lever.co/developer/oauth).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FakeRequest, FakeResponse } from '../common/fake-server.js';

export interface LeverOAuthOptions {
  client: { clientId: string; clientSecret: string };
  /** Callback URLs registered for the client; when absent, any loopback callback is accepted. */
  callbackUrls?: string[];
  refreshTokens: Set<string>;
  issueAccessToken(): string;
  accessLifetimeSeconds: number;
  nowMs(): number;
}

interface IssuedCode {
  redirectUri: string;
  scope: string;
  challenge: string | null;
  expiresAtMs: number;
}

/** Auth0 authorization codes live briefly; Greenhouse documents one minute for its own, Auth0 about as long. */
const CODE_LIFETIME_MS = 60_000;

const json = (status: number, body: unknown): FakeResponse => ({
  status,
  body,
  headers: { 'cache-control': 'no-store' },
});
const grantError = (description: string) =>
  json(403, { error: 'invalid_grant', error_description: description });

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const htmlPage = (status: number, title: string, body: string): FakeResponse => ({
  status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; form-action 'self' http: https:; frame-ancestors 'none'",
  },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`,
});

const isLoopback = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
};

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export function createLeverOAuth(options: LeverOAuthOptions) {
  const codes = new Map<string, IssuedCode>();
  let rotations = 0;
  const { client } = options;
  const callbackAllowed = (uri: string) =>
    options.callbackUrls ? options.callbackUrls.includes(uri) : isLoopback(uri);

  /** What a refresh or a code exchange hands out. */
  const tokens = (scope: string) => {
    const body: Record<string, unknown> = {
      access_token: options.issueAccessToken(),
      token_type: 'Bearer',
      expires_in: options.accessLifetimeSeconds,
      scope,
    };
    if (scope.split(' ').includes('offline_access')) {
      rotations += 1;
      const refresh = `lever-refresh-${rotations}-${randomBytes(6).toString('hex')}`;
      options.refreshTokens.add(refresh);
      body['refresh_token'] = refresh;
    }
    return json(200, body);
  };

  const authorize = (request: FakeRequest): FakeResponse => {
    const q = request.query;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== client.clientId)
      return htmlPage(400, 'Error', '<h1>Unknown client</h1><p>ClientID not found.</p>');
    if (!callbackAllowed(redirectUri))
      return htmlPage(400, 'Error', '<h1>Callback URL mismatch</h1><p>The redirect_uri is not allowed.</p>');
    if (q.get('response_type') !== 'code')
      return htmlPage(400, 'Error', '<h1>Unsupported response type</h1>');
    const method = q.get('code_challenge_method');
    if (q.get('code_challenge') && method !== 'S256')
      return htmlPage(400, 'Error', '<h1>Unsupported code_challenge_method</h1>');
    const hidden = ['redirect_uri', 'state', 'scope', 'code_challenge']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(q.get(name) ?? '')}">`)
      .join('');
    const scopes = (q.get('scope') ?? '')
      .split(' ')
      .filter(Boolean)
      .map((s) => `<li>${escapeHtml(s)}</li>`)
      .join('');
    return htmlPage(
      200,
      'Authorize application',
      `<h1>Authorize the ATS integration hub</h1><p>It asks to access your Lever account:</p><ul>${scopes}</ul>
<form method="post" action="/authorize/decision">${hidden}
<button type="submit" name="decision" value="approve">Accept</button>
<button type="submit" name="decision" value="deny">Decline</button></form>`,
    );
  };

  const decide = (request: FakeRequest): FakeResponse => {
    const form = new URLSearchParams(request.body);
    const redirectUri = form.get('redirect_uri') ?? '';
    if (!callbackAllowed(redirectUri)) return htmlPage(400, 'Error', '<h1>Callback URL mismatch</h1>');
    const target = new URL(redirectUri);
    const state = form.get('state');
    if (form.get('decision') === 'approve') {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, {
        redirectUri,
        scope: form.get('scope') ?? '',
        challenge: form.get('code_challenge') || null,
        expiresAtMs: options.nowMs() + CODE_LIFETIME_MS,
      });
      target.searchParams.set('code', code);
    } else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'User did not authorize the request');
    }
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.toString() } };
  };

  const exchangeCode = (form: URLSearchParams): FakeResponse => {
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    // single use: a replayed code fails like an unknown one
    codes.delete(code);
    if (!issued || issued.expiresAtMs <= options.nowMs()) return grantError('Invalid authorization code');
    if (form.get('redirect_uri') !== issued.redirectUri)
      return grantError('Invalid redirect URI: it does not match the authorization request');
    if (issued.challenge !== null) {
      const verifier = form.get('code_verifier');
      if (!verifier || s256(verifier) !== issued.challenge)
        return grantError('Failed to verify code verifier');
    }
    return tokens(issued.scope);
  };

  const token = (request: FakeRequest): FakeResponse => {
    const form = new URLSearchParams(request.body);
    if (form.get('client_id') !== client.clientId || form.get('client_secret') !== client.clientSecret) {
      return json(401, { error: 'access_denied', error_description: 'Unauthorized' });
    }
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') return exchangeCode(form);
    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      if (!options.refreshTokens.has(presented)) return grantError('Unknown or invalid refresh token.');
      // rotation: the presented token dies with this use
      options.refreshTokens.delete(presented);
      return tokens('offline_access');
    }
    return json(403, {
      error: 'unsupported_grant_type',
      error_description: `Unsupported grant type: ${grant}`,
    });
  };

  return {
    /** Answers the authorization server's routes; undefined for any other request. */
    route(request: FakeRequest): FakeResponse | undefined {
      if (request.method === 'GET' && request.path === '/authorize') return authorize(request);
      if (request.method === 'POST' && request.path === '/authorize/decision') return decide(request);
      if (request.method === 'POST' && request.path === '/oauth/token') return token(request);
      return undefined;
    },
  };
}

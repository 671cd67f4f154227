/** The Lever fake's authorization server: consent, code exchange with PKCE, refresh-token rotation, Auth0 errors. */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type LeverFake, startLeverFake } from '../../fakes/lever/index.js';
import { leverRefresh } from './lever-http.js';

const { start } = fakeLifecycle(startLeverFake, { postings: 1, contacts: 2 });

const CALLBACK = 'http://127.0.0.1:9/connect/oauth/lever/callback';
const verifier = () => randomBytes(32).toString('base64url');
const challenge = (v: string) => createHash('sha256').update(v).digest('base64url');

function authorizeUrl(fake: LeverFake, params: Record<string, string> = {}): string {
  const url = new URL(fake.authorizeUrl);
  for (const [k, v] of Object.entries({
    client_id: fake.oauthClient.clientId,
    redirect_uri: CALLBACK,
    response_type: 'code',
    state: 'state-1',
    scope: 'offline_access opportunities:read:admin',
    ...params,
  }))
    url.searchParams.set(k, v);
  return url.toString();
}

/** The consent form's decision, as the browser posts it; the redirect back to the hub, unfollowed. */
async function decide(fake: LeverFake, decision: 'approve' | 'deny', codeChallenge = ''): Promise<URL> {
  const response = await fetch(`${fake.authorizeUrl}/decision`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      decision,
      redirect_uri: CALLBACK,
      state: 'state-1',
      scope: 'offline_access opportunities:read:admin',
      code_challenge: codeChallenge,
    }).toString(),
  });
  return new URL(response.headers.get('location') ?? '');
}

const exchange = (fake: LeverFake, code: string, extra: Record<string, string> = {}) =>
  fetch(fake.authUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: fake.oauthClient.clientId,
      client_secret: fake.oauthClient.clientSecret,
      code,
      redirect_uri: CALLBACK,
      ...extra,
    }).toString(),
  });

describe('lever fake: authorization server', () => {
  it('shows a consent page with an accept button for a known client', async () => {
    const fake = await start();

    const response = await fetch(authorizeUrl(fake, { code_challenge: 'x', code_challenge_method: 'S256' }));

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('value="approve"');
  });

  it('refuses an unknown client with an error page', async () => {
    const fake = await start();

    const response = await fetch(authorizeUrl(fake, { client_id: 'someone-else' }));

    expect([response.status, await response.text()]).toEqual([400, expect.stringContaining('ClientID')]);
  });

  it('redirects an approval back with a code and the state unchanged', async () => {
    const fake = await start();

    const back = await decide(fake, 'approve');

    expect([
      back.origin + back.pathname,
      back.searchParams.get('state'),
      back.searchParams.has('code'),
    ]).toEqual([CALLBACK, 'state-1', true]);
  });

  it('redirects a refusal back with access_denied', async () => {
    const fake = await start();

    const back = await decide(fake, 'deny');

    expect(back.searchParams.get('error')).toBe('access_denied');
  });

  it('exchanges a code with the matching verifier for tokens that read the API', async () => {
    const fake = await start();
    const v = verifier();
    const code = (await decide(fake, 'approve', challenge(v))).searchParams.get('code')!;

    const body = (await (await exchange(fake, code, { code_verifier: v })).json()) as Record<string, string>;
    const read = await fetch(`${fake.url}/postings`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });

    expect([typeof body.refresh_token, read.status]).toEqual(['string', 200]);
  });

  it('refuses a code whose verifier does not match its challenge', async () => {
    const fake = await start();
    const code = (await decide(fake, 'approve', challenge(verifier()))).searchParams.get('code')!;

    const response = await exchange(fake, code, { code_verifier: verifier() });

    expect([response.status, await response.json()]).toEqual([
      403,
      { error: 'invalid_grant', error_description: 'Failed to verify code verifier' },
    ]);
  });

  it('refuses a code used once already', async () => {
    const fake = await start();
    const code = (await decide(fake, 'approve')).searchParams.get('code')!;
    await exchange(fake, code);

    const replay = await exchange(fake, code);

    expect([replay.status, await replay.json()]).toEqual([
      403,
      { error: 'invalid_grant', error_description: 'Invalid authorization code' },
    ]);
  });

  it('refuses a wrong client secret with 401 access_denied', async () => {
    const fake = await start();
    const code = (await decide(fake, 'approve')).searchParams.get('code')!;

    const response = await exchange(fake, code, { client_secret: 'wrong' });

    expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([
      401,
      'access_denied',
    ]);
  });

  it('rotates the refresh token issued by the code exchange', async () => {
    const fake = await start();
    const code = (await decide(fake, 'approve')).searchParams.get('code')!;
    const first = (await (await exchange(fake, code)).json()) as { refresh_token: string };
    const refresh = () => leverRefresh(fake, first.refresh_token);
    await refresh();

    const again = await refresh();

    expect([again.status, ((await again.json()) as { error_description: string }).error_description]).toEqual(
      [403, 'Unknown or invalid refresh token.'],
    );
  });
});

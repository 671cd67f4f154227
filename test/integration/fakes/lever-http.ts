/** Plain-fetch calls on the Lever fake, authorised with its API key, for the fake's own tests. */
import { basicAuth } from '../../fakes/common/lifecycle.js';
import type { LeverFake } from '../../fakes/lever/index.js';

export const leverHttp = (fake: () => LeverFake) => ({
  get: (path: string, authorization = basicAuth(fake().apiKey)) =>
    fetch(`${fake().url}${path}`, { headers: { authorization } }),
  send: (method: 'PUT' | 'POST', path: string, body: unknown) =>
    fetch(`${fake().url}${path}`, {
      method,
      headers: { authorization: basicAuth(fake().apiKey), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
});

/** `grant_type=refresh_token` at the fake's token endpoint with its OAuth client. */
export const leverRefresh = (fake: LeverFake, refreshToken: string) =>
  fetch(fake.authUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: fake.oauthClient.clientId,
      client_secret: fake.oauthClient.clientSecret,
      refresh_token: refreshToken,
    }).toString(),
  });

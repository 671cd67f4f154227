/**
 * Routes of the connect flow (docs/api.md "Connecting a provider"), appended to the contract table by
 * shared/api/contract.ts: the admin's link, then the hosted page the link opens (HTML, no bearer key: the token
 * in its path is the capability) and the OAuth callback.
 */
import type { AnyContract, OpenRouteContract, RouteContract } from '../http/types.js';
import { errorBody } from './common.js';
import {
  type ConnectPageParams,
  type ConnectPageQuery,
  type CreateConnectSessionBody,
  connectPageParams,
  connectPageQuery,
  connectSessionView,
  createConnectSessionBody,
  type OAuthCallbackParams,
  type OAuthCallbackQuery,
  oauthCallbackParams,
  oauthCallbackQuery,
} from './connect.js';

const err = (description: string) => ({ description, schema: errorBody });
const html = (description: string) => ({ description: `${description} (text/html)` });

export const createConnectSession: RouteContract<CreateConnectSessionBody> = {
  method: 'POST',
  path: '/connect-sessions',
  summary: 'A one-time link (30 minutes) to the hosted page where a customer connects a provider',
  access: ['admin'],
  body: createConnectSessionBody,
  responses: {
    201: { description: 'created', schema: connectSessionView },
    400: err('VALIDATION_FAILED (a redirectUrl off this hub and off the allow-list) or MALFORMED_JSON'),
    401: err('UNAUTHORIZED'),
    403: err('FORBIDDEN'),
    415: err('UNSUPPORTED_MEDIA_TYPE'),
  },
};

export const connectPage: OpenRouteContract<unknown, ConnectPageQuery, ConnectPageParams> = {
  method: 'GET',
  path: '/connect/{token}',
  summary: 'Hosted connect page: pick a provider, then its credentials form or its OAuth consent',
  access: 'public',
  bodyKind: 'none',
  params: connectPageParams,
  query: connectPageQuery,
  responses: {
    200: html('the provider list or the provider form'),
    404: html('not a valid link'),
    410: html('the link expired or was used'),
  },
};

export const connectSubmit: OpenRouteContract<unknown, unknown, ConnectPageParams> = {
  method: 'POST',
  path: '/connect/{token}',
  summary:
    'The connect form (application/x-www-form-urlencoded): credentials checked with the provider, then saved',
  access: 'public',
  bodyKind: 'raw',
  bodyLimitBytes: 16 * 1024,
  params: connectPageParams,
  responses: {
    201: html('connected: the webhook URL and secret, and the way on'),
    303: { description: "to the provider's OAuth consent page (Lever)" },
    400: html('a form for another provider than the link allows'),
    404: html('not a valid link'),
    410: html('the link expired or was used'),
    422: html('the form again, with what is missing or what the provider answered'),
  },
};

export const oauthCallback: OpenRouteContract<unknown, OAuthCallbackQuery, OAuthCallbackParams> = {
  method: 'GET',
  path: '/connect/oauth/{provider}/callback',
  summary:
    "OAuth 2 redirect back from the provider's consent: state and PKCE checked, code exchanged, then saved",
  access: 'public',
  bodyKind: 'none',
  params: oauthCallbackParams,
  query: oauthCallbackQuery,
  responses: {
    201: html('connected'),
    400: html('state mismatch or a refused authorization; nothing saved'),
    410: html('the link or the authorization expired or was used'),
    422: html('the provider refused the code exchange; nothing saved'),
  },
};

export const connectContracts: AnyContract[] = [
  createConnectSession,
  connectPage,
  connectSubmit,
  oauthCallback,
];

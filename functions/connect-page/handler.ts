import * as api from '../../shared/api/connect-routes.js';
import { localProviderEndpoints } from '../../shared/connect/config.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { providerList, providers } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { showPage, submitForm } from './form.js';
import { oauthCallback } from './oauth.js';

const deps = adapters();
const settingsSchemas = Object.fromEntries(providerList.map((p) => [p.name, p.settingsSchema]));
const useCaseDeps = () => ({
  sql: deps.sql(),
  secrets: deps.secrets(),
  clock: deps.clock,
  publicBaseUrl: deps.env.PUBLIC_BASE_URL,
  providers,
  settingsSchemas,
  endpoints: () => localProviderEndpoints(deps.env.STAGE, deps.env.CONNECT_PROVIDERS_FILE),
});

export const routes = [
  implement(api.connectPage, (r) => showPage(useCaseDeps(), r.params.token, r.query)),
  implement(api.connectSubmit, (r) => submitForm(useCaseDeps(), r.params.token, r.rawBody)),
  implement(api.oauthCallback, (r) => oauthCallback(useCaseDeps(), r.params.provider, r.query, r.cookies)),
];

export const handler = httpHandler(routes, deps);

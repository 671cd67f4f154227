import * as api from '../../shared/api/connect-routes.js';
import { localProviderEndpoints } from '../../shared/connect/config.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { loadProviders, settingsSchemasOf } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { showPage, submitForm } from './form.js';
import { oauthCallback } from './oauth.js';

const deps = adapters();
/** The adapters are imported on the first request, not at init (once per environment). */
const useCaseDeps = async () => {
  const providers = await loadProviders();
  return {
    sql: deps.sql(),
    secrets: deps.secrets(),
    clock: deps.clock,
    publicBaseUrl: deps.env.PUBLIC_BASE_URL,
    providers,
    settingsSchemas: settingsSchemasOf(providers),
    endpoints: () => localProviderEndpoints(deps.env.STAGE, deps.env.CONNECT_PROVIDERS_FILE),
  };
};

export const routes = [
  implement(api.connectPage, async (r) => showPage(await useCaseDeps(), r.params.token, r.query)),
  implement(api.connectSubmit, async (r) => submitForm(await useCaseDeps(), r.params.token, r.rawBody)),
  implement(api.oauthCallback, async (r) =>
    oauthCallback(await useCaseDeps(), r.params.provider, r.query, r.cookies),
  ),
];

export const handler = httpHandler(routes, deps);

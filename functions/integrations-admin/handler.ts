import * as api from '../../shared/api/integration-routes.js';
import { updateIntegration as updateIntegrationRoute } from '../../shared/api/write-back.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { loadProviders, settingsSchemasOf } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import {
  connectIntegration,
  getIntegration,
  getIntegrations,
  getRuns,
  rotateWebhookSecret,
  triggerSync,
  updateIntegration,
} from './use-case.js';

const deps = adapters();
/** The adapters are imported on the first request that needs them, not at init (once per environment). */
const useCaseDeps = async () => {
  const providers = await loadProviders();
  return {
    sql: deps.sql(),
    secrets: deps.secrets(),
    queues: deps.queues(),
    providers,
    settingsSchemas: settingsSchemasOf(providers),
    clock: deps.clock,
    publicBaseUrl: deps.env.PUBLIC_BASE_URL,
  };
};

export const routes = [
  implement(api.createIntegration, async (request) =>
    respond(201, connectIntegration(await useCaseDeps(), request.principal, request.body)),
  ),
  implement(api.listIntegrations, async (request) =>
    respond(200, getIntegrations(await useCaseDeps(), request.principal)),
  ),
  implement(api.getIntegration, async (request) =>
    respond(200, getIntegration(await useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(updateIntegrationRoute, async (request) =>
    respond(200, updateIntegration(await useCaseDeps(), request.principal, request.params.id, request.body)),
  ),
  implement(api.triggerSync, async (request) =>
    respond(202, triggerSync(await useCaseDeps(), request.principal, request.params.id, request.body.mode)),
  ),
  implement(api.listSyncRuns, async (request) =>
    respond(200, getRuns(await useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(api.rotateWebhookSecret, async (request) =>
    respond(
      200,
      rotateWebhookSecret(await useCaseDeps(), request.principal, request.params.id, request.body),
    ),
  ),
];

export const handler = httpHandler(routes, deps);

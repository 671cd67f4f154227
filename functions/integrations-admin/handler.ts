import * as api from '../../shared/api/integration-routes.js';
import { updateIntegration as updateIntegrationRoute } from '../../shared/api/write-back.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { providerList, providers } from '../../shared/providers/registry.js';
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
const settingsSchemas = Object.fromEntries(providerList.map((p) => [p.name, p.settingsSchema]));
const useCaseDeps = () => ({
  sql: deps.sql(),
  secrets: deps.secrets(),
  queues: deps.queues(),
  providers,
  settingsSchemas,
  clock: deps.clock,
  publicBaseUrl: deps.env.PUBLIC_BASE_URL,
});

export const routes = [
  implement(api.createIntegration, (request) =>
    respond(201, connectIntegration(useCaseDeps(), request.principal, request.body)),
  ),
  implement(api.listIntegrations, (request) =>
    respond(200, getIntegrations(useCaseDeps(), request.principal)),
  ),
  implement(api.getIntegration, (request) =>
    respond(200, getIntegration(useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(updateIntegrationRoute, (request) =>
    respond(200, updateIntegration(useCaseDeps(), request.principal, request.params.id, request.body)),
  ),
  implement(api.triggerSync, (request) =>
    respond(202, triggerSync(useCaseDeps(), request.principal, request.params.id, request.body.mode)),
  ),
  implement(api.listSyncRuns, (request) =>
    respond(200, getRuns(useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(api.rotateWebhookSecret, (request) =>
    respond(200, rotateWebhookSecret(useCaseDeps(), request.principal, request.params.id, request.body)),
  ),
];

export const handler = httpHandler(routes, deps);

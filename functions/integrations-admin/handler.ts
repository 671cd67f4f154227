import * as api from '../../shared/api/contract.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { providers } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import {
  connectIntegration,
  getIntegration,
  getIntegrations,
  getRuns,
  rotateWebhookSecret,
  triggerSync,
} from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({
  sql: deps.sql(),
  secrets: deps.secrets(),
  queues: deps.queues(),
  providers,
  clock: deps.clock,
  publicBaseUrl: deps.env.PUBLIC_BASE_URL,
});

export const routes = [
  implement(api.createIntegration, async (request) => ({
    status: 201,
    body: await connectIntegration(useCaseDeps(), request.principal, request.body),
  })),
  implement(api.listIntegrations, async (request) => ({
    status: 200,
    body: await getIntegrations(useCaseDeps(), request.principal),
  })),
  implement(api.getIntegration, async (request) => ({
    status: 200,
    body: await getIntegration(useCaseDeps(), request.principal, request.params.id),
  })),
  implement(api.triggerSync, async (request) => ({
    status: 202,
    body: await triggerSync(useCaseDeps(), request.principal, request.params.id, request.body.mode),
  })),
  implement(api.listSyncRuns, async (request) => ({
    status: 200,
    body: await getRuns(useCaseDeps(), request.principal, request.params.id),
  })),
  implement(api.rotateWebhookSecret, async (request) => ({
    status: 200,
    body: await rotateWebhookSecret(useCaseDeps(), request.principal, request.params.id, request.body),
  })),
];

export const handler = httpHandler(routes, deps);

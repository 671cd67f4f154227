import * as api from '../../shared/api/console-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { loadProviders } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import {
  getNotificationDeliveries,
  getPushLog,
  getRun,
  getRunImports,
  getRuns,
  getWebhookDeliveries,
} from './use-case.js';

const deps = adapters();
/** The adapters (their webhook parsers) are imported on the first request, not at init. */
const useCaseDeps = async () => ({ sql: deps.sql(), providers: await loadProviders() });

export const routes = [
  implement(api.listRunsProgress, async (request) =>
    respond(200, getRuns(await useCaseDeps(), request.principal, request.query)),
  ),
  implement(api.getSyncRun, async (request) =>
    respond(200, getRun(await useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(api.listRunImports, async (request) =>
    respond(200, getRunImports(await useCaseDeps(), request.principal, request.params.id, request.query)),
  ),
  implement(api.listWebhookDeliveries, async (request) =>
    respond(200, getWebhookDeliveries(await useCaseDeps(), request.principal, request.query)),
  ),
  implement(api.listPushLog, async (request) =>
    respond(200, getPushLog(await useCaseDeps(), request.principal, request.query)),
  ),
  implement(api.listNotificationDeliveries, async (request) =>
    respond(200, getNotificationDeliveries(await useCaseDeps(), request.principal, request.query)),
  ),
];

export const handler = httpHandler(routes, deps);

import * as api from '../../shared/api/console-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { providers } from '../../shared/providers/registry.js';
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
const useCaseDeps = () => ({ sql: deps.sql(), providers });

export const routes = [
  implement(api.listRunsProgress, (request) =>
    respond(200, getRuns(useCaseDeps(), request.principal, request.query)),
  ),
  implement(api.getSyncRun, (request) =>
    respond(200, getRun(useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(api.listRunImports, (request) =>
    respond(200, getRunImports(useCaseDeps(), request.principal, request.params.id, request.query)),
  ),
  implement(api.listWebhookDeliveries, (request) =>
    respond(200, getWebhookDeliveries(useCaseDeps(), request.principal, request.query)),
  ),
  implement(api.listPushLog, (request) =>
    respond(200, getPushLog(useCaseDeps(), request.principal, request.query)),
  ),
  implement(api.listNotificationDeliveries, (request) =>
    respond(200, getNotificationDeliveries(useCaseDeps(), request.principal, request.query)),
  ),
];

export const handler = httpHandler(routes, deps);

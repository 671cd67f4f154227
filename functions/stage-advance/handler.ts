import * as api from '../../shared/api/application-routes.js';
import { retryPushLogEntry as retryPushLogEntryRoute } from '../../shared/api/console-routes.js';
import { retryPush as retryPushRoute } from '../../shared/api/write-back.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { retryPushLogEntry } from './push-log-retry.js';
import { changeStatus, moveStage, retryPush } from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({ sql: deps.sql(), queues: deps.queues(), clock: deps.clock });

export const routes = [
  implement(api.moveStage, (request) =>
    respond(200, moveStage(useCaseDeps(), request.principal, request.params.id, request.body)),
  ),
  implement(api.changeStatus, (request) =>
    respond(200, changeStatus(useCaseDeps(), request.principal, request.params.id, request.body)),
  ),
  implement(retryPushRoute, (request) =>
    respond(202, retryPush(useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(retryPushLogEntryRoute, (request) =>
    respond(202, retryPushLogEntry(useCaseDeps(), request.principal, request.params.id)),
  ),
];

export const handler = httpHandler(routes, deps);

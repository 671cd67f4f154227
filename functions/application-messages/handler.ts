import * as api from '../../shared/api/parties-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { getMessages, readMessage, sendMessage } from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({ sql: deps.sql(), queues: deps.queues() });

export const routes = [
  implement(api.sendMessage, (r) =>
    respond(201, sendMessage(useCaseDeps(), r.principal, r.params.id, r.body)),
  ),
  implement(api.listMessages, (r) => respond(200, getMessages(useCaseDeps(), r.principal, r.params.id))),
  implement(api.readMessage, (r) => respond(200, readMessage(useCaseDeps(), r.principal, r.params.id))),
];

export const handler = httpHandler(routes, deps);

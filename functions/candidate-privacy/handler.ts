import * as api from '../../shared/api/privacy-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { exportCandidate } from './export.js';
import { eraseCandidate, getErasure, getRetention, putRetention } from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({
  sql: deps.sql(),
  queues: deps.queues(),
  objectStore: deps.objectStore(),
  clock: deps.clock,
});

export const routes = [
  implement(api.eraseCandidate, (r) =>
    respond(202, eraseCandidate(useCaseDeps(), r.principal, r.params.id, r.body)),
  ),
  implement(api.getErasure, (r) => respond(200, getErasure(useCaseDeps(), r.principal, r.params.id))),
  implement(api.exportCandidate, (r) =>
    respond(200, exportCandidate(useCaseDeps(), r.principal, r.params.id)),
  ),
  implement(api.getRetention, (r) => respond(200, getRetention(useCaseDeps(), r.principal))),
  implement(api.putRetention, (r) => respond(200, putRetention(useCaseDeps(), r.principal, r.body))),
];

export const handler = httpHandler(routes, deps);

import * as api from '../../shared/api/parties-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { createOrganization, createPartnership, getPartnerships, stopPartnership } from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({ sql: deps.sql() });

export const routes = [
  implement(api.createOrganization, (r) =>
    respond(201, createOrganization(useCaseDeps(), r.principal, r.body)),
  ),
  implement(api.createPartnership, (r) =>
    respond(201, createPartnership(useCaseDeps(), r.principal, r.body)),
  ),
  implement(api.listPartnerships, (r) => respond(200, getPartnerships(useCaseDeps(), r.principal))),
  implement(api.endPartnership, (r) =>
    respond(200, stopPartnership(useCaseDeps(), r.principal, r.params.id)),
  ),
];

export const handler = httpHandler(routes, deps);

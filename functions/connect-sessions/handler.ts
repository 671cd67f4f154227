import * as api from '../../shared/api/connect-routes.js';
import { parseAllowlist } from '../../shared/connect/config.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { createConnectSession } from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({
  sql: deps.sql(),
  clock: deps.clock,
  publicBaseUrl: deps.env.PUBLIC_BASE_URL,
  redirectAllowlist: parseAllowlist(deps.env.CONNECT_REDIRECT_ALLOWLIST),
});

export const routes = [
  implement(api.createConnectSession, (request) =>
    respond(201, createConnectSession(useCaseDeps(), request.principal, request.body)),
  ),
];

export const handler = httpHandler(routes, deps);

import * as api from '../../shared/api/users-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { createUser, getUsers, removeUser } from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({ sql: deps.sql() });

export const routes = [
  implement(api.createUser, (request) =>
    respond(201, createUser(useCaseDeps(), request.principal, request.body)),
  ),
  implement(api.listUsers, (request) =>
    respond(200, getUsers(useCaseDeps(), request.principal, request.query)),
  ),
  implement(api.deleteUser, async (request) => {
    await removeUser(useCaseDeps(), request.principal, request.params.id);
    return { status: 204 };
  }),
];

export const handler = httpHandler(routes, deps);

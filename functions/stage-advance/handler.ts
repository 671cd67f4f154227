import * as api from '../../shared/api/contract.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { changeStatus, moveStage } from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({ sql: deps.sql(), queues: deps.queues() });

export const routes = [
  implement(api.moveStage, async (request) => ({
    status: 200,
    body: await moveStage(useCaseDeps(), request.principal, request.params.id, request.body),
  })),
  implement(api.changeStatus, async (request) => ({
    status: 200,
    body: await changeStatus(useCaseDeps(), request.principal, request.params.id, request.body),
  })),
];

export const handler = httpHandler(routes, deps);

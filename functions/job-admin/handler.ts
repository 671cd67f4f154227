import * as api from '../../shared/api/job-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { createJob, patchJob } from './use-case.js';

const deps = adapters();

export const routes = [
  implement(api.createJob, (request) =>
    respond(201, createJob({ sql: deps.sql() }, request.principal, request.body)),
  ),
  implement(api.updateJob, (request) =>
    respond(200, patchJob({ sql: deps.sql() }, request.principal, request.params.jobId, request.body)),
  ),
];

export const handler = httpHandler(routes, deps);

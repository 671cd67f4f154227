import { funnel } from '../../shared/api/analytics-routes.js';
import { getApplication as getApplicationRoute } from '../../shared/api/application-routes.js';
import { getJob as getJobRoute, listJobApplications, listJobs } from '../../shared/api/job-routes.js';
import { health, openapi } from '../../shared/api/meta-routes.js';
import { downloadDocument } from '../../shared/api/write-back.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import {
  databaseAnswers,
  getApplication,
  getDocumentLink,
  getFunnel,
  getJob,
  getJobApplications,
  getJobs,
} from './use-case.js';

const deps = adapters();
const useCaseDeps = () => ({ sql: deps.sql(), clock: deps.clock, objectStore: deps.objectStore() });
let document: Record<string, unknown> | undefined;

export const routes = [
  implement(health, async () => {
    const ok = await databaseAnswers(useCaseDeps());
    return ok ? { status: 200, body: { status: 'ok' } } : { status: 503, body: { status: 'unavailable' } };
  }),
  implement(openapi, async () => {
    // every route's schemas, built on the first request for the document rather than at init
    const { contract } = await import('../../shared/api/contract.js');
    document ??= openApiDocument(contract, deps.env.PUBLIC_BASE_URL);
    return { status: 200, body: document };
  }),
  implement(listJobs, (request) => respond(200, getJobs(useCaseDeps(), request.principal))),
  implement(getJobRoute, (request) =>
    respond(200, getJob(useCaseDeps(), request.principal, request.params.jobId)),
  ),
  implement(listJobApplications, (request) =>
    respond(200, getJobApplications(useCaseDeps(), request.principal, request.params.jobId, request.query)),
  ),
  implement(getApplicationRoute, (request) =>
    respond(200, getApplication(useCaseDeps(), request.principal, request.params.id)),
  ),
  implement(downloadDocument, (request) =>
    respond(
      200,
      getDocumentLink(useCaseDeps(), request.principal, request.params.id, request.params.documentId),
    ),
  ),
  implement(funnel, (request) => respond(200, getFunnel(useCaseDeps(), request.principal, request.query))),
];

export const handler = httpHandler(routes, deps);

import * as api from '../../shared/api/webhook-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { findProvider } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { IntegrationRouteCache, receiveWebhook, SecretRefreshLimiter } from './use-case.js';

const deps = adapters();
const routeCache = new IntegrationRouteCache();
const secretRefresh = new SecretRefreshLimiter();

export const routes = [
  implement(api.receiveWebhook, async (request) => ({
    status: 200,
    body: await receiveWebhook(
      {
        sql: deps.sql(),
        secrets: deps.secrets(),
        syncQueue: deps.queues().sync,
        providers: findProvider,
        clock: deps.clock,
        routes: routeCache,
        secretRefresh,
      },
      {
        provider: request.params.provider,
        integrationId: request.params.integrationId,
        rawBody: request.rawBody,
        headers: request.headers,
      },
    ),
  })),
];

export const handler = httpHandler(routes, deps);

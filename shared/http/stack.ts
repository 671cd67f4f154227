import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger } from '../observability/logger.js';
import { metrics } from '../observability/metrics.js';
import { jsonResponse } from './errors.js';
import { type ApiKeyAuthenticator, authenticate } from './middleware/authenticate.js';
import { bodyLimit } from './middleware/body-limit.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { parseAndValidate } from './middleware/parse-validate.js';
import { requestMetrics } from './middleware/request-metrics.js';
import { routeSelect } from './middleware/route-select.js';
import { stateOfEvent } from './middleware/state.js';
import type { AnyRoute, HttpEvent, HttpResponse } from './types.js';

export interface HttpStackDependencies {
  authenticator: ApiKeyAuthenticator;
}

/**
 * The one middy stack every HTTP function uses: route, size limit, key, the path, query and header schemas,
 * content type, JSON and the body schema, then the route's use case. Errors become the docs/api.md envelope with the request id.
 */
export function httpHandler(routes: readonly AnyRoute[], deps: HttpStackDependencies) {
  return middy<HttpEvent, HttpResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(requestMetrics())
    .use(errorEnvelope())
    .use(routeSelect(routes))
    .use(bodyLimit())
    .use(authenticate(deps.authenticator))
    .use(parseAndValidate())
    .handler(async (event, context) => {
      const s = stateOfEvent(event, context.awsRequestId);
      const route = s.route!;
      const result = await route.handle({
        body: s.body,
        query: s.query,
        params: s.params,
        headers: s.headers ?? {},
        rawBody: s.rawBody ?? Buffer.alloc(0),
        cookies: event.cookies ?? [],
        principal: s.principal ?? null,
        requestId: s.requestId,
        receivedAt: s.receivedAt,
      });
      if (result.html !== undefined) {
        const headers = { 'content-type': 'text/html; charset=utf-8', 'x-request-id': s.requestId };
        return { statusCode: result.status, headers: { ...headers, ...result.headers }, body: result.html };
      }
      return jsonResponse(result.status, result.body, s.requestId, result.headers);
    });
}

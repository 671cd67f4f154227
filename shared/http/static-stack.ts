import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger } from '../observability/logger.js';
import { metrics } from '../observability/metrics.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { requestMetrics } from './middleware/request-metrics.js';
import type { HttpEvent, HttpResponse } from './types.js';

/**
 * The middy stack of a route that serves files rather than JSON (the operator console): the same logging,
 * metrics and error envelope as `httpHandler`, without bearer keys, bodies or schemas.
 */
export function staticHandler(serve: (event: HttpEvent) => Promise<HttpResponse>) {
  return middy<HttpEvent, HttpResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(requestMetrics())
    .use(errorEnvelope())
    .handler((event) => serve(event));
}

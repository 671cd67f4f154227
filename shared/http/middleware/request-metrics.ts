import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { metrics } from '../../observability/metrics.js';
import type { HttpEvent, HttpResponse } from '../types.js';

/** Counts responses by status class per route; registered before the error envelope so it sees its response. */
export function requestMetrics(): MiddlewareObj<HttpEvent, HttpResponse> {
  const count = (routeKey: string | undefined, status: number) => {
    metrics.addDimension('route', routeKey ?? 'unknown');
    metrics.addMetric(`Http${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
  };
  return {
    after: (request) => count(request.event.routeKey, request.response?.statusCode ?? 200),
    onError: (request) => count(request.event.routeKey, request.response?.statusCode ?? 500),
  };
}

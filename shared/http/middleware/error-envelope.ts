import type { MiddlewareObj } from '@middy/core';
import { DomainError } from '../../domain/errors.js';
import { logger } from '../../observability/logger.js';
import { describeError, errorResponse } from '../errors.js';
import type { HttpEvent, HttpResponse } from '../types.js';
import { state } from './state.js';

/** Every failure leaves as the docs/api.md envelope; internals are logged by kind only and never returned. */
export function errorEnvelope(): MiddlewareObj<HttpEvent, HttpResponse> {
  return {
    onError: (request) => {
      const s = state(request);
      const error = request.error;
      if (!(error instanceof DomainError)) {
        logger.error('unhandled error', { route: request.event.routeKey, ...describeError(error) });
      } else if (error.status >= 500) {
        logger.error('request failed', { route: request.event.routeKey, code: error.code });
      }
      request.response = errorResponse(error, s.requestId);
    },
  };
}

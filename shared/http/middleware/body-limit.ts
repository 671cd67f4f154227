import type { MiddlewareObj } from '@middy/core';
import { DomainError } from '../../domain/errors.js';
import { declaredBodySize, rawBodyOf } from '../body.js';
import type { HttpEvent, HttpResponse } from '../types.js';
import { state } from './state.js';

export const JSON_BODY_LIMIT = 256 * 1024;

/** Refuses an over-limit body from its size alone, before any decoding, parsing or signature check. */
export function bodyLimit(): MiddlewareObj<HttpEvent, HttpResponse> {
  return {
    before: (request) => {
      const s = state(request);
      const limit = s.route?.bodyLimitBytes ?? JSON_BODY_LIMIT;
      const size = declaredBodySize(request.event);
      if (size > limit) {
        throw new DomainError('PAYLOAD_TOO_LARGE', `body exceeds ${limit} bytes`, { limitBytes: limit });
      }
      s.rawBody = rawBodyOf(request.event);
    },
  };
}

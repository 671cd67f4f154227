import type { MiddlewareObj } from '@middy/core';
import { DomainError } from '../../domain/errors.js';
import { type AnyRoute, type HttpEvent, type HttpResponse, routeKey } from '../types.js';
import { state } from './state.js';

/** Picks the route by API Gateway's routeKey; an unknown key is a 404, never a crash. */
export function routeSelect(routes: readonly AnyRoute[]): MiddlewareObj<HttpEvent, HttpResponse> {
  const byKey = new Map(routes.map((r) => [routeKey(r), r]));
  return {
    before: (request) => {
      const route = byKey.get(request.event.routeKey);
      if (!route) throw new DomainError('NOT_FOUND', 'no such route');
      state(request).route = route;
    },
  };
}

import type { Request } from '@middy/core';
import type { AnyRoute, HttpEvent, HttpResponse, Principal } from '../types.js';

/** What the HTTP middlewares learn about a request, handed from one to the next (keyed by the event). */
export interface RequestState {
  requestId: string;
  receivedAt: Date;
  route?: AnyRoute;
  rawBody?: Buffer;
  principal?: Principal | null;
  body?: unknown;
  query?: unknown;
  params?: unknown;
  /** Lower-cased names; the route's declared headers as its schema parsed them. */
  headers?: Record<string, string | undefined>;
}

const states = new WeakMap<HttpEvent, RequestState>();

export function stateOfEvent(event: HttpEvent, fallbackRequestId = 'unknown'): RequestState {
  let s = states.get(event);
  if (!s) {
    s = { requestId: event.requestContext?.requestId ?? fallbackRequestId, receivedAt: new Date() };
    states.set(event, s);
  }
  return s;
}

export function state(request: Request<HttpEvent, HttpResponse>): RequestState {
  return stateOfEvent(request.event, request.context.awsRequestId);
}

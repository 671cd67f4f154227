import { DomainError } from '../domain/errors.js';
import type { HttpResponse } from './types.js';

export function jsonResponse(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
) {
  const response: HttpResponse = {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
  return response;
}

/** The docs/api.md error envelope. Only DomainErrors carry their message; anything else is INTERNAL. */
export function errorResponse(error: unknown, requestId: string): HttpResponse {
  const known = error instanceof DomainError ? error : new DomainError('INTERNAL', 'internal error');
  const headers: Record<string, string> = {};
  const retryAfter = known.details.retryAfterSeconds;
  if (known.code === 'RATE_LIMITED' && typeof retryAfter === 'number')
    headers['retry-after'] = String(retryAfter);
  return jsonResponse(
    known.status,
    { error: { code: known.code, message: known.message, details: known.details }, requestId },
    requestId,
    headers,
  );
}

/** What may be logged about an unexpected error: its kind, never its message (driver messages may echo data). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const pg = error as Error & { code?: string; constraint_name?: string; routine?: string };
  return {
    errorName: error.name,
    ...(pg.code ? { errorCode: pg.code } : {}),
    ...(pg.constraint_name ? { constraint: pg.constraint_name } : {}),
    ...(pg.routine ? { routine: pg.routine } : {}),
  };
}

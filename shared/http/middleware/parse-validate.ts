import type { MiddlewareObj } from '@middy/core';
import type { ZodType } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { decodeUtf8 } from '../body.js';
import type { HttpEvent, HttpResponse } from '../types.js';
import { state } from './state.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

function validate<T>(schema: ZodType<T> | undefined, input: unknown, where: string): T | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new DomainError('VALIDATION_FAILED', `invalid ${where}`, { issues });
}

function lowerCased(headers: HttpEvent['headers'] | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/**
 * The route's zod schemas for path, query and headers, then content type (415), JSON syntax and UTF-8
 * (400 MALFORMED_JSON) and the body's schema (400).
 */
export function parseAndValidate(): MiddlewareObj<HttpEvent, HttpResponse> {
  return {
    before: (request) => {
      const s = state(request);
      const route = s.route;
      if (!route) return;
      const event = request.event;
      s.params = validate(route.params, event.pathParameters ?? {}, 'path');
      s.query = validate(route.query, event.queryStringParameters ?? {}, 'query');
      const headers = lowerCased(event.headers);
      s.headers = { ...headers, ...(validate(route.headers, headers, 'header') ?? {}) };
      if ((route.bodyKind ?? 'json') !== 'json' || !route.body) return;
      const contentType = event.headers?.['content-type'] ?? '';
      if (!JSON_TYPE.test(contentType)) {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'expected Content-Type: application/json');
      }
      const text = decodeUtf8(s.rawBody ?? Buffer.alloc(0));
      if (text === undefined) throw new DomainError('MALFORMED_JSON', 'body is not valid UTF-8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new DomainError('MALFORMED_JSON', 'body is not valid JSON');
      }
      s.body = validate(route.body, parsed, 'body');
    },
  };
}

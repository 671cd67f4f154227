import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ZodType } from 'zod';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export type ApiRole = 'portal' | 'ats' | 'admin';

export interface Principal {
  organizationId: string;
  role: ApiRole;
  keyId: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest<B = unknown, Q = unknown, P = unknown> {
  body: B;
  query: Q;
  params: P;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** Exactly the bytes received (webhook signatures are computed over these). */
  rawBody: Buffer;
  principal: Principal | null;
  requestId: string;
  receivedAt: Date;
}

export interface RouteContract<B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route path, e.g. `/applications/{id}/stage`. */
  path: string;
  summary: string;
  /** Roles allowed; `public` routes take no bearer key; `signature` routes authenticate in the use case. */
  access: ApiRole[] | 'public' | 'signature';
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** Request headers the route reads, keyed by lower-case name (documented as header parameters). */
  headers?: ZodType;
  /** Defaults to 256 KiB for JSON routes (api.md). */
  bodyLimitBytes?: number;
  /** `json` (default) parses and validates; `raw` hands over the bytes untouched. */
  bodyKind?: 'json' | 'raw' | 'none';
  responses: Record<number, { description: string; schema?: ZodType }>;
}

export interface RouteDefinition<B = unknown, Q = unknown, P = unknown> extends RouteContract<B, Q, P> {
  handle(request: RouteRequest<B, Q, P>): Promise<HttpResult>;
}

/** A contract entry of shared/api/contract.ts plus the use case that answers it. */
export function implement<B, Q, P>(
  contract: RouteContract<B, Q, P>,
  handle: (request: RouteRequest<B, Q, P>) => Promise<HttpResult>,
): RouteDefinition<B, Q, P> {
  return { ...contract, handle };
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of different body types
export type AnyRoute = RouteDefinition<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyRoute
export type AnyContract = RouteContract<any, any, any>;

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>) => `${route.method} ${route.path}`;

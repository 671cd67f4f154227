import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ZodType } from 'zod';
import { DomainError } from '../domain/errors.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export type ApiRole = 'portal' | 'ats' | 'admin';

export interface Principal {
  organizationId: string;
  role: ApiRole;
  keyId: string;
  /** The key's label, a display name (notes name their author by it); a personal key's is its user's name. */
  label?: string;
  /** The user of a personal key (docs/api.md, "Users"); absent for an organization key. */
  userId?: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A rendered HTML page (the hosted connect page) sent as it is instead of `body` as JSON. */
  html?: string;
}

export interface RouteRequest<B = unknown, Q = unknown, P = unknown, H = unknown, C = Principal | null> {
  body: B;
  query: Q;
  params: P;
  /** Header names lower-cased; those the route declares are validated by its `headers` schema. */
  headers: Record<string, string | undefined> & H;
  /** Exactly the bytes received (webhook signatures are computed over these). */
  rawBody: Buffer;
  /** The request's cookies (`name=value`), as API Gateway passes them apart from the headers. */
  cookies: string[];
  /** The caller: always there on routes that take a bearer key, null on the others. */
  principal: C;
  requestId: string;
  receivedAt: Date;
}

interface ContractBase<B, Q, P, H> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route path, e.g. `/applications/{id}/stage`. */
  path: string;
  summary: string;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** Request headers the route reads, keyed by lower-cased name (e.g. `idempotency-key`). */
  headers?: ZodType<H>;
  /** Defaults to 256 KiB for JSON routes (docs/api.md). */
  bodyLimitBytes?: number;
  /** `json` (default) parses and validates; `raw` hands over the bytes untouched. */
  bodyKind?: 'json' | 'raw' | 'none';
  responses: Record<number, { description: string; schema?: ZodType }>;
}

/** A route that takes a bearer key of one of `access`'s roles: its handler always knows the caller. */
export interface RouteContract<B = unknown, Q = unknown, P = unknown, H = unknown>
  extends ContractBase<B, Q, P, H> {
  access: ApiRole[];
}

/** A route without a bearer key: `public`, or `signature` (the use case checks the provider's signature). */
export interface OpenRouteContract<B = unknown, Q = unknown, P = unknown, H = unknown>
  extends ContractBase<B, Q, P, H> {
  access: 'public' | 'signature';
}

export interface RouteDefinition<B = unknown, Q = unknown, P = unknown, H = unknown>
  extends ContractBase<B, Q, P, H> {
  access: ApiRole[] | 'public' | 'signature';
  handle(request: RouteRequest<B, Q, P, H>): Promise<HttpResult>;
}

/** Who calls a route: the key's principal when it takes a bearer key, nobody known otherwise. */
type CallerOf<A> = A extends 'public' | 'signature' ? null : Principal;

/** A contract entry of shared/api/contract.ts plus the use case that answers it. */
export function implement<B, Q, P, H, A extends RouteDefinition['access']>(
  contract: ContractBase<B, Q, P, H> & { access: A },
  handle: (request: RouteRequest<B, Q, P, H, CallerOf<A>>) => Promise<HttpResult>,
): RouteDefinition<B, Q, P, H> {
  // the request the stack builds is narrowed here, once, to what the contract's access promises
  const answer = handle as (request: RouteRequest<B, Q, P, H>) => Promise<HttpResult>;
  if (!Array.isArray(contract.access)) return { ...contract, handle: answer };
  return {
    ...contract,
    handle: (request) => {
      // the authenticate middleware stops every keyless request first; this keeps the type honest
      if (!request.principal) throw new DomainError('UNAUTHORIZED', 'missing bearer key');
      return answer(request);
    },
  };
}

/** A route's answer: a status and the body its use case resolves to. */
export async function respond(status: number, body: Promise<unknown>): Promise<HttpResult> {
  return { status, body: await body };
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of different body types
export type AnyRoute = RouteDefinition<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyRoute
export type AnyContract = RouteContract<any, any, any, any> | OpenRouteContract<any, any, any, any>;

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>) => `${route.method} ${route.path}`;

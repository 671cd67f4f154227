import { errorBody } from '../api/common.js';
import { type ErrorCode, errorStatus } from '../domain/errors.js';
import { SchemaComponents } from './openapi-schemas.js';
import type { AnyContract } from './types.js';

type Json = Record<string, unknown>;

/** `components/responses` name of each status the error envelope is sent with. */
const errorResponseNames: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableEntity',
  500: 'InternalError',
};

const responseRef = (name: string) => `#/components/responses/${name}`;

/** The error-code column of docs/api.md for one status, e.g. `VALIDATION_FAILED or MALFORMED_JSON`. */
const codesOf = (status: number) =>
  (Object.keys(errorStatus) as ErrorCode[]).filter((code) => errorStatus[code] === status).join(' or ');

function errorResponses(envelope: Json): Json {
  const responses: Json = {};
  for (const [status, name] of Object.entries(errorResponseNames)) {
    responses[name] = {
      description: codesOf(Number(status)),
      content: { 'application/json': { schema: envelope } },
    };
  }
  // API Gateway's stage throttling answers before any hub code runs, so the body is its own, not the envelope.
  responses.TooManyRequests = {
    description: 'Throttled by API Gateway; the body is its own `{"message": "Too Many Requests"}`',
    content: {
      'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } } } },
    },
  };
  return responses;
}

/** The errors the HTTP stack itself answers for a route (shared/http/middleware), whatever its use case does. */
function stackErrors(route: AnyContract): number[] {
  const json = (route.bodyKind ?? 'json') === 'json' && route.body !== undefined;
  return [
    ...(Array.isArray(route.access) ? [401, 403] : []),
    ...(route.access === 'signature' ? [401] : []),
    ...(route.params || route.query || route.headers || json ? [400] : []),
    ...(route.params ? [404] : []),
    ...(json || route.bodyKind === 'raw' ? [413] : []),
    ...(json ? [415] : []),
    500,
  ];
}

function responsesOf(route: AnyContract, schemas: SchemaComponents): Json {
  const responses: Json = {};
  for (const status of stackErrors(route))
    responses[status] = { $ref: responseRef(errorResponseNames[status]!) };
  for (const [status, response] of Object.entries(route.responses)) {
    const shared = response.schema === errorBody ? errorResponseNames[Number(status)] : undefined;
    responses[status] = shared
      ? { $ref: responseRef(shared), description: response.description }
      : {
          description: response.description,
          ...(response.schema
            ? { content: { 'application/json': { schema: schemas.add(response.schema, 'output') } } }
            : {}),
        };
  }
  responses[429] = { $ref: responseRef('TooManyRequests') };
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

function parameters(route: AnyContract, schemas: SchemaComponents): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
    ['header', route.headers],
  ] as const) {
    if (!schema) continue;
    const json = schemas.add(schema, 'input', true);
    const props = (json.properties ?? {}) as Record<string, Json>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: prop });
    }
  }
  return out;
}

const operationId = (route: AnyContract) =>
  route.method.toLowerCase() +
  route.path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());

/** The OpenAPI 3.1 document of a route table: schemas and error responses shared through `components`. */
export function openApiDocument(routes: readonly AnyContract[], serverUrl?: string): Json {
  const schemas = new SchemaComponents();
  const envelope = schemas.add(errorBody, 'output');
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const operation: Json = {
      operationId: operationId(route),
      summary: route.summary,
      parameters: parameters(route, schemas),
      responses: responsesOf(route, schemas),
      security: Array.isArray(route.access) ? [{ apiKey: [] }] : [],
      'x-roles': route.access,
    };
    if (route.body && (route.bodyKind ?? 'json') === 'json') {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: schemas.add(route.body, 'input') } },
      };
    }
    if (route.bodyKind === 'raw') {
      operation.requestBody = { required: true, content: { 'application/json': { schema: {} } } };
    }
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ATS integration hub', version: '1.0.0' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: schemas.components(),
      responses: errorResponses(envelope),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'API key of one organization and role' },
      },
    },
  };
}

import { validate } from '@readme/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { clientTypes } from '../../../infra/cli/openapi-client.js';
import { openApiDocument } from '../../../shared/http/openapi.js';
import { SchemaComponents } from '../../../shared/http/openapi-schemas.js';
import type { AnyContract } from '../../../shared/http/types.js';
import { invoke, loadEvent, loadHandler } from '../../support/handler-harness.js';

type Operation = { responses: Record<string, { $ref?: string }>; security: unknown[]; parameters: any[] };

let served: any;

/** The served document's operations as `METHOD path` → operation. */
const operations = (document: any): (readonly [string, Operation])[] =>
  Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const,
    ),
  );

beforeAll(async () => {
  // building the handler's adapters performs no I/O; the document route needs none
  const handler = await loadHandler('pipeline-read', {});
  served = (await invoke(handler, loadEvent('pipeline-read/openapi'))).body;
});

describe('the document GET /openapi.json serves', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(served));

    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
    expect(served.openapi).toBe('3.1.0');
  });

  it('would be rejected with a $ref that resolves nowhere', async () => {
    const broken = structuredClone(served);
    broken.paths['/jobs'].get.responses['200'].content['application/json'].schema = { $ref: '#/$defs/Job' };

    const result = await validate(broken);

    expect(result.valid).toBe(false);
    expect(JSON.stringify(result)).toContain('#/$defs/Job');
  });

  it('documents 401, 403 and 500 with the shared error responses on every authenticated operation', () => {
    const authenticated = operations(served).filter(([, op]) => op.security.length > 0);

    const refs = authenticated.map(([key, op]) => [key, [401, 403, 500].map((s) => op.responses[s]?.$ref)]);

    const shared = ['Unauthorized', 'Forbidden', 'InternalError'].map((n) => `#/components/responses/${n}`);
    expect(refs).toEqual(authenticated.map(([key]) => [key, shared]));
    expect(authenticated.length).toBeGreaterThan(10);
  });

  it('sends every shared error response but throttling with the Error envelope', () => {
    const responses = Object.entries(served.components.responses as Record<string, any>);

    const schemas = responses
      .filter(([name]) => name !== 'TooManyRequests')
      .map(([, r]) => r.content['application/json'].schema.$ref);

    expect(new Set(schemas)).toEqual(new Set(['#/components/schemas/Error']));
    expect(served.components.schemas.Error.required).toEqual(['error', 'requestId']);
  });

  it('documents the Idempotency-Key header of POST /applications', () => {
    const parameters = served.paths['/applications'].post.parameters;

    expect(parameters).toContainEqual(
      expect.objectContaining({ name: 'idempotency-key', in: 'header', required: false }),
    );
  });

  it('lists the fields of a named query schema as query parameters', () => {
    const parameters = served.paths['/analytics/funnel'].get.parameters;

    expect(parameters.map((p: { name: string }) => p.name)).toEqual(['jobId', 'from', 'to']);
  });

  it('declares the bearer API key scheme', () => {
    expect(served.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('error responses derived from a route', () => {
  it('adds 400 and 404 for a path id, 401 and 403 for a key, 429 and 500 for any route', () => {
    const route: AnyContract = {
      method: 'GET',
      path: '/things/{id}',
      summary: 'a thing',
      access: ['admin'],
      bodyKind: 'none',
      params: z.object({ id: z.uuid() }),
      responses: { 200: { description: 'the thing' } },
    };

    const document = openApiDocument([route]) as any;

    expect(Object.keys(document.paths['/things/{id}'].get.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '429',
      '500',
    ]);
  });
});

describe('SchemaComponents', () => {
  const page = z.object({ limit: z.number().default(50) }).meta({ id: 'TestPage' });

  it('names the input variant of a schema <id>Input when it differs from the output', () => {
    const schemas = new SchemaComponents();
    const output = schemas.add(page, 'output');
    const input = schemas.add(page, 'input');

    const components = schemas.components();

    expect([output.$ref, input.$ref]).toEqual([
      '#/components/schemas/TestPage',
      '#/components/schemas/TestPageInput',
    ]);
    expect(Object.keys(components)).toEqual(['TestPage', 'TestPageInput']);
  });

  it('refuses two different schemas under one id', () => {
    const schemas = new SchemaComponents();
    schemas.add(z.object({ a: z.string() }).meta({ id: 'TestTwice' }), 'output');

    const second = () => schemas.add(z.object({ b: z.string() }).meta({ id: 'TestTwice' }), 'output');

    expect(second).toThrow('two different schemas are named TestTwice');
  });
});

describe('the client openapi-typescript generates', () => {
  it('has a type for every path of the document', async () => {
    const types = await clientTypes(served);

    const missing = Object.keys(served.paths).filter((path) => !types.includes(`\n    "${path}": {`));

    expect(missing).toEqual([]);
    expect(Object.keys(served.paths).length).toBeGreaterThan(15);
  }, 30_000);
});

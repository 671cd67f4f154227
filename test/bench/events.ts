/** Synthetic AWS events and Lambda contexts for direct handler calls. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createLambdaContext } from '../../infra/local/lambda-context.js';

export function httpEvent(input: {
  method: 'GET' | 'POST';
  /** Route path with `{param}` segments (the routeKey). */
  route: string;
  /** Concrete path. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  pathParameters?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const routeKey = `${input.method} ${input.route}`;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: input.path,
    rawQueryString: '',
    headers: { host: 'api.example.com', 'user-agent': 'bench', ...input.headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method: input.method,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
  };
}

export function lambdaContext(functionName: string, timeoutSeconds = 10): Context {
  return createLambdaContext({ functionName, timeoutSeconds });
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;

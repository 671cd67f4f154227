/** Lambda contexts for direct handler calls (the events come from test/support/factories.ts). */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createLambdaContext } from '../../infra/local/lambda-context.js';

export function lambdaContext(functionName: string, timeoutSeconds = 10): Context {
  return createLambdaContext({ functionName, timeoutSeconds });
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;

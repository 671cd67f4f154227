import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createLambdaContext } from '../../infra/local/lambda-context.js';
import { type AdapterOverrides, overrideAdapters } from '../../shared/runtime/adapters.js';

/** A sample event from events/<function>/<name>.json with `{{token}}` placeholders filled in. */
export function loadEvent(path: string, tokens: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const raw = readFileSync(`events/${path}.json`, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = tokens[name];
    if (value === undefined) throw new Error(`event ${path} needs token ${name}`);
    return value;
  });
  return JSON.parse(raw) as APIGatewayProxyEventV2;
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Imports a handler after replacing its adapters, as its module builds them once at load. */
export async function loadHandler(fn: string, overrides: AdapterOverrides): Promise<HttpHandler> {
  overrideAdapters(overrides);
  const url = pathToFileURL(resolve('functions', fn, 'handler.ts')).href;
  const module = (await import(/* @vite-ignore */ url)) as { handler: HttpHandler };
  return module.handler;
}

export async function invoke(handler: HttpHandler, event: APIGatewayProxyEventV2) {
  const result = await handler(event, createLambdaContext({ functionName: 'test', timeoutSeconds: 10 }));
  return {
    status: result.statusCode ?? 200,
    headers: result.headers ?? {},
    body: (result.body ? JSON.parse(result.body) : undefined) as any,
  };
}

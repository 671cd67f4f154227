import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type AdapterOverrides, overrideAdapters } from '../../shared/runtime/adapters.js';

export type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** Imports an SQS-triggered function's handler after replacing its adapters (as loadHandler does for HTTP). */
export async function loadSqsHandler(fn: string, overrides: AdapterOverrides): Promise<SqsLambda> {
  overrideAdapters(overrides);
  const url = pathToFileURL(resolve('functions', fn, 'handler.ts')).href;
  const module = (await import(/* @vite-ignore */ url)) as { handler: SqsLambda };
  return module.handler;
}

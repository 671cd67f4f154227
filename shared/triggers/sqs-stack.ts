/**
 * The one middy stack of every SQS-triggered function: Lambda context in the logs (Powertools), Powertools'
 * BatchProcessor reporting partial batch failures (only the failed messageIds return to the queue), each
 * body JSON-parsed and validated with the function's zod schema, then the function's use case.
 *
 * An invalid body is permanent poison: it is reported failed like any other failure, so SQS moves it to the
 * dead-letter queue after maxReceiveCount (docs/reliability.md §1.6: this queue picks the DLQ, not a quarantine
 * table). Logs carry message ids, error names and codes, never a body.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { logger as defaultLogger } from '../observability/logger.js';
import { safeErrorFields } from './schedule-stack.js';

export class PoisonMessageError extends Error {
  constructor(
    readonly reason: 'not_json' | 'invalid_shape',
    readonly issues: { path: string; code: string }[] = [],
  ) {
    super(`poison message: ${reason}`);
    this.name = 'PoisonMessageError';
  }
}

export interface SqsRecordContext {
  record: SQSRecord;
  lambda: Context;
}

export interface SqsHandlerOptions<S extends z.ZodType> {
  /** The function's name, for the logs. */
  name: string;
  /** Schema of a message body. */
  schema: S;
  /** The use case for one message; a throw reports this message failed. */
  handle: (message: z.output<S>, context: SqsRecordContext) => Promise<void>;
  logger?: Logger;
  /** One message after the other (default), sharing the invocation's time budget; true runs them concurrently. */
  parallel?: boolean;
}

export function parseSqsBody<S extends z.ZodType>(schema: S, body: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PoisonMessageError('not_json');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new PoisonMessageError(
      'invalid_shape',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
    );
  }
  return parsed.data;
}

export function sqsHandler<S extends z.ZodType>(options: SqsHandlerOptions<S>) {
  const log = options.logger ?? defaultLogger;
  const recordHandler = async (record: SQSRecord, lambda: Context): Promise<void> => {
    try {
      const message = parseSqsBody(options.schema, record.body);
      await options.handle(message, { record, lambda });
    } catch (error) {
      const fields = { function: options.name, messageId: record.messageId, ...safeErrorFields(error) };
      if (error instanceof PoisonMessageError) {
        log.error('poison message', { ...fields, issues: error.issues });
      } else {
        log.warn('message failed; SQS will redeliver', fields);
      }
      throw error;
    }
  };
  return (
    middy<SQSEvent, SQSBatchResponse>()
      .use(injectLambdaContext(log, { resetKeys: true }))
      // a processor per invocation: it holds the batch's state, and the local runtime runs batches concurrently
      .handler(async (event, context) =>
        processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
          context,
          processInParallel: options.parallel ?? false,
          throwOnFullBatchFailure: false,
        }),
      )
  );
}

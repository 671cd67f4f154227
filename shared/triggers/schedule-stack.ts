/**
 * The one middy stack of every schedule-triggered function: Lambda context in the logs (Powertools),
 * the Scheduler input parsed with the function's zod schema, errors logged without personal data, then
 * the function's use case. A failure is rethrown so the asynchronous invocation is retried and, in the
 * end, reaches the function's failure destination.
 *
 * EventBridge Scheduler hands the target exactly the schedule's `input` (infra/topology.ts), and so do the
 * local runtime's timers. An EventBridge *rule* event (`{source, 'detail-type', detail}`) is unwrapped to
 * its `detail`, so the same function can also sit behind a rule.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger as defaultLogger } from '../observability/logger.js';

export class ScheduleInputError extends Error {
  constructor(readonly issues: { path: string; code: string }[]) {
    super(`invalid schedule input: ${issues.map((i) => `${i.path || '(root)'} ${i.code}`).join('; ')}`);
    this.name = 'ScheduleInputError';
  }
}

export function unwrapScheduleEvent(event: unknown): unknown {
  if (event && typeof event === 'object' && 'detail-type' in event && 'detail' in event) {
    return (event as { detail: unknown }).detail;
  }
  return event;
}

/** What an error may contribute to a log line: its name, a code, a bounded message. No `detail`, no values. */
export function safeErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    errorName: error.name,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    errorMessage: error.message.slice(0, 300),
  };
}

function parseInput<S extends z.ZodType>(schema: S): MiddlewareObj<unknown, unknown> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(unwrapScheduleEvent(request.event));
      if (!parsed.success) {
        // paths and codes only: an input value is never echoed into the logs
        throw new ScheduleInputError(
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
        );
      }
      request.event = parsed.data;
    },
  };
}

function logErrors(log: Logger, name: string): MiddlewareObj<unknown, unknown> {
  return {
    onError: (request) => {
      const error = request.error;
      log.error('scheduled task failed', {
        function: name,
        ...safeErrorFields(error),
        ...(error instanceof ScheduleInputError ? { issues: error.issues } : {}),
      });
    },
  };
}

/** What every asynchronous stack (schedule, EventBridge rule) takes besides its input and use case. */
export interface StackOptions {
  /** The function's name, for the logs. */
  name: string;
  logger?: Logger;
}

/** Lambda context in the logs, then the stack's error logging and input parsing, in that order. */
export function asyncStack<R>(
  log: Logger,
  logErrors: MiddlewareObj<unknown, unknown>,
  parseInput: MiddlewareObj<unknown, unknown>,
) {
  return middy<unknown, R>()
    .use(injectLambdaContext(log, { resetKeys: true }))
    .use(logErrors)
    .use(parseInput);
}

export interface ScheduleHandlerOptions<S extends z.ZodType, R> extends StackOptions {
  /** Schema of the Scheduler input. */
  input: S;
  /** The use case. */
  run: (input: z.output<S>, context: Context) => Promise<R>;
}

export function scheduleHandler<S extends z.ZodType, R>(options: ScheduleHandlerOptions<S, R>) {
  const log = options.logger ?? defaultLogger;
  return asyncStack<R>(log, logErrors(log, options.name), parseInput(options.input)).handler(
    async (event, context) => {
      const started = Date.now();
      const result = await options.run(event as z.output<S>, context);
      log.info('scheduled task finished', { function: options.name, durationMs: Date.now() - started });
      return result;
    },
  );
}

/**
 * The one middy stack of every function behind an EventBridge rule: Lambda context in the logs (Powertools),
 * the event envelope checked (`source`, `detail-type`: what the rule matches) and its `detail` parsed with the
 * function's zod schema, errors logged without personal data, then the function's use case.
 *
 * EventBridge invokes the target asynchronously, so a failure is rethrown: Lambda retries the invocation and,
 * in the end, sends it to the function's dead-letter queue. An event that does not validate is rethrown too
 * (it lands in the DLQ, where an operator sees it); an event the use case chooses to ignore simply returns.
 * Logs carry the event id, paths and codes of validation issues, error names and codes, never a value.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { logger as defaultLogger } from '../observability/logger.js';
import { asyncStack, type StackOptions, safeErrorFields } from './schedule-stack.js';

export class EventInputError extends Error {
  constructor(readonly issues: { path: string; code: string }[]) {
    super(`invalid event: ${issues.map((i) => `${i.path || '(root)'} ${i.code}`).join('; ')}`);
    this.name = 'EventInputError';
  }
}

/** The EventBridge envelope around `detail` (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html). */
const envelope = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});

/** What the use case gets besides the parsed detail. */
export interface EventMeta {
  id: string;
  source: string;
  detailType: string;
  time: string | undefined;
  lambda: Context;
}

interface ParsedEvent<D> {
  meta: Omit<EventMeta, 'lambda'>;
  detail: D;
}

function issuesOf(error: z.ZodError, prefix: string): { path: string; code: string }[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path].filter(Boolean).join('.'), code: i.code }));
}

/** Validates the envelope against the expected source and detail type, then the detail. Throws EventInputError. */
export function parseEvent<S extends z.ZodType>(
  expected: { source: string; detailType: string; detail: S },
  event: unknown,
): ParsedEvent<z.output<S>> {
  const outer = envelope.safeParse(event);
  if (!outer.success) throw new EventInputError(issuesOf(outer.error, ''));
  const { id, source, time } = outer.data;
  const detailType = outer.data['detail-type'];
  const mismatched = [
    ...(source === expected.source ? [] : [{ path: 'source', code: 'unexpected_value' }]),
    ...(detailType === expected.detailType ? [] : [{ path: 'detail-type', code: 'unexpected_value' }]),
  ];
  if (mismatched.length > 0) throw new EventInputError(mismatched);
  const detail = expected.detail.safeParse(outer.data.detail);
  if (!detail.success) throw new EventInputError(issuesOf(detail.error, 'detail'));
  return { meta: { id, source, detailType, time }, detail: detail.data };
}

function parseInput<S extends z.ZodType>(expected: {
  source: string;
  detailType: string;
  detail: S;
}): MiddlewareObj<unknown, unknown> {
  return {
    before: (request) => {
      request.event = parseEvent(expected, request.event);
    },
  };
}

function logErrors(log: Logger, name: string): MiddlewareObj<unknown, unknown> {
  return {
    onError: (request) => {
      const error = request.error;
      const eventId = (request.event as { id?: unknown; meta?: { id?: unknown } } | undefined) ?? {};
      const id = typeof eventId.id === 'string' ? eventId.id : eventId.meta?.id;
      log.error('event handling failed; the invocation will be retried', {
        function: name,
        ...(typeof id === 'string' ? { eventId: id } : {}),
        ...safeErrorFields(error),
        ...(error instanceof EventInputError ? { issues: error.issues } : {}),
      });
    },
  };
}

export interface EventHandlerOptions<S extends z.ZodType, R> extends StackOptions {
  /** What the rule matches: the envelope must carry exactly these. */
  source: string;
  detailType: string;
  /** Schema of the event's `detail`. */
  detail: S;
  /** The use case. */
  run: (detail: z.output<S>, meta: EventMeta) => Promise<R>;
}

export function eventHandler<S extends z.ZodType, R>(options: EventHandlerOptions<S, R>) {
  const log = options.logger ?? defaultLogger;
  const { source, detailType, detail } = options;
  return asyncStack<R>(log, logErrors(log, options.name), parseInput({ source, detailType, detail })).handler(
    async (event, context) => {
      const { meta, detail } = event as ParsedEvent<z.output<S>>;
      const started = Date.now();
      const result = await options.run(detail, { ...meta, lambda: context });
      log.info('event handled', {
        function: options.name,
        eventId: meta.id,
        durationMs: Date.now() - started,
      });
      return result;
    },
  );
}

import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { analyticsExportEvent } from '../../../functions/analytics-export/use-case.js';
import { ScheduleInputError, scheduleHandler } from '../../../shared/triggers/schedule-stack.js';

const event = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../events/analytics-export/${name}.json`, import.meta.url), 'utf8'));

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'analytics-export',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:analytics-export',
  memoryLimitInMB: '1024',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/analytics-export',
  logStreamName: '2024/04/01/[$LATEST]abc',
  getRemainingTimeInMillis: () => 300_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as Context;

function setup() {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const errors = vi.spyOn(logger, 'error');
  const run = vi.fn(async (input: unknown) => ({ received: input }));
  const handler = scheduleHandler({ name: 'analytics-export', input: analyticsExportEvent, run, logger });
  return { handler, run, errors };
}

describe('schedule stack', () => {
  it('hands the parsed Scheduler input of each sample event to the use case', async () => {
    const { handler, run } = setup();
    await expect(handler(event('daily'), context)).resolves.toEqual({ received: { task: 'daily-export' } });
    await handler(event('one-organization'), context);
    expect(run).toHaveBeenLastCalledWith(
      {
        task: 'daily-export',
        organizationId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f',
        from: '2024-03-01',
        to: '2024-03-31',
      },
      expect.objectContaining({ awsRequestId: context.awsRequestId }),
    );
  });

  it('unwraps an EventBridge rule event to its detail', async () => {
    const { handler, run } = setup();
    await handler(event('eventbridge-rule'), context);
    expect(run).toHaveBeenLastCalledWith({ task: 'daily-export' }, expect.anything());
  });

  it('rejects invalid input before the use case and logs paths and codes, never values', async () => {
    const { handler, run, errors } = setup();
    const error = await Promise.resolve(handler(event('invalid'), context)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScheduleInputError);
    expect((error as ScheduleInputError).issues.map((i) => i.path).sort()).toEqual(['organizationId', 'to']);
    expect(run).not.toHaveBeenCalled();
    expect(errors).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(errors.mock.calls);
    expect(logged).toContain('ScheduleInputError');
    expect(logged).not.toContain('not-a-uuid');
    await expect(handler({ task: 'nightly' }, context)).rejects.toBeInstanceOf(ScheduleInputError);
  });

  it('logs a use-case failure by name and code and rethrows it (the async invocation is retried)', async () => {
    const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
    const errors = vi.spyOn(logger, 'error');
    const failure = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      detail: 'Key (email)=(ada@example.com) already exists.',
    });
    const handler = scheduleHandler({
      name: 'analytics-export',
      input: analyticsExportEvent,
      run: async () => {
        throw failure;
      },
      logger,
    });
    await expect(handler(event('daily'), context)).rejects.toBe(failure);
    const logged = JSON.stringify(errors.mock.calls);
    expect(logged).toContain('23505');
    expect(logged).not.toContain('ada@example.com');
  });
});

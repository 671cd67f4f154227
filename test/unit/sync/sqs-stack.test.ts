import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { type HubMessage, hubMessage } from '../../../shared/messages/queue-messages.js';
import { type PoisonMessageError, parseSqsBody, sqsHandler } from '../../../shared/triggers/sqs-stack.js';

const event = (name: string): SQSEvent =>
  JSON.parse(readFileSync(new URL(`../../../events/sync-worker/${name}.json`, import.meta.url), 'utf8'));
const logger = new Logger({ logLevel: 'SILENT' });
const context = () => createLambdaContext({ functionName: 'sync-worker', timeoutSeconds: 120 });

describe('SQS middy stack', () => {
  it('reports exactly the poison messages as batch item failures and hands the valid ones over parsed', async () => {
    const seen: HubMessage[] = [];
    const handler = sqsHandler({
      name: 'test',
      logger,
      schema: hubMessage,
      handle: async (m) => void seen.push(m),
    });

    const response = await handler(event('mixed-batch'), context());

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm-not-json' },
      { itemIdentifier: 'm-wrong-shape' },
    ]);
    expect(seen.map((m) => m.type)).toEqual(['sync', 'webhook']);
  });

  it('reports a message whose use case throws, so SQS redelivers only that one', async () => {
    const handler = sqsHandler({
      name: 'test',
      logger,
      schema: hubMessage,
      handle: async (m) => {
        if (m.type === 'webhook') throw new Error('database unavailable');
      },
    });

    const response = await handler(event('mixed-batch'), context());

    expect(response.batchItemFailures).toContainEqual({ itemIdentifier: 'm-valid-2' });
    expect(response.batchItemFailures).not.toContainEqual({ itemIdentifier: 'm-valid' });
  });

  it('answers an all-good batch with no failures', async () => {
    const handler = sqsHandler({ name: 'test', logger, schema: hubMessage, handle: async () => undefined });

    const response = await handler(event('sync-requested'), context());

    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('tells a body that is not JSON from one of the wrong shape, without echoing values', () => {
    const caught = (body: string) => {
      try {
        parseSqsBody(hubMessage, body);
      } catch (error) {
        return error as PoisonMessageError;
      }
      throw new Error('expected a poison message');
    };

    const notJson = caught('{nope');
    const wrongShape = caught(JSON.stringify({ type: 'sync', organizationId: 'secret@example.com' }));

    expect(notJson).toMatchObject({ name: 'PoisonMessageError', reason: 'not_json' });
    expect(wrongShape).toMatchObject({ name: 'PoisonMessageError', reason: 'invalid_shape' });
    expect(JSON.stringify(wrongShape.issues)).not.toContain('secret@example.com');
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsQueue, type SqsQueueOptions } from '../../../shared/aws/sqs-queue.js';
import type { QueueMessage } from '../../../shared/ports/queue.js';
import {
  awsError,
  type FakeAnswer,
  type FakeAwsEndpoint,
  type FakeCall,
  startFakeAwsEndpoint,
  TEST_CREDENTIALS,
} from './fake-aws-endpoint.js';

interface Entry {
  Id: string;
  MessageBody: string;
  DelaySeconds?: number;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

const md5 = (body: string) => createHash('md5').update(body, 'utf8').digest('hex');
const ok = (e: Entry) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(e.MessageBody) });
const entriesOf = (call: FakeCall | undefined) => (call?.input.Entries ?? []) as Entry[];

/** SendMessageBatch answers: failed ids listed under Failed, the rest under Successful. */
function batchAnswer(failedIds: string[] = [], options: { alsoSuccessful?: boolean; omit?: string[] } = {}) {
  return (call: FakeCall): FakeAnswer => {
    const entries = entriesOf(call);
    return {
      body: {
        Successful: entries
          .filter(
            (e) => !options.omit?.includes(e.Id) && (options.alsoSuccessful || !failedIds.includes(e.Id)),
          )
          .map(ok),
        Failed: entries
          .filter((e) => failedIds.includes(e.Id))
          .map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false, Message: 'try again' })),
      },
    };
  };
}

let endpoint: FakeAwsEndpoint | undefined;

/** A queue on a fake SQS that checks signatures; one attempt per call unless the test asks for retries. */
async function queueAnswering(
  answer: (call: FakeCall, index: number) => FakeAnswer,
  options: Partial<SqsQueueOptions> = {},
): Promise<SqsQueue> {
  let index = 0;
  endpoint = await startFakeAwsEndpoint((call) => answer(call, index++), { credentials: TEST_CREDENTIALS });
  return new SqsQueue({
    queueUrl: `${endpoint.url}/000000000000/hub-sync`,
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: () => TEST_CREDENTIALS,
    maxAttempts: 1,
    ...options,
  });
}

const messages = (n: number): QueueMessage[] =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i}`, body: JSON.stringify({ outboxId: i }) }));

afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
});

describe('SqsQueue over SendMessageBatch', () => {
  it('sends 23 messages as chunks of 10, 10 and 3, in order', async () => {
    const queue = await queueAnswering(batchAnswer());

    const result = await queue.sendBatch(messages(23));

    expect(endpoint?.calls.map((c) => c.operation)).toEqual([
      'SendMessageBatch',
      'SendMessageBatch',
      'SendMessageBatch',
    ]);
    expect(endpoint?.calls.map((c) => entriesOf(c).length)).toEqual([10, 10, 3]);
    expect(endpoint?.calls.flatMap((c) => entriesOf(c).map((e) => e.Id))).toEqual(
      messages(23).map((m) => m.id),
    );
    expect(result).toEqual({ successful: messages(23).map((m) => m.id), failed: [] });
  });

  it('reports only the Successful entries successful when SQS answers a partial failure', async () => {
    const queue = await queueAnswering(batchAnswer(['m2', 'm5']));

    const result = await queue.sendBatch(messages(10));

    expect(result.successful).toEqual(['m0', 'm1', 'm3', 'm4', 'm6', 'm7', 'm8', 'm9']);
    expect(result.failed).toEqual([
      { id: 'm2', code: 'InternalError', senderFault: false },
      { id: 'm5', code: 'InternalError', senderFault: false },
    ]);
  });

  it('marks every entry of a chunk whose call fails as failed, and the other chunks by their answer', async () => {
    const queue = await queueAnswering((call, index) =>
      index === 1
        ? awsError(
            400,
            'com.amazonaws.sqs#BatchRequestTooLong',
            'Batch requests cannot be longer than 1048576 bytes',
          )
        : batchAnswer()(call),
    );

    const result = await queue.sendBatch(messages(25));

    expect(result.successful).toEqual([...messages(10), ...messages(25).slice(20)].map((m) => m.id));
    expect(result.failed.map((f) => f.id)).toEqual(
      messages(20)
        .slice(10)
        .map((m) => m.id),
    );
    expect(result.failed[0]).toMatchObject({ code: 'BatchRequestTooLong', senderFault: true });
  });

  it('never reports an entry successful that the answer also lists as failed', async () => {
    const queue = await queueAnswering(batchAnswer(['m1'], { alsoSuccessful: true }));

    const result = await queue.sendBatch(messages(3));

    expect(result.successful).toEqual(['m0', 'm2']);
    expect(result.failed.map((f) => f.id)).toEqual(['m1']);
  });

  it('reports an entry the answer does not mention as failed', async () => {
    const queue = await queueAnswering(batchAnswer([], { omit: ['m0'] }));

    const result = await queue.sendBatch(messages(2));

    expect(result.successful).toEqual(['m1']);
    expect(result.failed).toEqual([{ id: 'm0', code: 'MissingFromResponse', senderFault: false }]);
  });

  it('fails the chunk when an MD5 in the answer does not match what was sent', async () => {
    const queue = await queueAnswering((call) => ({
      body: {
        Successful: entriesOf(call).map((e) => ({ ...ok(e), MD5OfMessageBody: md5('something else') })),
        Failed: [],
      },
    }));

    const result = await queue.sendBatch(messages(2));

    expect(result.successful).toEqual([]);
    expect(result.failed.map((f) => f.id)).toEqual(['m0', 'm1']);
  });

  it('passes delay, message group and deduplication id through to the entry', async () => {
    const queue = await queueAnswering(batchAnswer());

    await queue.sendBatch([
      { id: 'a', body: 'x', delaySeconds: 30, groupId: 'org#app', deduplicationId: 'outbox-1' },
    ]);

    expect(entriesOf(endpoint?.calls[0])).toEqual([
      {
        Id: 'a',
        MessageBody: 'x',
        DelaySeconds: 30,
        MessageGroupId: 'org#app',
        MessageDeduplicationId: 'outbox-1',
      },
    ]);
  });

  it('refuses duplicate entry ids before sending anything', async () => {
    const queue = await queueAnswering(batchAnswer());

    await expect(queue.sendBatch([...messages(2), { id: 'm0', body: 'again' }])).rejects.toThrow(/duplicate/);
    expect(endpoint?.calls).toHaveLength(0);
  });
});

describe('SqsQueue on the wire', () => {
  it('signs each call so that the SDK’s own SigV4 signer computes the same signature', async () => {
    const queue = await queueAnswering(batchAnswer());

    const result = await queue.sendBatch(messages(1));

    expect(result.successful).toEqual(['m0']);
  });

  it('signs a session token into the request when the credentials carry one', async () => {
    const queue = await queueAnswering(batchAnswer(), {
      credentials: () => ({ ...TEST_CREDENTIALS, sessionToken: 'session-token-from-the-role' }),
    });

    const result = await queue.sendBatch(messages(1));

    expect(result.successful).toEqual(['m0']);
  });

  it('fails every entry as a sender fault when AWS refuses the signature', async () => {
    const queue = await queueAnswering(batchAnswer(), {
      credentials: () => ({ ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' }),
    });

    const result = await queue.sendBatch(messages(2));

    expect(result.failed).toEqual([
      { id: 'm0', code: 'InvalidSignatureException', senderFault: true },
      { id: 'm1', code: 'InvalidSignatureException', senderFault: true },
    ]);
  });

  it('tries a server error and a throttling answer again, then reports the entries sent', async () => {
    const queue = await queueAnswering(
      (call, index) =>
        index === 0
          ? awsError(500, 'com.amazonaws.sqs#InternalError', 'try again')
          : index === 1
            ? awsError(400, 'com.amazonaws.sqs#RequestThrottled', 'slow down')
            : batchAnswer()(call),
      { maxAttempts: 3, retryBaseMs: 1 },
    );

    const result = await queue.sendBatch(messages(2));

    expect(endpoint?.count('SendMessageBatch')).toBe(3);
    expect(result.successful).toEqual(['m0', 'm1']);
  });

  it('does not try a sender fault again', async () => {
    const queue = await queueAnswering(
      () => awsError(400, 'com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.'),
      { maxAttempts: 3, retryBaseMs: 1 },
    );

    const result = await queue.sendBatch(messages(1));

    expect(endpoint?.count('SendMessageBatch')).toBe(1);
    expect(result.failed).toEqual([{ id: 'm0', code: 'QueueDoesNotExist', senderFault: true }]);
  });

  it('fails the entries, without throwing, when nothing answers at the endpoint', async () => {
    const closed = await startFakeAwsEndpoint(batchAnswer());
    await closed.stop();
    const queue = new SqsQueue({
      queueUrl: `${closed.url}/000000000000/hub-sync`,
      region: 'us-east-1',
      endpoint: closed.url,
      credentials: () => TEST_CREDENTIALS,
      maxAttempts: 2,
      retryBaseMs: 1,
    });

    const result = await queue.sendBatch(messages(1));

    expect(result.failed).toEqual([{ id: 'm0', code: 'ECONNREFUSED', senderFault: false }]);
  });
});

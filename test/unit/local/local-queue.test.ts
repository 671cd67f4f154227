// Over 400 lines: the local queue's one catalogue: delivery, visibility, batches, redrive and their properties.
import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BatchReport,
  type ConsumerOptions,
  LocalQueue,
  ManualClock,
  type SqsHandler,
  settle,
} from '../../../infra/local/queue/local-queue.js';
import { createLocalQueues } from '../../../infra/local/queue/topology-queues.js';
import { QueueSendFaults } from '../../support/queue-send-faults.js';

const VT_SECONDS = 60;

interface Harness {
  clock: ManualClock;
  queue: LocalQueue;
  deliveries: SQSRecord[][];
  reports: BatchReport[];
  send(bodies: string[], delaySeconds?: number): Promise<void>;
}

function harness(
  handler: (event: SQSEvent, call: number) => ReturnType<SqsHandler>,
  consumer: Partial<ConsumerOptions> = {},
  queueOptions: { maxReceiveCount?: number } = {},
): Harness {
  const clock = new ManualClock();
  const queue = new LocalQueue({
    name: 'sync',
    visibilityTimeoutSeconds: VT_SECONDS,
    maxReceiveCount: queueOptions.maxReceiveCount ?? 5,
    clock,
    onError: () => undefined,
  });
  const deliveries: SQSRecord[][] = [];
  const reports: BatchReport[] = [];
  queue.consume({
    handler: (event) => {
      deliveries.push(event.Records);
      return handler(event, deliveries.length);
    },
    batchSize: 5,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 2,
    functionName: 'sync-worker',
    timeoutSeconds: 10,
    onBatch: (report) => reports.push(report),
    ...consumer,
  });
  let seq = 0;
  return {
    clock,
    queue,
    deliveries,
    reports,
    async send(bodies, delaySeconds) {
      const result = await queue.sendBatch(
        bodies.map((body) => ({
          id: `m${++seq}`,
          body,
          ...(delaySeconds !== undefined ? { delaySeconds } : {}),
        })),
      );
      expect(result.failed).toEqual([]);
    },
  };
}

const bodiesOf = (records: SQSRecord[] | undefined) => (records ?? []).map((r) => r.body);
const ok = async () => undefined;
const boom = async (): Promise<undefined> => {
  throw new Error('boom');
};

describe('LocalQueue delivery', () => {
  it('delivers SQS-shaped records', async () => {
    const h = harness(ok);
    const sentAt = h.clock.now();

    await h.send(['hello']);
    await h.queue.idle();

    const record = h.deliveries[0]?.[0];
    expect(record).toMatchObject({
      body: 'hello',
      md5OfBody: createHash('md5').update('hello').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:sync',
      awsRegion: 'us-east-1',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(sentAt),
        ApproximateFirstReceiveTimestamp: String(sentAt),
      },
    });
    expect(record?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(record?.receiptHandle).not.toBe('');
  });

  it('deletes the messages of a batch the handler completes', async () => {
    const h = harness(ok);

    await h.send(['a', 'b', 'c']);
    await h.queue.idle();

    expect(h.queue.stats()).toMatchObject({ total: 0, deleted: 3, inFlight: 0 });
  });

  it('sends batches of at most batchSize messages', async () => {
    const h = harness(ok, { batchSize: 5, maxConcurrency: 1 });

    await h.send(Array.from({ length: 12 }, (_, i) => `m${i}`));
    await h.queue.idle();

    expect(h.deliveries.map((d) => d.length)).toEqual([5, 5, 2]);
  });

  it('waits up to the batching window for a full batch', async () => {
    const h = harness(ok, { batchSize: 5, maxBatchingWindowSeconds: 2 });
    await h.send(['a', 'b']);
    await h.queue.idle();
    await h.clock.advance(1999);
    expect(h.deliveries).toHaveLength(0);

    await h.clock.advance(1);

    expect(h.deliveries.map(bodiesOf)).toEqual([['a', 'b']]);
  });

  it('delivers at once when a full batch is there before the window ends', async () => {
    const h = harness(ok, { batchSize: 3, maxBatchingWindowSeconds: 20 });

    await h.send(['a', 'b', 'c']);
    await h.queue.idle();

    expect(h.deliveries.map(bodiesOf)).toEqual([['a', 'b', 'c']]);
  });

  it('holds a delayed message back until its delay has passed', async () => {
    const h = harness(ok);
    await h.send(['later'], 30);
    await h.queue.idle();
    await h.clock.advance(29_999);
    expect(h.deliveries).toHaveLength(0);
    expect(h.queue.stats().delayed).toBe(1);

    await h.clock.advance(1);

    expect(h.deliveries.map(bodiesOf)).toEqual([['later']]);
  });

  it('never runs more than maxConcurrency batches at once', async () => {
    let active = 0;
    let maxActive = 0;
    const gates: (() => void)[] = [];
    const h = harness(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active -= 1;
        return undefined;
      },
      { batchSize: 1, maxConcurrency: 2 },
    );
    await h.send(['1', '2', '3', '4', '5', '6']);

    while (h.queue.stats().total > 0) {
      await settle();
      for (const open of gates.splice(0)) open();
    }

    expect(maxActive).toBe(2);
    expect(h.deliveries).toHaveLength(6);
  });
});

describe('LocalQueue visibility, receive count and redrive', () => {
  it('keeps a failed message invisible until the visibility timeout passes', async () => {
    const h = harness(async (_e, call) => (call === 1 ? boom() : undefined));
    await h.send(['x']);
    await h.queue.idle();
    await h.clock.advance(VT_SECONDS * 1000 - 1);
    expect(h.deliveries).toHaveLength(1);
    expect(h.queue.stats().inFlight).toBe(1);

    await h.clock.advance(1);

    expect(h.deliveries).toHaveLength(2);
  });

  it('raises ApproximateReceiveCount with every delivery', async () => {
    const h = harness(boom);
    await h.send(['x']);
    await h.queue.idle();

    await h.clock.advance(VT_SECONDS * 1000);
    await h.clock.advance(VT_SECONDS * 1000);

    expect(h.deliveries.map((d) => d[0]?.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives and delivers it no more', async () => {
    const h = harness(boom, {}, { maxReceiveCount: 3 });
    await h.send(['poison']);

    await h.queue.drain();

    expect(h.deliveries).toHaveLength(3);
    expect(h.queue.deadLetters()).toMatchObject([{ body: 'poison', receiveCount: 3 }]);
    expect(h.queue.stats()).toMatchObject({ total: 0, deadLetters: 1, movedToDeadLetter: 1 });
  });

  it('returns the whole batch after the visibility timeout when the handler throws', async () => {
    const h = harness(async (_e, call) => (call === 1 ? boom() : undefined));
    await h.send(['a', 'b', 'c']);
    await h.queue.idle();
    expect(h.queue.stats()).toMatchObject({ inFlight: 3, deleted: 0 });

    await h.clock.advance(VT_SECONDS * 1000);

    expect(h.deliveries.map(bodiesOf)).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
  });

  it('treats a handler that outlives its timeout as failed; the batch returns after the visibility timeout', async () => {
    const h = harness((_e, call) => (call === 1 ? new Promise<undefined>(() => undefined) : ok()), {
      timeoutSeconds: 10,
    });
    await h.send(['slow']);
    await h.clock.advance(10_000);
    expect(h.reports).toMatchObject([{ outcome: 'timeout' }]);
    expect(h.queue.stats().inFlight).toBe(1);

    await h.clock.advance(VT_SECONDS * 1000 - 10_000);

    expect(h.deliveries).toHaveLength(2);
  });

  it('puts dead letters back into the source queue on redrive', async () => {
    const h = harness(async (_e, call) => (call <= 2 ? boom() : undefined), {}, { maxReceiveCount: 2 });
    await h.send(['again']);
    await h.queue.drain();

    const moved = h.queue.redriveDeadLetters();
    await h.queue.idle();

    expect(moved).toBe(1);
    expect(h.deliveries.at(-1)?.[0]).toMatchObject({
      body: 'again',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(h.queue.stats()).toMatchObject({ total: 0, deadLetters: 0 });
  });
});

describe('LocalQueue partial batch responses (docs/reliability.md §1.4)', () => {
  it('returns exactly the reported messages and deletes the rest (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) => fc.tuple(fc.constant(n), fc.subarray([...Array(n).keys()]))),
        async ([n, failedIndexes]) => {
          const bodies = Array.from({ length: n }, (_, i) => `body-${i}`);
          const failedBodies = new Set(failedIndexes.map((i) => `body-${i}`));
          const h = harness(async (event, call) =>
            call === 1
              ? {
                  batchItemFailures: event.Records.filter((r) => failedBodies.has(r.body)).map((r) => ({
                    itemIdentifier: r.messageId,
                  })),
                }
              : undefined,
          );
          await h.send(bodies);
          await h.queue.idle();

          const left = h.queue.peek();
          await h.clock.advance(VT_SECONDS * 1000);

          expect(new Set(left.map((m) => m.body))).toEqual(failedBodies);
          expect(left.every((m) => m.state === 'inFlight')).toBe(true);
          expect(new Set(h.deliveries.slice(1).flatMap(bodiesOf))).toEqual(failedBodies);
        },
      ),
      { numRuns: 60 },
    );
  });

  const rules: [string, 'success' | 'failure', (ids: string[]) => unknown][] = [
    ['no answer', 'success', () => undefined],
    ['null', 'success', () => null],
    ['an empty object', 'success', () => ({})],
    ['an empty batchItemFailures', 'success', () => ({ batchItemFailures: [] })],
    ['a null batchItemFailures', 'success', () => ({ batchItemFailures: null })],
    ['an empty itemIdentifier', 'failure', () => ({ batchItemFailures: [{ itemIdentifier: '' }] })],
    ['a null itemIdentifier', 'failure', () => ({ batchItemFailures: [{ itemIdentifier: null }] })],
    ['a misspelled key', 'failure', (ids) => ({ batchItemFailures: [{ itemIdentifer: ids[0] }] })],
    [
      'an id not in the batch',
      'failure',
      () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }),
    ],
    [
      'a valid id next to an invalid one',
      'failure',
      (ids) => ({ batchItemFailures: [{ itemIdentifier: ids[0] }, {}] }),
    ],
    ['something that is not an object', 'failure', () => 'ok'],
  ];

  it.each(rules)('reads %s as full %s', async (_name, expected, answer) => {
    const h = harness(async (event, call) =>
      call === 1 ? (answer(event.Records.map((r) => r.messageId)) as undefined) : undefined,
    );

    await h.send(['a', 'b', 'c']);
    await h.queue.idle();

    expect(h.queue.stats().total).toBe(expected === 'success' ? 0 : 3);
  });
});

function queueWithSendFaults(): { queue: LocalQueue; faults: QueueSendFaults } {
  const faults = new QueueSendFaults();
  const queue = new LocalQueue({
    name: 'sync',
    visibilityTimeoutSeconds: 60,
    clock: new ManualClock(),
    sendFaults: faults,
  });
  return { queue, faults };
}

describe('LocalQueue producer side', () => {
  it('reports the entries named by failNextSends as failed and enqueues only the others', async () => {
    const { queue, faults } = queueWithSendFaults();
    faults.failNextSends(['b'], { code: 'InternalError' });

    const result = await queue.sendBatch(['a', 'b', 'c'].map((id) => ({ id, body: id })));

    expect(result).toEqual({
      successful: ['a', 'c'],
      failed: [{ id: 'b', code: 'InternalError', senderFault: false }],
    });
    expect(queue.peek().map((m) => m.body)).toEqual(['a', 'c']);
  });

  it('fails the next N entries when failNextSends is given a count', async () => {
    const { queue, faults } = queueWithSendFaults();
    faults.failNextSends(2);

    const result = await queue.sendBatch(['a', 'b', 'c'].map((id) => ({ id, body: id })));

    expect(result.successful).toEqual(['c']);
    expect(result.failed.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('fails a whole SendMessageBatch call of 10 entries after failNextSendCalls', async () => {
    const { queue, faults } = queueWithSendFaults();
    faults.failNextSendCalls(1);

    const result = await queue.sendBatch(
      Array.from({ length: 12 }, (_, i) => ({ id: `e${i}`, body: `b${i}` })),
    );

    expect(result.failed.map((f) => f.id)).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
    expect(result.successful).toEqual(['e10', 'e11']);
  });

  it('refuses a send with duplicate entry ids', async () => {
    const queue = new LocalQueue({ name: 'sync', visibilityTimeoutSeconds: 60, clock: new ManualClock() });

    await expect(
      queue.sendBatch([
        { id: 'a', body: '1' },
        { id: 'a', body: '2' },
      ]),
    ).rejects.toThrow(/duplicate/);
  });

  it('reports an empty body or an out-of-range delay as a sender fault', async () => {
    const queue = new LocalQueue({ name: 'sync', visibilityTimeoutSeconds: 60, clock: new ManualClock() });

    const result = await queue.sendBatch([
      { id: 'empty', body: '' },
      { id: 'late', body: 'x', delaySeconds: 901 },
    ]);

    expect(result.failed).toEqual([
      { id: 'empty', code: 'InvalidParameterValue', senderFault: true },
      { id: 'late', code: 'InvalidParameterValue', senderFault: true },
    ]);
  });
});

describe('LocalQueue lifecycle and topology', () => {
  it('refuses a consumer whose timeout exceeds the visibility timeout', () => {
    const queue = new LocalQueue({ name: 'sync', visibilityTimeoutSeconds: 30, clock: new ManualClock() });

    expect(() =>
      queue.consume({
        handler: ok,
        batchSize: 1,
        maxBatchingWindowSeconds: 0,
        maxConcurrency: 1,
        functionName: 'f',
        timeoutSeconds: 31,
      }),
    ).toThrow(/visibility timeout/);
  });

  it('delivers nothing after stop, while still accepting messages', async () => {
    const h = harness(ok);
    await h.queue.stop();

    await h.send(['after-stop']);
    await h.queue.idle();

    expect(h.deliveries).toHaveLength(0);
    expect(h.queue.stats().visible).toBe(1);
  });

  it('builds one queue per topology queue with the 6x visibility timeout and redrive', () => {
    const queues = createLocalQueues({ clock: new ManualClock() });

    expect(queues.sync.visibilityTimeoutSeconds).toBe(720);
    expect(queues.sync.maxReceiveCount).toBe(5);
    expect(queues.notify.deadLetterQueue?.name).toBe('notify-dlq');
  });
});

/**
 * The notifier as Lambda runs it: SQS batch in, partial batch response out (docs/reliability.md §1.4), with the
 * adapters replaced and loopback allowed through the environment as in the local runtime.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscription } from '../../../functions/subscriptions-admin/use-case.js';
import { sqsEvent, verifyStandardWebhook } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { startTestReceiver, type TestReceiver } from '../../support/standard-webhooks-receiver.js';
import { handlerWorld, insertHandoffEvent, lambdaHandler } from './support.js';

let graph: TenantGraph;
let receiver: TestReceiver;
const world = handlerWorld({ NOTIFY_REQUEST_TIMEOUT_MS: '500' });
const { clock, queue, secrets } = world;

beforeAll(async () => {
  graph = await seedTenantGraph(world.db.owner, 'Handler');
  receiver = await startTestReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

const invoke = lambdaHandler<SQSEvent, SQSBatchResponse>('notifier', 30);

describe('notifier handler', () => {
  it('delivers a relayed event and reports only the poison message as a batch item failure', async () => {
    const created = await createSubscription(
      { sql: world.db.app, secrets, queue, clock, config: { allowLoopback: true } },
      {
        organizationId: graph.organizationId,
        role: 'admin',
        keyId: '00000000-0000-4000-8000-000000000007',
      },
      {
        kind: 'webhook',
        url: receiver.url(),
        eventTypes: ['application.handoff'],
        includeCandidateNames: false,
      },
    );
    const event = await insertHandoffEvent(world.db.owner, graph, clock);
    const batch = sqsEvent([JSON.stringify(event), '{"type":"outbox","outboxId":"x"}', 'not json']);
    const response = await invoke(batch);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [batch.Records[1]!.messageId, batch.Records[2]!.messageId].sort(),
    );
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(() =>
      verifyStandardWebhook({
        secret: created.secret!,
        body: request.body,
        headers: request.headers,
        nowSeconds: clock.seconds(),
      }),
    ).not.toThrow();
  });

  it('answers an all-good batch with no failures, and a duplicate is absorbed', async () => {
    const event = await insertHandoffEvent(world.db.owner, graph, clock);
    const before = receiver.requests.length;
    const response = await invoke(sqsEvent([JSON.stringify(event), JSON.stringify(event)]));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.length - before).toBe(1);
  });

  it('fails the record when its retry wake-up cannot be queued (SQS brings it back)', async () => {
    receiver.answer(() => ({ status: 503 }));
    queue.failNext = 1;
    const event = await insertHandoffEvent(world.db.owner, graph, clock);
    const batch = sqsEvent([JSON.stringify(event)]);
    const response = await invoke(batch);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0]!.messageId }]);
  });
});

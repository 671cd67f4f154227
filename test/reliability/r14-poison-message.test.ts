/**
 * R14 Poison message. The sync worker's real handler consumes a LocalQueue with SQS semantics (visibility
 * timeout 6 × the function timeout, maxReceiveCount from the topology, redrive to a dead-letter queue; virtual
 * time). Each batch of 10 holds one record that always fails (not JSON, or failing the message schema) and 9
 * healthy webhook deliveries. The healthy ones must be applied on the first receive, `batchItemFailures` must
 * be exactly the poison id, and the poison must reach the DLQ after maxReceiveCount receives.
 * FIFO: the hub's queues are standard queues (infra/topology.ts), so FIFO group blocking does not apply to it;
 * the FIFO processor Powertools offers is exercised as well (default: the rest of the batch held back;
 * `skipGroupOnError`: only the poison's group) to document what a move to FIFO would change.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import {
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { expect, it } from 'vitest';
import { createLambdaContext } from '../../infra/local/lambda-context.js';
import { type BatchReport, LocalQueue, ManualClock } from '../../infra/local/queue/local-queue.js';
import { functions, queues as queueSpecs, visibilityTimeoutSeconds } from '../../infra/topology.js';
import { recordDelivery } from '../../shared/db/repositories/webhook-deliveries.js';
import { withTenant } from '../../shared/db/tenant.js';
import type { TestDatabase } from '../support/db.js';
import { sqsEvent, sqsRecord } from '../support/factories.js';
import type { TenantGraph } from '../support/fixtures.js';
import { describeOnPostgres, figures } from '../support/reliability.js';
import type { SqsLambda } from '../support/sqs-handler.js';
import { syncWorkerSuite } from './support/suite.js';

const BATCHES = 10;
let db: TestDatabase;
let graph: TenantGraph;
let handler: SqsLambda;

async function healthyMessage(): Promise<string> {
  const id = randomUUID();
  const rowId = await withTenant(db.app, graph.organizationId, 'worker', (tx) =>
    recordDelivery(tx, {
      organizationId: graph.organizationId,
      integrationId: graph.integrationId,
      deliveryId: `r14-${id}`,
      bodySha256: id,
      eventType: 'ping',
      payload: JSON.stringify({ action: 'ping', payload: {} }),
      sourceTimestamp: null,
    }),
  );
  return JSON.stringify({
    type: 'webhook',
    organizationId: graph.organizationId,
    integrationId: graph.integrationId,
    deliveryRowId: rowId,
  });
}

describeOnPostgres('R14', 'poison message', () => {
  syncWorkerSuite(2, (state) => {
    ({ db, graph, handler } = state);
  });

  it('processes the 9 healthy records of every batch, reports only the poison and dead-letters it after maxReceiveCount', async () => {
    const worker = functions.find((f) => f.name === 'sync-worker')!;
    const maxReceiveCount = queueSpecs.find((q) => q.name === 'sync')!.maxReceiveCount;
    const perBatch: { healthyProcessed: number; failuresExactlyPoison: boolean }[] = [];
    let dlqArrivals = 0;
    let poisonReceives = 0;
    for (let b = 0; b < BATCHES; b++) {
      const clock = new ManualClock();
      const queue = new LocalQueue({
        name: `sync-r14-${b}`,
        visibilityTimeoutSeconds: visibilityTimeoutSeconds('sync'),
        maxReceiveCount,
        clock,
      });
      const reports: BatchReport[] = [];
      queue.consume({
        handler: handler as never,
        batchSize: 10,
        maxBatchingWindowSeconds: 0,
        maxConcurrency: 1,
        functionName: worker.name,
        timeoutSeconds: worker.timeoutSeconds,
        contextFor: () =>
          createLambdaContext({
            functionName: worker.name,
            timeoutSeconds: worker.timeoutSeconds,
            now: () => clock.now(),
          }),
        onBatch: (report) => reports.push(report),
      });
      const poisonAt = b % 10;
      const bodies: string[] = [];
      for (let i = 0; i < 10; i++)
        bodies.push(
          i === poisonAt
            ? b % 2 === 0
              ? 'not json'
              : '{"type":"webhook","deliveryRowId":"1"}'
            : await healthyMessage(),
        );
      await queue.sendBatch(bodies.map((body, i) => ({ id: `m${i}`, body })));
      await queue.drain();
      const first = reports[0]!;
      const poisonId = queue.deadLetterQueue!.peek()[0]?.messageId;
      const rows = await db.owner<{ n: number }[]>`
        select count(*)::int as n from webhook_deliveries where integration_id = ${graph.integrationId}
          and delivery_id like 'r14-%' and status <> 'received'`;
      perBatch.push({
        healthyProcessed: rows[0]!.n - perBatch.reduce((n, p) => n + p.healthyProcessed, 0),
        failuresExactlyPoison:
          first.outcome === 'partial' && first.failedIds.length === 1 && first.failedIds[0] === poisonId,
      });
      dlqArrivals += queue.deadLetterQueue!.peek().length;
      poisonReceives = Math.max(poisonReceives, ...reports.map((_, i) => i + 1));
      await queue.stop();
    }

    // FIFO processors (library behaviour; the hub's queues are standard): groups A and B, poison A2
    const fifoRecords = (): SQSRecord[] =>
      ['A1', 'B1', 'A2', 'B2', 'A3', 'B3'].map((name) =>
        sqsRecord(name, { messageId: name, groupId: name[0]! }),
      );
    const handled: string[] = [];
    const recordHandler = async (record: SQSRecord) => {
      handled.push(record.body);
      if (record.body === 'A2') throw new Error('poison');
    };
    const run = async (skipGroupOnError: boolean) => {
      handled.length = 0;
      const response = (await processPartialResponse(
        sqsEvent(fifoRecords()),
        recordHandler,
        new SqsFifoPartialProcessorAsync(),
        {
          context: createLambdaContext({ functionName: 'fifo', timeoutSeconds: 30 }),
          skipGroupOnError,
          throwOnFullBatchFailure: false,
        },
      )) as SQSBatchResponse;
      return { handled: [...handled], failed: response.batchItemFailures.map((f) => f.itemIdentifier) };
    };
    const fifoDefault = await run(false);
    const fifoSkipGroup = await run(true);

    figures('R14', 'poison message', {
      batches: BATCHES,
      healthyProcessedPerBatch: [...new Set(perBatch.map((p) => `${p.healthyProcessed}/9`))].join(','),
      batchItemFailuresExactlyPoison: `${perBatch.filter((p) => p.failuresExactlyPoison).length}/${BATCHES}`,
      maxReceiveCount,
      poisonReceivesBeforeDlq: poisonReceives,
      dlqArrivals,
      fifoDefault: `handled ${fifoDefault.handled.join(',')}; failed ${fifoDefault.failed.join(',')}`,
      fifoSkipGroupOnError: `handled ${fifoSkipGroup.handled.join(',')}; failed ${fifoSkipGroup.failed.join(',')}`,
      eventType: EventType.SQS,
    });
    expect(perBatch.every((p) => p.healthyProcessed === 9)).toBe(true);
    expect(perBatch.every((p) => p.failuresExactlyPoison)).toBe(true);
    expect(dlqArrivals).toBe(BATCHES);
    expect(poisonReceives).toBe(maxReceiveCount);
    // FIFO default: stops at the poison, everything after it is held back (reported failed, not handled)
    expect(fifoDefault).toEqual({ handled: ['A1', 'B1', 'A2'], failed: ['A2', 'B2', 'A3', 'B3'] });
    // skipGroupOnError: only the poison's group is held back; group B carries on
    expect(fifoSkipGroup).toEqual({ handled: ['A1', 'B1', 'A2', 'B2', 'B3'], failed: ['A2', 'A3'] });
  });
});

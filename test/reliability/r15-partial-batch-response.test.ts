/**
 * R15 Partial-batch response correctness, on the sync worker's real handler (shared/triggers/sqs-stack.ts:
 * Powertools BatchProcessor + processPartialResponse). Property-based (fast-check, seeded): 1,000 batches of
 * 1–10 records, a random subset of them failing (bodies that are not JSON or fail the schema: permanent
 * poison; the rest are valid messages that succeed). The reported `batchItemFailures` must be exactly the
 * failed messageIds, never an empty, unknown or misspelled identifier (docs/reliability.md §1.4: any of those
 * turns the answer into a full-batch failure). The same property is then checked with two invocations in
 * flight at once, as the local runtime's queue consumer runs them (maxConcurrency > 1).
 */
import '../support/quiet-logs.js';
import type { SQSBatchResponse } from 'aws-lambda';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createLambdaContext } from '../../infra/local/lambda-context.js';
import { sqsEvent, sqsRecord } from '../support/factories.js';
import type { TenantGraph } from '../support/fixtures.js';
import { describeOnPostgres, figures, runs, scaled, seedFor } from '../support/reliability.js';
import type { SqsLambda } from '../support/sqs-handler.js';
import { syncWorkerSuite } from './support/suite.js';

const BATCHES = runs(1_000);
let graph: TenantGraph;
let handler: SqsLambda;

const poisons = [
  'not json {',
  '{"type":"webhook"}',
  '{"type":"outbox","outboxId":"x"}',
  '[]',
  '"just a string"',
];

function batchArb() {
  return fc.array(fc.record({ fail: fc.boolean(), poison: fc.nat({ max: poisons.length - 1 }) }), {
    minLength: 1,
    maxLength: 10,
  });
}

function build(spec: { fail: boolean; poison: number }[]) {
  const records = spec.map((s) =>
    sqsRecord(
      s.fail
        ? poisons[s.poison]!
        : JSON.stringify({
            // a valid message: a webhook delivery row that does not exist is acknowledged ('missing')
            type: 'webhook',
            organizationId: graph.organizationId,
            integrationId: graph.integrationId,
            deliveryRowId: String(900_000_000 + Math.floor(Math.random() * 1e6)),
          }),
    ),
  );
  const failed = new Set(records.filter((_, i) => spec[i]!.fail).map((r) => r.messageId));
  return { event: sqsEvent(records), failed, ids: new Set(records.map((r) => r.messageId)) };
}

function check(response: SQSBatchResponse | undefined, failed: Set<string>, ids: Set<string>) {
  const reported = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
  const invalid = reported.filter((id) => typeof id !== 'string' || id === '' || !ids.has(id)).length;
  const exact =
    reported.length === failed.size &&
    reported.every((id) => failed.has(id)) &&
    new Set(reported).size === reported.length;
  return { exact, invalid };
}

const invokeBatch = (event: ReturnType<typeof build>['event']) =>
  handler(
    event,
    createLambdaContext({ functionName: 'sync-worker', timeoutSeconds: 120 }),
  ) as Promise<SQSBatchResponse>;

describeOnPostgres('R15', 'partial-batch response correctness', () => {
  syncWorkerSuite(4, (state) => {
    ({ graph, handler } = state);
  });

  it('reports exactly the failed messageIds, one invocation at a time', async () => {
    const seed = seedFor('R15');
    let records = 0;
    let failedRecords = 0;
    let mismatches = 0;
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(batchArb(), async (spec) => {
        const { event, failed, ids } = build(spec);
        records += spec.length;
        failedRecords += failed.size;
        const r = check(await invokeBatch(event), failed, ids);
        if (!r.exact) mismatches++;
        invalid += r.invalid;
        return r.exact && r.invalid === 0;
      }),
      { seed, numRuns: BATCHES },
    );
    figures('R15', 'partial-batch response correctness', {
      batches: scaled(1_000, BATCHES),
      seed,
      records,
      failedRecords,
      reportedVsActualMismatches: mismatches,
      invalidIdentifiers: invalid,
    });
    expect({ mismatches, invalid }).toEqual({ mismatches: 0, invalid: 0 });
  });

  // Regression test: this suite found that shared/triggers/sqs-stack.ts built one BatchProcessor at module load,
  // shared by every invocation, so two batches in flight at once (the local runtime's queue consumer runs the
  // sync worker with maxConcurrency 10) overwrote each other's failure lists (foreign ids in a response, own
  // failures missing: messages deleted). Fixed by creating the processor per invocation.
  it('reports exactly the failed messageIds with two invocations in flight at once', async () => {
    const seed = seedFor('R15-concurrent');
    const pairs = Math.max(1, Math.round(BATCHES / 4));
    let mismatches = 0;
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(batchArb(), batchArb(), async (a, b) => {
        const x = build(a);
        const y = build(b);
        const [rx, ry] = await Promise.all([invokeBatch(x.event), invokeBatch(y.event)]);
        const cx = check(rx, x.failed, x.ids);
        const cy = check(ry, y.failed, y.ids);
        if (!cx.exact) mismatches++;
        if (!cy.exact) mismatches++;
        invalid += cx.invalid + cy.invalid;
        return true;
      }),
      { seed, numRuns: pairs },
    );
    figures('R15', 'partial-batch response, concurrent invocations', {
      pairs,
      seed,
      reportedVsActualMismatches: mismatches,
      invalidIdentifiers: invalid,
    });
    expect({ mismatches, invalid }).toEqual({ mismatches: 0, invalid: 0 });
  });
});

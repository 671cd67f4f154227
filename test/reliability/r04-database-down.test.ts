/**
 * R4 Database down / restart. 500 webhook deliveries (each moves one application) are pushed through the sync
 * worker's real handler by a LocalQueue with SQS semantics (visibility timeout, redrive to a DLQ after
 * maxReceiveCount, partial batch responses). After the first 100 are processed the database is stopped for 10 s
 * (`pg_ctl stop -m fast`, which also ends the connections in use) and started again. The database is a
 * throwaway server of this test (test/support/throwaway-postgres.ts), not the one of DATABASE_URL, which other
 * suites may share. Pass: lost = 0 (processed + DLQ = sent); duplicates applied = 0; every message handled
 * while the database was down reported failed; the time to drain after the restart is printed.
 */
import '../support/quiet-logs.js';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../infra/local/lambda-context.js';
import { type BatchReport, LocalQueue } from '../../infra/local/queue/local-queue.js';
import { queueTriggerOf } from '../../infra/local/queue/topology-queues.js';
import { functions, queues as queueSpecs } from '../../infra/topology.js';
import { appUrlFrom, createDbClient, type Sql } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';
import { seedTenantGraph, type TenantGraph } from '../support/fixtures.js';
import { MemorySecretStore } from '../support/memory-secrets.js';
import { figures, histogram, onPostgres, runs, scaled, skipNotice, sleep } from '../support/reliability.js';
import type { SqsLambda } from '../support/sqs-handler.js';
import { greenhouseStageChange, linkApplications, recordWebhook, stubAts } from '../support/stub-ats.js';
import {
  startThrowawayPostgres,
  type ThrowawayPostgres,
  throwawayPostgresAvailable,
} from '../support/throwaway-postgres.js';
import { loadSyncWorker, silenceLogger } from './support/suite.js';

const MESSAGES = runs(500);
const OUTAGE_MS = 10_000;
const VISIBILITY_SECONDS = 6;
let pg: ThrowawayPostgres;
let owner: Sql;
let app: Sql;
let graph: TenantGraph;
let handler: SqsLambda;

skipNotice('R4', 'database down / restart');
const available = onPostgres && throwawayPostgresAvailable();
if (onPostgres && !available)
  console.log('R4 database down / restart: SKIPPED (PostgreSQL server binaries not found; set PG_BINDIR)');

describe.skipIf(!available)('R4 database down / restart', () => {
  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    owner = createDbClient({ url: pg.url, max: 2 });
    await migrate(owner);
    graph = await seedTenantGraph(owner);
    app = createDbClient({ url: appUrlFrom(pg.url, 'hub_app'), max: 2, connectTimeoutSeconds: 2 });
    handler = await loadSyncWorker(app);
    silenceLogger('warn', 'error');
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await app?.end({ timeout: 1 }).catch(() => undefined);
    await owner?.end({ timeout: 1 }).catch(() => undefined);
    await pg?.destroy();
  });

  it('loses nothing and applies nothing twice across a database outage', async () => {
    const apps = await linkApplications(owner, new MemorySecretStore(), stubAts({ guard: true }), {
      ...graph,
      count: MESSAGES,
      stageIndex: 2,
    });
    const bodies: string[] = [];
    for (const a of apps) {
      const rowId = await recordWebhook(app, {
        organizationId: graph.organizationId,
        integrationId: graph.integrationId,
        deliveryId: `r4-${a.remoteId}`,
        body: greenhouseStageChange(a.remoteId, 3, 'Interview', new Date()),
      });
      bodies.push(
        JSON.stringify({
          type: 'webhook',
          organizationId: graph.organizationId,
          integrationId: graph.integrationId,
          deliveryRowId: rowId,
        }),
      );
    }

    let down = false;
    let stoppingAt = 0;
    let downAt = 0;
    let upAt = 0;
    let processedBeforeOutage = 0;
    const started = new Map<string, number>();
    const duringOutage: { ids: string[]; failed: number; outcome: string }[] = [];
    const queue = new LocalQueue({
      name: 'sync-r4',
      visibilityTimeoutSeconds: VISIBILITY_SECONDS,
      maxReceiveCount: queueSpecs.find((q) => q.name === 'sync')!.maxReceiveCount,
      onError: () => {},
    });
    const reports: BatchReport[] = [];
    const worker = functions.find((f) => f.name === 'sync-worker')!;
    // the handler, noting when each batch started (the queue's report tells how it ended)
    const observed = async (event: SQSEvent, context: Context) => {
      started.set(event.Records[0]!.messageId, Date.now());
      return (await handler(event, context)) as SQSBatchResponse;
    };
    queue.consume({
      handler: observed,
      batchSize: queueTriggerOf(worker).batchSize,
      maxBatchingWindowSeconds: 0,
      // as the topology's event source mapping for the sync worker
      maxConcurrency: queueTriggerOf(worker).maxConcurrency,
      functionName: 'sync-worker',
      timeoutSeconds: VISIBILITY_SECONDS,
      contextFor: () =>
        createLambdaContext({ functionName: 'sync-worker', timeoutSeconds: VISIBILITY_SECONDS }),
      onBatch: (report) => {
        reports.push(report);
        const at = started.get(report.messageIds[0]!) ?? 0;
        // a batch handled entirely while the database was down (started and answered in the window; whole-batch
        // failures and timeouts count as reported). A batch still waiting for a connection when the server
        // comes back may finish normally: it is then really applied, which the final counts check.
        if (down && downAt && at >= downAt) {
          duringOutage.push({
            ids: report.messageIds,
            failed: report.failedIds.length,
            outcome: report.outcome,
          });
        }
        if (!down && !downAt) processedBeforeOutage += report.messageIds.length - report.failedIds.length;
      },
    });
    for (let i = 0; i < bodies.length; i += 10) {
      await queue.sendBatch(bodies.slice(i, i + 10).map((body, j) => ({ id: `m${i + j}`, body })));
    }
    while (processedBeforeOutage < Math.min(100, MESSAGES / 5)) await sleep(5);
    // the outage window counts from the moment the server is down until it is asked to start again
    stoppingAt = Date.now();
    await pg.stop();
    down = true;
    downAt = Date.now();
    await sleep(OUTAGE_MS - (Date.now() - stoppingAt));
    down = false;
    upAt = Date.now();
    await pg.start();
    await queue.drain({ maxMs: 180_000 });
    const drainMs = Date.now() - upAt;
    await queue.stop();

    const [state] = await owner<{ processed: number; received: number; multi: number; inbox: number }[]>`
      select
        (select count(*)::int from webhook_deliveries where delivery_id like 'r4-%' and status <> 'received') as processed,
        (select count(*)::int from webhook_deliveries where delivery_id like 'r4-%' and status = 'received') as received,
        (select count(*)::int from (select application_id from application_stage_history h
          join applications a on a.id = h.application_id where a.organization_id = ${graph.organizationId}
          group by application_id having count(*) > 1) x) as multi,
        (select count(*)::int from processed_messages where consumer = 'webhook-apply') as inbox`;
    const dlq = queue.deadLetterQueue!.peek().length;
    const failedDuringOutage = duringOutage.reduce((n, b) => n + b.failed, 0);
    const handledDuringOutage = duringOutage.reduce((n, b) => n + b.ids.length, 0);
    figures('R4', 'database down / restart', {
      sent: scaled(500, MESSAGES),
      outageMs: upAt - stoppingAt,
      processedBeforeOutage,
      processed: state!.processed,
      deadLettered: dlq,
      lost: MESSAGES - state!.processed - dlq,
      duplicatesApplied: state!.multi,
      inboxRows: state!.inbox,
      handledDuringOutage,
      reportedFailedDuringOutage: failedDuringOutage,
      outageBatchOutcomes: histogram(duringOutage.map((b) => b.outcome)),
      batches: reports.length,
      batchOutcomes: histogram(reports.map((r) => r.outcome)),
      drainAfterRestartMs: drainMs,
    });
    expect(MESSAGES - state!.processed - dlq).toBe(0);
    expect(state!.multi).toBe(0);
    expect(state!.inbox).toBe(state!.processed);
    expect(handledDuringOutage).toBeGreaterThan(0);
    expect(failedDuringOutage).toBe(handledDuringOutage);
  });
});

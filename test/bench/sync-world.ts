/**
 * Driving the sync-worker handler the way SQS does, for B2, B7 and B8: one organization with a Greenhouse
 * integration pointed at the Greenhouse fake, its credentials behind the real SecretsManagerStore (stub
 * client), an in-memory object store, and a stub sync queue whose continuation messages are handed back
 * to the handler as SQS events until the run is done.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SQSEvent } from 'aws-lambda';
import type { Sql } from '../../shared/db/client.js';
import { requestSync } from '../../shared/db/repositories/integrations.js';
import { withTenant } from '../../shared/db/tenant.js';
import { providerCredentialsSecret } from '../../shared/integrations/secret-names.js';
import type { Queue, QueueMessage, SendBatchResult } from '../../shared/ports/queue.js';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import type { ControllableClock } from '../fakes/common/controllable-clock.js';
import { type GreenhouseFake, startGreenhouseFake } from '../fakes/greenhouse/index.js';
import { sqsEvent } from '../support/factories.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { countingSecretsStore } from './aws-stub.js';
import { lambdaContext } from './events.js';
import { muteStdout } from './harness.js';
import { REPO_ROOT } from './postgres.js';
import { md5Uuid } from './seed.js';

export class CollectingQueue implements Queue {
  readonly sent: QueueMessage[] = [];
  async sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    this.sent.push(...messages);
    return { successful: messages.map((m) => m.id), failed: [] };
  }
  drain(): QueueMessage[] {
    return this.sent.splice(0);
  }
}

/** A real-time clock for the fake (its rate window then counts real seconds). */
export function realClock(): ControllableClock {
  return {
    now: () => new Date(),
    nowMs: () => Date.now(),
    advance() {},
    set() {},
  };
}

export interface SyncSetup {
  organizationId: string;
  integrationId: string;
  secretsPrefix: string;
}

/** One organization with one Greenhouse integration at `fake` (owner connection). */
export async function seedGreenhouseIntegration(
  owner: Sql,
  fake: GreenhouseFake,
  label: string,
  perPage: number,
): Promise<SyncSetup> {
  const organizationId = md5Uuid(`${label}-org`);
  const integrationId = md5Uuid(`${label}-integration`);
  const settings = { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 30_000, perPage };
  await owner`insert into organizations (id, name) values (${organizationId}, ${`Bench ${label}`}) on conflict do nothing`;
  await owner`insert into integrations (id, organization_id, provider, settings, secret_ref)
    values (${integrationId}, ${organizationId}, 'greenhouse', ${owner.json(settings as never)},
      ${providerCredentialsSecret(integrationId)})`;
  return { organizationId, integrationId, secretsPrefix: '' };
}

export async function setPerPage(owner: Sql, setup: SyncSetup, fake: GreenhouseFake, perPage: number) {
  const settings = { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 30_000, perPage };
  await owner`update integrations set settings = ${owner.json(settings as never)} where id = ${setup.integrationId}`;
}

type SqsHandler = (
  event: SQSEvent,
  context: unknown,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

let instance = 0;

/**
 * A fresh instance of the sync-worker handler module: it builds its dependencies from the adapters on first
 * use and keeps them, so every database (benchmark run) gets its own instance, as a new environment would.
 */
export async function syncWorkerHandler(): Promise<SqsHandler> {
  instance += 1;
  const url = pathToFileURL(join(REPO_ROOT, 'functions/sync-worker/handler.ts')).href;
  return ((await import(`${url}?instance=${instance}`)) as { handler: SqsHandler }).handler;
}

export interface SyncRunOutcome {
  runId: string;
  ms: number;
  invocations: number;
  /** Date.now() when each invocation after the first began (a handover). */
  handovers: number[];
  status: string;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  pages: number;
}

/**
 * Requests a run as `POST /integrations/{id}/sync` does (run row + `sync.requested` outbox row), hands the
 * outbox message to the sync-worker handler as an SQS event, then every continuation it enqueues, until
 * none is left. The timer runs from the first handler call to the return of the last one.
 */
export async function runSyncThroughHandler(input: {
  app: Sql;
  owner: Sql;
  setup: SyncSetup;
  credentials: Record<string, unknown>;
  mode: 'full' | 'incremental';
}): Promise<SyncRunOutcome> {
  const handler = await syncWorkerHandler();
  const queue = new CollectingQueue();
  const secrets = countingSecretsStore({
    values: new Map([[providerCredentialsSecret(input.setup.integrationId), input.credentials]]),
    maxAgeSeconds: 900,
  });
  overrideAdapters({
    sql: input.app,
    objectStore: new MemoryObjectStore(),
    secrets: secrets.store,
    queues: { sync: queue },
  });
  const { runId, body } = await withTenant(input.app, input.setup.organizationId, 'admin', async (tx) => {
    const id = await requestSync(tx, {
      integrationId: input.setup.integrationId,
      mode: input.mode,
      requestedBy: 'bench',
    });
    const [row] = await tx<{ id: string; created_at: Date; payload: Record<string, unknown> }[]>`
      select id::text, created_at, payload from outbox where event_type = 'sync.requested' and payload->>'syncRunId' = ${id!}`;
    return {
      runId: id!,
      body: JSON.stringify({
        type: 'outbox',
        outboxId: row!.id,
        organizationId: input.setup.organizationId,
        eventType: 'sync.requested',
        aggregateType: 'integration',
        aggregateId: input.setup.integrationId,
        payload: row!.payload,
        createdAt: row!.created_at.toISOString(),
      }),
    };
  });
  let invocations = 0;
  const handovers: number[] = [];
  const started = performance.now();
  await muteStdout(async () => {
    let pending = [body];
    while (pending.length > 0) {
      const next: string[] = [];
      for (const b of pending) {
        invocations += 1;
        if (invocations > 1) handovers.push(Date.now());
        const result = await handler(sqsEvent([b]), lambdaContext('sync-worker', 900));
        if (result.batchItemFailures.length > 0) throw new Error('sync-worker reported a failed message');
        next.push(
          ...queue
            .drain()
            .map((m) => m.body)
            .filter((m) => JSON.parse(m).type === 'sync'),
        );
      }
      pending = next;
    }
  });
  const ms = performance.now() - started;
  const [run] = await input.owner<
    {
      status: string;
      records_processed: number;
      records_created: number;
      records_updated: number;
      records_failed: number;
      pages_fetched: number;
    }[]
  >`select status, records_processed, records_created, records_updated, records_failed, pages_fetched
    from sync_runs where id = ${runId}`;
  overrideAdapters({});
  return {
    runId,
    ms,
    invocations,
    handovers,
    status: run?.status ?? 'missing',
    processed: run?.records_processed ?? 0,
    created: run?.records_created ?? 0,
    updated: run?.records_updated ?? 0,
    failed: run?.records_failed ?? 0,
    pages: run?.pages_fetched ?? 0,
  };
}

export { startGreenhouseFake };

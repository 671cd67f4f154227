/**
 * Shared set-up of the sync tests: a migrated database, one organization with one integration of the provider
 * under test, its credentials in an in-memory secrets store, an in-memory object store, a queue stub that
 * keeps what was sent (and can refuse entries), and helpers that drive a run through the worker's use case
 * exactly as SQS would hand it the messages.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { handleSyncMessage, type SyncWorkerDependencies } from '../../../functions/sync-worker/use-case.js';
import { requestSync } from '../../../shared/db/repositories/integrations.js';
import { withTenant } from '../../../shared/db/tenant.js';
import type { SyncObjectType } from '../../../shared/domain/canonical.js';
import { providerCredentialsSecret } from '../../../shared/integrations/secret-names.js';
import { type HubMessage, hubMessage, type OutboxMessage } from '../../../shared/messages/queue-messages.js';
import type { Clock } from '../../../shared/ports/clock.js';
import { lookupIn, type ProviderModule } from '../../../shared/ports/provider.js';
import type { Queue, QueueMessage, SendBatchResult } from '../../../shared/ports/queue.js';
import type { ProviderName } from '../../../shared/providers/registry.js';
import { unlimitedBudget, type WorkBudget } from '../../../shared/sync/dependencies.js';
import { type SyncOptions, syncOptions } from '../../../shared/sync/options.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

/** SQS stand-in: keeps accepted messages in order; `refuse` makes chosen entries fail as SendMessageBatch would. */
export class StubQueue implements Queue {
  readonly sent: QueueMessage[] = [];
  refuse: ((message: QueueMessage) => boolean) | undefined;
  async sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    const result: SendBatchResult = { successful: [], failed: [] };
    for (const m of messages) {
      if (this.refuse?.(m)) result.failed.push({ id: m.id, code: 'InternalError', senderFault: false });
      else {
        this.sent.push(m);
        result.successful.push(m.id);
      }
    }
    return result;
  }
  /** Takes every message sent so far (FIFO), parsed. */
  drain(): HubMessage[] {
    return this.sent.splice(0).map((m) => hubMessage.parse(JSON.parse(m.body)));
  }
}

export interface SyncWorld {
  db: TestDatabase;
  organizationId: string;
  integrationId: string;
  queue: StubQueue;
  notify: StubQueue;
  objects: MemoryObjectStore;
  secrets: MemorySecretStore;
  deps: SyncWorkerDependencies;
}

export interface WorldOptions {
  provider: ProviderName;
  module: ProviderModule;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  clock: Clock;
  /** Default: advance the clock (fake time: no real sleeping). */
  sleep?: (ms: number) => Promise<void>;
  options?: Partial<SyncOptions>;
  db?: TestDatabase;
}

/** One database for the file, closed after it; `stop` (the running fake) runs after each test. */
export function fileDatabase(stop: () => Promise<void> | undefined): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  afterEach(async () => {
    await stop();
  });
  return () => db!;
}

/**
 * One database for the file, every organization deleted before each test: each test sees only its own rows.
 * Its connections are read when used (the database exists only once the file's tests start).
 */
export function emptiedDatabase(): Pick<TestDatabase, 'owner' | 'app'> {
  const database = fileDatabase(() => undefined);
  beforeEach(async () => {
    await database().owner`delete from organizations`;
  });
  return {
    get owner() {
      return database().owner;
    },
    get app() {
      return database().app;
    },
  };
}

export const fastRetry = { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 5 };

export async function seedIntegration(
  owner: Sql,
  provider: ProviderName,
  settings: Record<string, unknown>,
  organizationId: string = randomUUID(),
): Promise<{ organizationId: string; integrationId: string }> {
  const integrationId = randomUUID();
  await owner`insert into organizations (id, name) values (${organizationId}, 'Sync Org') on conflict do nothing`;
  await owner`insert into integrations (id, organization_id, provider, settings, secret_ref)
    values (${integrationId}, ${organizationId}, ${provider}, ${owner.json(settings as never)},
      ${providerCredentialsSecret(integrationId)})`;
  return { organizationId, integrationId };
}

export async function createWorld(options: WorldOptions): Promise<SyncWorld> {
  const db = options.db ?? (await createTestDatabase());
  // the core objects only, unless the test asks for the recording objects (`syncObjects`): most sync tests count
  // what a pass of jobs, candidates and applications does
  const { organizationId, integrationId } = await seedIntegration(db.owner, options.provider, {
    syncObjects: ['job', 'candidate', 'application'],
    ...options.settings,
  });
  const secrets = new MemorySecretStore();
  await secrets.put(providerCredentialsSecret(integrationId), options.credentials);
  const queue = new StubQueue();
  const notify = new StubQueue();
  const objects = new MemoryObjectStore();
  const clock = options.clock;
  const deps: SyncWorkerDependencies = {
    sql: db.app,
    objectStore: objects,
    syncQueue: queue,
    queues: { sync: queue, notify },
    secrets,
    providers: lookupIn({ [options.provider]: options.module }),
    clock,
    sleep:
      options.sleep ??
      (async (ms) => {
        (clock as { advance?: (ms: number) => void }).advance?.(ms);
      }),
    options: syncOptions({ retry: fastRetry, ...(options.options ?? {}) }),
  };
  return { db, organizationId, integrationId, queue, notify, objects, secrets, deps };
}

/** What `POST /integrations/{id}/sync` does: a run and its `sync.requested` outbox row; returns the message. */
export async function requestRun(
  world: SyncWorld,
  mode: 'full' | 'incremental',
): Promise<{ runId: string; message: OutboxMessage }> {
  return withTenant(world.db.app, world.organizationId, 'admin', async (tx) => {
    const runId = await requestSync(tx, { integrationId: world.integrationId, mode, requestedBy: 'test' });
    const [row] = await tx<{ id: string; created_at: Date; payload: Record<string, unknown> }[]>`
      select id::text, created_at, payload from outbox where event_type = 'sync.requested' and payload->>'syncRunId' = ${runId!}`;
    return {
      runId: runId!,
      message: {
        type: 'outbox',
        outboxId: row!.id,
        organizationId: world.organizationId,
        eventType: 'sync.requested',
        aggregateType: 'integration',
        aggregateId: world.integrationId,
        payload: row!.payload,
        createdAt: row!.created_at.toISOString(),
      },
    };
  });
}

/** Hands `first` to the worker, then every sync continuation it sends, until none is left. */
export async function deliverUntilIdle(
  world: SyncWorld,
  first: HubMessage,
  budget: WorkBudget = unlimitedBudget,
): Promise<string[]> {
  const outcomes = [await handleSyncMessage(world.deps, first, budget)];
  for (let i = 0; i < 10_000; i += 1) {
    const next = world.queue.drain().filter((m) => m.type === 'sync');
    if (next.length === 0) break;
    for (const message of next) outcomes.push(await handleSyncMessage(world.deps, message, budget));
  }
  return outcomes;
}

export async function runSync(world: SyncWorld, mode: 'full' | 'incremental', budget?: WorkBudget) {
  const { runId, message } = await requestRun(world, mode);
  const outcomes = await deliverUntilIdle(world, message, budget);
  return { runId, outcomes, run: await readRun(world, runId) };
}

/** Makes the worker crash once, right after it stored `page` of the `objectType` pass (the worker killed between pages). */
export function crashOnceAfterPage(world: SyncWorld, objectType: SyncObjectType, page: number): void {
  let crashed = false;
  world.deps.hooks = {
    afterPage: (e) => {
      if (e.objectType === objectType && e.page === page && !crashed) {
        crashed = true;
        throw new Error('simulated crash between pages');
      }
    },
  };
}

export async function readRun(world: SyncWorld, runId: string) {
  const [run] = await world.db.owner<
    {
      status: string;
      mode: string;
      records_processed: number;
      records_created: number;
      records_updated: number;
      records_deleted: number;
      records_failed: number;
      pages_fetched: number;
      error: string | null;
    }[]
  >`select status, mode, records_processed, records_created, records_updated, records_deleted, records_failed,
      pages_fetched, error from sync_runs where id = ${runId}`;
  return run!;
}

/** Live (not deleted) rows of this integration's organization. */
/** What a successful incremental run that only rewrote existing rows reports. */
export const updatesOnly = (processed: number, updated: number) => ({
  status: 'succeeded',
  mode: 'incremental',
  records_processed: processed,
  records_updated: updated,
  records_created: 0,
  records_deleted: 0,
});

export async function liveCounts(world: SyncWorld) {
  const [row] = await world.db.owner<{ jobs: number; candidates: number; applications: number }[]>`
    select (select count(*) from jobs where organization_id = ${world.organizationId} and deleted_at is null)::int as jobs,
      (select count(*) from candidates where organization_id = ${world.organizationId} and deleted_at is null)::int as candidates,
      (select count(*) from applications where organization_id = ${world.organizationId} and deleted_at is null)::int as applications`;
  return row!;
}

/** xmin of every entity row: unchanged xmins prove a pass wrote nothing. */
async function rowVersions(world: SyncWorld): Promise<Map<string, string>> {
  const rows = await world.db.owner<{ k: string; x: string }[]>`
    select 'j' || id::text as k, xmin::text as x from jobs where organization_id = ${world.organizationId}
    union all select 'c' || id::text, xmin::text from candidates where organization_id = ${world.organizationId}
    union all select 'a' || id::text, xmin::text from applications where organization_id = ${world.organizationId}
    union all select 'r' || id::text, xmin::text from external_refs where organization_id = ${world.organizationId}`;
  return new Map(rows.map((r) => [r.k, r.x]));
}

/** Notes every entity row's version now; `changed()` counts the rows written since (new rows included). */
export async function watchVersions(world: SyncWorld) {
  const before = await rowVersions(world);
  return {
    async changed(): Promise<number> {
      let changed = 0;
      for (const [k, x] of await rowVersions(world)) if (before.get(k) !== x) changed += 1;
      return changed;
    },
  };
}

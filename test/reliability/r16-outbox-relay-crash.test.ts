/**
 * R16 Outbox relay crash. Stage moves (stage-advance use case) write their outbox rows; the relay
 * (shared/outbox/publisher.ts) publishes them. Crash: the relay dies after SendMessageBatch accepted the
 * entries and before the rows are marked published (its invocation never resumes and its database connection
 * is terminated, so the server rolls its transaction back; the next tick sends the rows again). Partial failure: the queue reports 2 of 10 entries `Failed`.
 * Consumer side: every message the sync queue received, duplicates included, is handed to the sync worker
 * (status push with its inbox and per-integration push log) against a stub system of record that counts
 * effective writes. Pass: lost = 0; duplicate publishes ≤ 1 per crash; failed entries still pending after the
 * partial failure (and published by the next tick); consumer effects = 1 per event.
 */
import '../support/quiet-logs.js';
import type { ReservedSql } from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moveStage } from '../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../functions/sync-worker/use-case.js';
import { createDbClient } from '../../shared/db/client.js';
import { type OutboxMessage, outboxMessage } from '../../shared/messages/queue-messages.js';
import { publishOutbox } from '../../shared/outbox/publisher.js';
import type { Queue, QueueMessage, SendBatchResult } from '../../shared/ports/queue.js';
import { CrashHook, openTransactions, terminateOpenTransactions } from '../support/crash.js';
import type { TestDatabase } from '../support/db.js';
import type { TenantGraph } from '../support/fixtures.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { MemorySecretStore } from '../support/memory-secrets.js';
import { describeOnPostgres, figures, runs, scaledNote, sleep } from '../support/reliability.js';
import { linkApplications, type StubAts, stubAts, stubAtsWorkerDeps } from '../support/stub-ats.js';
import { seededDatabase, silenceLogger } from './support/suite.js';

const CRASHES = runs(20);
const PER_BATCH = 10;
let db: TestDatabase;
let graph: TenantGraph;
let side: ReservedSql;
let ats: StubAts;
const secrets = new MemorySecretStore();

/**
 * Accepts the batch, then the relay dies before it can mark anything published: its invocation never goes on
 * (the send never returns to it) and its database connection is ended, as when a Lambda environment is killed;
 * the server rolls the relay's transaction back and releases its row locks.
 */
class CrashAfterSend implements Queue {
  constructor(
    private readonly inner: Queue,
    readonly crash: CrashHook,
  ) {}
  async sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    const result = await this.inner.sendBatch(messages);
    await this.crash.point();
    return result;
  }
}

const ats_ = () => ({
  organizationId: graph.organizationId,
  role: 'ats' as const,
  keyId: '00000000-0000-4000-8000-000000000001',
});

describeOnPostgres('R16', 'outbox relay crash', () => {
  beforeAll(async () => {
    ({ db, graph } = await seededDatabase(2));
    side = await db.owner.reserve();
    ats = stubAts({ guard: true });
  });

  afterAll(async () => {
    side?.release();
    await db?.close();
  });

  it('loses nothing, duplicates at most once per crash, keeps failed entries pending and applies each event once', async () => {
    silenceLogger('warn');
    const syncSent = new MemoryQueue();
    const notify = new MemoryQueue();
    const crash = new CrashHook(async () => (await terminateOpenTransactions(side)) > 0);
    const crashing = new CrashAfterSend(syncSent, crash);
    const queues = { sync: crashing, notify };
    // the moves' own immediate publish finds SQS unavailable, so the relay below publishes every row
    const unavailable = new MemoryQueue();
    unavailable.failIds = () => true;
    const down = { sync: unavailable, notify: unavailable };

    const makeEvents = async () => {
      const apps = await linkApplications(db.owner, secrets, ats, {
        ...graph,
        count: PER_BATCH,
        stageIndex: 2,
      });
      for (const app of apps) {
        await moveStage({ sql: db.app, queues: down }, ats_(), app.applicationId, { toStage: 'Interview' });
      }
      return apps;
    };
    // the fixture's outbox row (application.created) is not part of this test
    await db.owner`update outbox set published_at = now() where published_at is null`;

    // 1. crashes between send and mark
    let relayErrors = 0;
    const duplicatesPerCrash: number[] = [];
    for (let i = 0; i < CRASHES; i++) {
      await makeEvents();
      const before = syncSent.sent.length;
      crash.arm();
      // the crashing relay runs in an environment of its own (its own pool), which dies with it
      const environment = createDbClient({ url: db.appUrl, max: 1 });
      void publishOutbox(environment, queues).catch(() => {});
      while (crash.armed || (await openTransactions(side)) > 0) await sleep(2);
      await environment.end({ timeout: 0 }).catch(() => {});
      relayErrors++;
      const sentInCrash = syncSent.sent.length - before;
      const [pending] = await db.owner<
        { n: number }[]
      >`select count(*)::int as n from outbox where published_at is null`;
      await publishOutbox(db.app, queues);
      const resent = syncSent.sent.length - before - sentInCrash;
      duplicatesPerCrash.push(Math.min(sentInCrash, resent) / Math.max(1, pending!.n));
    }

    // 2. SendMessageBatch partial failure: 2 of 10 entries fail
    await makeEvents();
    const pendingIds = (
      await db.owner<
        { id: string }[]
      >`select id::text from outbox where published_at is null and event_type = 'application.stage_changed' order by id`
    ).map((r) => r.id);
    const failOnce = new Set(pendingIds.slice(3, 5).map((id) => `o${id}`));
    syncSent.failIds = (id) => failOnce.delete(id);
    const partial = await publishOutbox(db.app, queues);
    syncSent.failIds = undefined;
    const failedState = await db.owner<{ id: string; published: boolean; attempts: number }[]>`
      select id::text, published_at is not null as published, publish_attempts as attempts
      from outbox where id = any(${pendingIds.slice(3, 5)}::bigint[]) order by id`;
    const nextTick = await publishOutbox(db.app, queues);

    // lost / duplicates at the queue
    const all = await db.owner<{ id: string; published: boolean }[]>`
      select id::text, published_at is not null as published from outbox
      where organization_id = ${graph.organizationId} and event_type = 'application.stage_changed'`;
    const sentIds = syncSent.sent.map((m) => (JSON.parse(m.body) as { outboxId: string }).outboxId);
    const timesSent = new Map<string, number>();
    for (const id of sentIds) timesSent.set(id, (timesSent.get(id) ?? 0) + 1);
    const lost = all.filter((row) => !timesSent.has(row.id) || !row.published).length;
    const maxSends = Math.max(...timesSent.values());

    // consumer: every message the queue received, duplicates included, through the sync worker
    const deps = stubAtsWorkerDeps(db.app, ats, secrets);
    for (const m of syncSent.sent) {
      const message = outboxMessage.parse(JSON.parse(m.body)) as OutboxMessage;
      await handleSyncMessage(deps, message, { remainingMs: () => 60_000 });
    }
    const pushLog = await db.owner<{ n: number; status: string }[]>`
      select count(*)::int as n, status from status_push_log where integration_id = ${graph.integrationId}
        and outbox_id = any(${all.map((a) => a.id)}::bigint[]) group by status`;
    const effectsPerEvent = [...ats.writes.values()];
    figures('R16', 'outbox relay crash', {
      crashes: `${crash.crashes}${scaledNote(20, CRASHES)}`,
      eventsPerBatch: PER_BATCH,
      events: all.length,
      relaysKilled: relayErrors,
      lostEvents: lost,
      duplicatePublishesPerCrash: Math.max(...duplicatesPerCrash),
      maxSendsPerEvent: maxSends,
      partialFailure: { published: partial.published, pending: partial.pending },
      failedEntriesAfterPartial: failedState
        .map((f) => (f.published ? 'published' : `pending(attempts=${f.attempts})`))
        .join(','),
      nextTickPublished: nextTick.published,
      messagesConsumed: syncSent.sent.length,
      consumerEffectsPerEvent: [...new Set(effectsPerEvent)].join(','),
      externalWrites: effectsPerEvent.reduce((a, b) => a + b, 0),
      pushLog: Object.fromEntries(pushLog.map((p) => [p.status, p.n])),
    });
    expect(crash.crashes).toBe(CRASHES);
    expect(relayErrors).toBe(CRASHES);
    expect(lost).toBe(0);
    expect(Math.max(...duplicatesPerCrash)).toBeLessThanOrEqual(1);
    expect(maxSends).toBeLessThanOrEqual(2);
    expect(partial).toEqual({ published: PER_BATCH - 2, pending: 2 });
    expect(failedState.every((f) => !f.published && f.attempts >= 1)).toBe(true);
    expect(nextTick.published).toBe(2);
    expect(effectsPerEvent).toHaveLength(all.length);
    expect(effectsPerEvent.every((n) => n === 1)).toBe(true);
  });

  // Regression test: this suite found that shared/outbox/publisher.ts marked a row published when the relay had
  // no client for one of its target queues (`queues[name]` undefined, e.g. integrations-admin relaying an
  // integration's notify-bound events with only the sync queue configured), although nothing was sent: the
  // event was lost (docs/reliability.md §2 rule 4: mark only what SQS accepted). Fixed: such rows stay pending.
  it('keeps an event pending when the relay has no client for one of its queues', async () => {
    await db.owner`update outbox set published_at = now() where published_at is null`;
    const [row] = await db.owner<{ id: string }[]>`
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      values (${graph.organizationId}, 'application', ${graph.applicationId}, 'application.stage_changed', '{}')
      returning id::text`;
    const sync = new MemoryQueue();
    await publishOutbox(db.app, { sync, notify: undefined }, { organizationId: graph.organizationId });
    const [after] = await db.owner<
      { published: boolean }[]
    >`select published_at is not null as published from outbox where id = ${row!.id}`;
    figures('R16', 'relay without a client for a target queue', {
      sentToSync: sync.sent.length,
      sentToNotify: 0,
      markedPublished: after!.published,
    });
    expect(after!.published).toBe(false);
  });
});

/**
 * The sync scheduler's tick: due syncs become runs + `sync.requested` outbox rows, deliveries never applied are
 * sent again, runs nobody drives are revived, and the relay marks published only what SQS accepted.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { tick } from '../../../functions/sync-scheduler/use-case.js';
import { hubMessage } from '../../../shared/messages/queue-messages.js';
import { emptiedDatabase, StubQueue, seedIntegration } from './harness.js';

const db = emptiedDatabase();
let sync: StubQueue;
let notify: StubQueue;
const now = new Date('2026-03-01T12:00:00.000Z');
const clock = { now: () => now };
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

beforeEach(() => {
  sync = new StubQueue();
  notify = new StubQueue();
});

const run = () => tick({ sql: db.app, queues: { sync, notify }, clock });

async function integration(stamps: { incremental: Date | null; full: Date | null }) {
  const ids = await seedIntegration(db.owner, 'greenhouse', {});
  await db.owner`update integrations set last_incremental_enqueued_at = ${stamps.incremental}, last_full_enqueued_at = ${stamps.full}
    where id = ${ids.integrationId}`;
  return ids;
}

describe('sync scheduler', () => {
  it('enqueues an incremental sync when its interval has passed, a full one when that is due, nothing otherwise', async () => {
    const incremental = await integration({ incremental: minutesAgo(20), full: minutesAgo(60) });
    const full = await integration({ incremental: minutesAgo(1), full: minutesAgo(8 * 24 * 60) });
    const fresh = await integration({ incremental: minutesAgo(5), full: minutesAgo(60) });

    const result = await run();

    expect(result.enqueued).toEqual({ full: 1, incremental: 1 });
    const runs = await db.owner<
      { integration_id: string; mode: string }[]
    >`select integration_id, mode from sync_runs order by mode`;
    expect(runs).toEqual([
      { integration_id: full.integrationId, mode: 'full' },
      { integration_id: incremental.integrationId, mode: 'incremental' },
    ]);
    expect(runs.some((r) => r.integration_id === fresh.integrationId)).toBe(false);
    const sent = sync.drain();
    expect(sent.map((m) => m.type === 'outbox' && m.eventType)).toEqual(['sync.requested', 'sync.requested']);
  });

  it('does not enqueue a second run while one is still queued', async () => {
    await integration({ incremental: null, full: null });
    await run();

    const again = await tick({
      sql: db.app,
      queues: { sync, notify },
      clock: { now: () => new Date(now.getTime() + 3600_000) },
    });

    expect(again.enqueued).toEqual({ full: 0, incremental: 0 });
    const [count] = await db.owner<{ n: number }[]>`select count(*)::int as n from sync_runs`;
    expect(count!.n).toBe(1);
  });

  it('marks published only the outbox rows SQS accepted; the rest stay pending for the next tick', async () => {
    const a = await integration({ incremental: null, full: null });
    const b = await integration({ incremental: null, full: null });
    sync.refuse = (m) => JSON.parse(m.body).payload.integrationId === b.integrationId;

    const first = await run();

    expect(first).toMatchObject({ published: 1, pending: 1 });
    const pending = await db.owner<{ integration_id: string }[]>`
      select payload->>'integrationId' as integration_id from outbox where published_at is null`;
    expect(pending).toEqual([{ integration_id: b.integrationId }]);
    expect(sync.drain().map((m) => m.type === 'outbox' && m.payload['integrationId'])).toEqual([
      a.integrationId,
    ]);

    sync.refuse = undefined;
    const second = await run();
    expect(second).toMatchObject({ published: 1, pending: 0 });
    const [left] = await db.owner<
      { n: number }[]
    >`select count(*)::int as n from outbox where published_at is null`;
    expect(left!.n).toBe(0);
  });

  it('sends again a webhook delivery still unapplied after five minutes, and not one that is fresh or applied', async () => {
    const { organizationId, integrationId } = await integration({ incremental: now, full: now });
    const [stale] = await db.owner<{ id: string }[]>`
      insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, payload, received_at)
      values (${organizationId}, ${integrationId}, 'stale', 'h1', '{}', ${minutesAgo(6)}),
        (${organizationId}, ${integrationId}, 'fresh', 'h2', '{}', ${minutesAgo(1)})
      returning id::text`;
    await db.owner`insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, payload, received_at, status)
      values (${organizationId}, ${integrationId}, 'done', 'h3', '{}', ${minutesAgo(30)}, 'applied')`;

    const result = await run();
    const again = await run();

    expect(result.webhooksRequeued).toBe(1);
    expect(again.webhooksRequeued).toBe(0);
    expect(sync.drain()).toEqual([
      { type: 'webhook', organizationId, integrationId, deliveryRowId: stale!.id },
    ]);
  });

  it('revives a run whose lease expired long ago with a continuation carrying a fresh lease token', async () => {
    const { organizationId, integrationId } = await integration({ incremental: now, full: now });
    const runId = randomUUID();
    await db.owner`insert into sync_runs (id, organization_id, integration_id, mode, status, started_at, lease_token, lease_until)
      values (${runId}, ${organizationId}, ${integrationId}, 'full', 'running', ${minutesAgo(40)}, 'dead', ${minutesAgo(20)})`;

    const result = await run();

    expect(result.runsRevived).toBe(1);
    const [message] = sync.drain().map((m) => hubMessage.parse(m));
    const [row] = await db.owner<
      { lease_token: string }[]
    >`select lease_token from sync_runs where id = ${runId}`;
    expect(message).toMatchObject({ type: 'sync', syncRunId: runId, pageToken: row!.lease_token });
  });
});

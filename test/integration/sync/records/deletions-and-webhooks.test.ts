import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordSeen, refreshStatistics } from '../../../../shared/db/repositories/sync-cursors.js';
import { reconcileUnseen, softDeleteByRemoteIds } from '../../../../shared/db/repositories/sync-deletions.js';
import type { SyncScope } from '../../../../shared/db/repositories/sync-jobs.js';
import { withTenant } from '../../../../shared/db/tenant.js';
import {
  type CanonicalRecordObject,
  type CanonicalWebhookEvent,
  type RecordObjectType,
  syncObjectTypes,
} from '../../../../shared/domain/canonical.js';
import { lookupIn, type ProviderModule } from '../../../../shared/ports/provider.js';
import type { SyncDependencies } from '../../../../shared/sync/dependencies.js';
import { syncOptions } from '../../../../shared/sync/options.js';
import { applyWebhookDelivery } from '../../../../shared/sync/webhook-apply.js';
import {
  applyPage,
  remoteInterview,
  remoteNote,
  remoteOffer,
  remoteScorecard,
  seedSyncedApplication,
  syncScope,
  T0,
  T1,
  T2,
} from '../../../support/ats-records.js';
import { MemoryObjectStore } from '../../../support/memory-object-store.js';
import { MemorySecretStore } from '../../../support/memory-secrets.js';
import { emptiedDatabase, seedIntegration } from '../harness.js';

const db = emptiedDatabase();

async function world() {
  const ids = await seedIntegration(db.owner, 'greenhouse', {});
  const scope = syncScope(ids);
  await seedSyncedApplication(db.app, scope);
  return scope;
}

const worker = <T>(scope: SyncScope, fn: Parameters<typeof withTenant<T>>[3]) =>
  withTenant(db.app, scope.organizationId, 'worker', fn);

const deletedAt = async (table: 'interviews' | 'offers' | 'notes') =>
  (await db.owner<{ deleted_at: Date | null }[]>`select deleted_at from ${db.owner(table)}`).map(
    (r) => r.deleted_at,
  );

/** A provider whose webhook bodies are canonical events already (the parsing is each provider's own test). */
const canonicalWebhooks = {
  webhookVerifier: {
    verify: () => ({ ok: false, reason: 'malformed' }) as const,
    parse: (body: Buffer) => JSON.parse(body.toString('utf8')) as CanonicalWebhookEvent[],
  },
} as unknown as ProviderModule;

async function deliver(scope: SyncScope, events: CanonicalWebhookEvent[]) {
  const [row] = await db.owner<{ id: string }[]>`
    insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, payload)
    values (${scope.organizationId}, ${scope.integrationId}, ${randomUUID()}, 'sha', ${JSON.stringify(events)})
    returning id::text`;
  const message = {
    type: 'webhook' as const,
    organizationId: scope.organizationId,
    integrationId: scope.integrationId,
    deliveryRowId: row!.id,
  };
  const deps: SyncDependencies = {
    sql: db.app,
    objectStore: new MemoryObjectStore(),
    syncQueue: undefined,
    secrets: new MemorySecretStore(),
    providers: lookupIn({ greenhouse: canonicalWebhooks }),
    clock: { now: () => scope.now },
    sleep: async () => {},
    options: syncOptions(),
  };
  return { message, apply: () => applyWebhookDelivery(deps, message) };
}

describe('deletion of record objects', () => {
  it('soft-deletes the interviews a complete full pass did not see, and keeps those it saw', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'interview', [remoteInterview(), remoteInterview({ remoteId: 'int-2' })]);
    const passId = randomUUID();

    const deleted = await worker(scope, async (tx) => {
      await recordSeen(tx, { ...scope, passId, objectType: 'interview', page: 1, remoteIds: ['int-1'] });
      return reconcileUnseen(tx, 'interview', {
        integrationId: scope.integrationId,
        syncRunId: null,
        now: scope.now,
        reason: 'not found in a complete full sync',
        passId,
        passStartedAt: new Date(Date.now() + 60_000),
        provider: scope.provider,
      });
    });

    expect(deleted).toBe(1);
    const rows = await db.owner<{ remote_id: string; deleted: boolean }[]>`
      select r.remote_id, i.deleted_at is not null as deleted from interviews i
      join external_refs r on r.local_id = i.id order by r.remote_id`;
    expect(rows).toEqual([
      { remote_id: 'int-1', deleted: false },
      { remote_id: 'int-2', deleted: true },
    ]);
  });

  it('soft-deletes the offers the provider reports deleted, logged once', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'offer', [remoteOffer()]);

    const first = await worker(scope, (tx) =>
      softDeleteByRemoteIds(tx, 'offer', ['off-1'], { ...scope, reason: 'deleted at the provider' }),
    );
    const second = await worker(scope, (tx) =>
      softDeleteByRemoteIds(tx, 'offer', ['off-1'], { ...scope, reason: 'deleted at the provider' }),
    );

    expect([first, second]).toEqual([1, 0]);
    expect((await deletedAt('offers'))[0]).not.toBeNull();
  });

  it('refreshes the statistics of every object type', async () => {
    const scope = await world();

    const refresh = worker(scope, async (tx) => {
      for (const objectType of syncObjectTypes) await refreshStatistics(tx, objectType);
    });

    await expect(refresh).resolves.toBeUndefined();
  });
});

const upserted = (object: CanonicalRecordObject, at: string) =>
  ({ kind: 'record.upserted', object, occurredAt: at }) as CanonicalWebhookEvent;
const removed = (objectType: RecordObjectType, remoteId: string, at: string) =>
  ({ kind: 'record.deleted', objectType, remoteId, occurredAt: at }) as CanonicalWebhookEvent;

describe('record webhooks', () => {
  it('stores an interview a webhook reports, once even when the delivery is handed over twice', async () => {
    const scope = await world();
    const { apply } = await deliver(scope, [
      upserted({ objectType: 'interview', record: remoteInterview() }, T1),
    ]);

    const outcomes = [await apply(), await apply()];

    expect(outcomes).toEqual(['applied', 'duplicate']);
    const [count] = await db.owner<{ n: number }[]>`select count(*)::int as n from interviews`;
    expect(count?.n).toBe(1);
  });

  it('never lets an older webhook overwrite a newer row', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'offer', [remoteOffer({ status: 'accepted', remoteUpdatedAt: T2 })]);
    const older = remoteOffer({ status: 'withdrawn', remoteUpdatedAt: null });
    const { apply } = await deliver(scope, [upserted({ objectType: 'offer', record: older }, T0)]);

    const outcome = await apply();

    expect(outcome).toBe('ignored');
    const [row] = await db.owner<{ status: string }[]>`select status from offers`;
    expect(row?.status).toBe('accepted');
  });

  it('applies a newer webhook to a synced row', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'note', [remoteNote()]);
    const edited = remoteNote({ body: 'Edited', remoteUpdatedAt: null });
    const { apply } = await deliver(scope, [upserted({ objectType: 'note', record: edited }, T2)]);

    expect(await apply()).toBe('applied');
    const [row] = await db.owner<{ body: string }[]>`select body from notes`;
    expect(row?.body).toBe('Edited');
  });

  it('soft-deletes the interview a delete webhook names', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'interview', [remoteInterview()]);
    const { apply } = await deliver(scope, [removed('interview', 'int-1', T2)]);

    expect(await apply()).toBe('applied');
    expect((await deletedAt('interviews'))[0]).not.toBeNull();
  });

  it('logs a record webhook whose parent is not synced as failed', async () => {
    const scope = await world();
    const orphan = remoteInterview({ applicationRemoteId: 'not-here' });
    const { apply } = await deliver(scope, [upserted({ objectType: 'interview', record: orphan }, T1)]);

    await apply();

    const log = await db.owner<{ action: string; message: string }[]>`
      select action, message from import_log where object_type = 'interview'`;
    expect(log).toEqual([{ action: 'failed', message: 'application not synced' }]);
  });
});

/** One synced record of each kind a delete webhook names (Greenhouse interview_deleted, scorecard_deleted, …). */
const kinds = [
  { objectType: 'interview', table: 'interviews', record: remoteInterview },
  { objectType: 'scorecard', table: 'scorecards', record: remoteScorecard },
  { objectType: 'offer', table: 'offers', record: remoteOffer },
] as const;

const T1_5 = '2026-03-02T22:00:00.000Z';

describe.each(kinds)('out-of-order $objectType delete webhooks', ({ objectType, table, record }) => {
  const object = (over: { remoteUpdatedAt: string | null }) =>
    ({ objectType, record: record(over) }) as CanonicalRecordObject;
  const isDeleted = async () =>
    (
      await db.owner<{ deleted: boolean }[]>`select deleted_at is not null as deleted from ${db.owner(table)}`
    )[0]?.deleted;

  it('keeps the row when a delete older than the last change arrives after it', async () => {
    const scope = await world();
    await applyPage(db.app, scope, objectType, [record({ remoteUpdatedAt: T0 })] as never);
    await (await deliver(scope, [upserted(object({ remoteUpdatedAt: T2 }), T2)])).apply();
    const { apply } = await deliver(scope, [removed(objectType, record().remoteId, T1_5)]);

    expect(await apply()).toBe('ignored');
    expect(await isDeleted()).toBe(false);
  });

  it('does not restore the row when an upsert older than the delete arrives after it', async () => {
    const scope = await world();
    await applyPage(db.app, scope, objectType, [record({ remoteUpdatedAt: T0 })] as never);
    await (await deliver(scope, [removed(objectType, record().remoteId, T2)])).apply();
    const { apply } = await deliver(scope, [upserted(object({ remoteUpdatedAt: null }), T1_5)]);

    expect(await apply()).toBe('ignored');
    expect(await isDeleted()).toBe(true);
  });
});

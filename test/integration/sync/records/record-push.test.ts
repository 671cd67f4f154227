/**
 * The push of hub notes and tag changes, exactly once (docs/ats-record.md, "Pushing notes and tags"): a lost
 * response, a worker dying between the provider's answer and the commit, and redelivered messages each end with
 * one note at the provider, its id linked in external_refs.
 */
import '../../../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { retryPushLogEntry } from '../../../../functions/stage-advance/push-log-retry.js';
import { handleSyncMessage } from '../../../../functions/sync-worker/use-case.js';
import { providerCredentialsSecret } from '../../../../shared/integrations/secret-names.js';
import type { OutboxMessage } from '../../../../shared/messages/queue-messages.js';
import { lookupIn, type RecordWriter } from '../../../../shared/ports/provider.js';
import { unlimitedBudget } from '../../../../shared/sync/dependencies.js';
import { RetryLaterError } from '../../../../shared/sync/errors.js';
import { syncOptions } from '../../../../shared/sync/options.js';
import { applyPage, remoteCandidate, syncScope, T2 } from '../../../support/ats-records.js';
import { FakeRecordWriter, recordWriterModule } from '../../../support/fake-record-writer.js';
import { MemoryObjectStore } from '../../../support/memory-object-store.js';
import { MemoryQueue } from '../../../support/memory-queue.js';
import { MemorySecretStore } from '../../../support/memory-secrets.js';
import { emptiedDatabase, fastRetry, seedIntegration } from '../harness.js';

const db = emptiedDatabase();

async function world(writer: RecordWriter | null = new FakeRecordWriter()) {
  const ids = await seedIntegration(db.owner, 'greenhouse', { actingUserId: 'u-1' });
  const scope = syncScope(ids);
  await applyPage(db.app, scope, 'candidate', [remoteCandidate()]);
  const secrets = new MemorySecretStore();
  await secrets.put(providerCredentialsSecret(ids.integrationId), { apiKey: 'k' });
  let now = new Date(T2).getTime();
  const deps = {
    sql: db.app,
    objectStore: new MemoryObjectStore(),
    syncQueue: undefined,
    secrets,
    providers: lookupIn({ greenhouse: recordWriterModule('greenhouse', writer ?? undefined) }),
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      now += ms;
    },
    options: syncOptions({ retry: fastRetry }),
  };
  const [candidate] = await db.owner<{ local_id: string }[]>`
    select local_id from external_refs where object_type = 'candidate' and remote_id = 'cand-1'`;
  return {
    ...ids,
    deps,
    candidateId: candidate!.local_id,
    advance: (ms: number) => {
      now += ms;
    },
    deliver: (message: OutboxMessage) => handleSyncMessage(deps, message, unlimitedBudget),
  };
}

type World = Awaited<ReturnType<typeof world>>;

async function event(w: World, eventType: string, payload: Record<string, unknown>): Promise<OutboxMessage> {
  const [row] = await db.owner<{ id: string; created_at: Date }[]>`
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
    values (${w.organizationId}, 'candidate', ${w.candidateId}, ${eventType}, ${db.owner.json(payload as never)})
    returning id::text, created_at`;
  return {
    type: 'outbox',
    outboxId: row!.id,
    organizationId: w.organizationId,
    eventType,
    aggregateType: 'candidate',
    aggregateId: w.candidateId,
    payload,
    createdAt: row!.created_at.toISOString(),
  };
}

async function hubNote(w: World, visibility = 'organization'): Promise<OutboxMessage> {
  const noteId = randomUUID();
  await db.owner`insert into notes (id, organization_id, candidate_id, body, visibility, source)
    values (${noteId}, ${w.organizationId}, ${w.candidateId}, 'Great call today', ${visibility}, 'hub')`;
  return event(w, 'note.created', { noteId, candidateId: w.candidateId, applicationId: null, visibility });
}

const noteRef = async () =>
  (
    await db.owner<{ remote_id: string }[]>`select remote_id from external_refs where object_type = 'note'`
  ).map((r) => r.remote_id);

const pushRows = () =>
  db.owner<{ status: string; attempts: number; remote_id: string | null }[]>`
    select status, attempts, remote_id from record_pushes`;

describe('push of hub notes', () => {
  it('creates the note at the provider, links its remote id and records the push', async () => {
    const writer = new FakeRecordWriter();
    const w = await world(writer);

    await w.deliver(await hubNote(w));

    expect(writer.notes.map((n) => [n.candidateRemoteId, n.body])).toEqual([['cand-1', 'Great call today']]);
    expect(await noteRef()).toEqual([writer.notes[0]!.id]);
    expect(await pushRows()).toEqual([{ status: 'succeeded', attempts: 1, remote_id: writer.notes[0]!.id }]);
  });

  it('pushes a redelivered message once', async () => {
    const writer = new FakeRecordWriter();
    const w = await world(writer);
    const message = await hubNote(w);

    await w.deliver(message);
    await w.deliver(message);

    expect(writer.calls).toEqual(['addNote']);
    expect(writer.notes).toHaveLength(1);
  });

  it('adopts the note a lost response created instead of creating it again', async () => {
    const writer = new FakeRecordWriter();
    writer.faults.push('lose_response');
    const w = await world(writer);
    const message = await hubNote(w);

    await expect(w.deliver(message)).rejects.toBeInstanceOf(RetryLaterError);
    await w.deliver(message);

    expect(writer.calls).toEqual(['addNote', 'findNote']);
    expect(writer.notes).toHaveLength(1);
    expect(await noteRef()).toEqual([writer.notes[0]!.id]);
  });

  it('adopts the note when the worker died between the provider answer and the commit', async () => {
    const writer = new FakeRecordWriter();
    writer.faults.push('crash_after');
    const w = await world(writer);
    const message = await hubNote(w);

    await expect(w.deliver(message)).rejects.toThrow('worker died');
    const whileLeased = w.deliver(message);
    await expect(whileLeased).rejects.toBeInstanceOf(RetryLaterError);
    w.advance(10 * 60_000);
    await w.deliver(message);

    expect(writer.calls).toEqual(['addNote', 'findNote']);
    expect(writer.notes).toHaveLength(1);
    expect(await pushRows()).toEqual([{ status: 'succeeded', attempts: 2, remote_id: writer.notes[0]!.id }]);
  });

  it('creates the note on a later delivery when the provider refused it before applying', async () => {
    const writer = new FakeRecordWriter();
    writer.faults.push('refuse_before');
    const w = await world(writer);
    const message = await hubNote(w);

    await expect(w.deliver(message)).rejects.toBeInstanceOf(RetryLaterError);
    await w.deliver(message);

    expect(writer.calls).toEqual(['addNote', 'findNote', 'addNote']);
    expect(writer.notes).toHaveLength(1);
  });

  it('never pushes a private note', async () => {
    const writer = new FakeRecordWriter();
    const w = await world(writer);

    await w.deliver(await hubNote(w, 'private'));

    expect(writer.calls).toEqual([]);
    expect(await pushRows()).toEqual([]);
  });

  it('records a skip where the provider takes no notes', async () => {
    const w = await world(null);

    await w.deliver(await hubNote(w));

    expect((await pushRows()).map((r) => r.status)).toEqual(['skipped']);
  });

  it('records a skip where the candidate is not linked to the integration', async () => {
    const writer = new FakeRecordWriter();
    const w = await world(writer);
    await db.owner`delete from external_refs where object_type = 'candidate'`;

    await w.deliver(await hubNote(w));

    expect(writer.calls).toEqual([]);
    expect((await pushRows()).map((r) => r.status)).toEqual(['skipped']);
  });
});

describe('push of tag changes', () => {
  it('adds and removes the tags at the provider, once for a redelivered message', async () => {
    const writer = new FakeRecordWriter();
    writer.tags.set('cand-1', new Set(['old']));
    const w = await world(writer);
    const message = await event(w, 'candidate.tags_changed', {
      candidateId: w.candidateId,
      added: ['python'],
      removed: ['old'],
    });

    await w.deliver(message);
    await w.deliver(message);

    expect([...(writer.tags.get('cand-1') ?? [])]).toEqual(['python']);
    expect(writer.calls).toEqual(['changeTags']);
  });

  it('retries a tag change the provider refused before applying, within the same delivery', async () => {
    const writer = new FakeRecordWriter();
    writer.faults.push('refuse_before');
    const w = await world(writer);

    await w.deliver(
      await event(w, 'candidate.tags_changed', { candidateId: w.candidateId, added: ['go'], removed: [] }),
    );

    expect([...(writer.tags.get('cand-1') ?? [])]).toEqual(['go']);
    expect((await pushRows()).map((r) => r.status)).toEqual(['succeeded']);
  });
});

describe('retry of a failed push from the push log (POST /push-log/{id}/retry)', () => {
  it('creates a failed note once, looking it up first, however often the retry is delivered', async () => {
    const writer = new FakeRecordWriter();
    writer.faults.push('fail_permanently');
    const w = await world(writer);
    await w.deliver(await hubNote(w));
    const [row] = await db.owner<
      { id: string }[]
    >`select id::text from record_pushes where status = 'failed'`;
    const sync = new MemoryQueue();
    const admin = { organizationId: w.organizationId, role: 'admin' as const, keyId: randomUUID() };

    await retryPushLogEntry({ sql: db.app, queues: { sync }, clock: w.deps.clock }, admin, `note:${row!.id}`);
    const retry = sync.sent
      .map((m) => JSON.parse(m.body) as OutboxMessage)
      .find((m) => m.eventType === 'push.retry_requested');
    await w.deliver(retry!);
    await w.deliver(retry!);

    expect(writer.calls).toEqual(['addNote', 'findNote', 'addNote']);
    expect(writer.notes).toHaveLength(1);
    expect(await pushRows()).toEqual([{ status: 'succeeded', attempts: 2, remote_id: writer.notes[0]!.id }]);
  });
});

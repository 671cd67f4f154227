/**
 * A retried status push (the first attempt's write landed, then the invocation timed out) meets the provider's
 * guard: the application is no longer in the from-stage but already in the target stage. That is the success
 * of the first attempt, recorded `succeeded`, not `refused`, and not surfaced as a refused push.
 */
import '../../support/quiet-logs.js';
import { describe, expect, it } from 'vitest';
import { retryPushLogEntry } from '../../../functions/stage-advance/push-log-retry.js';
import { moveStage } from '../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import type { OutboxMessage } from '../../../shared/messages/queue-messages.js';
import { unlimitedBudget } from '../../../shared/sync/dependencies.js';
import { pushStatusChange } from '../../../shared/sync/status-push.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { seededDatabase } from '../../support/seeded-database.js';
import { linkApplications, type StubAts, stubAts, stubAtsWorkerDeps } from '../../support/stub-ats.js';
import { latestOutboxMessage } from './writes-support.js';

const seeded = seededDatabase();

async function movedApplication(ats: StubAts, secrets: MemorySecretStore) {
  const integrationId = crypto.randomUUID();
  await seeded.db.owner`insert into integrations (id, organization_id, provider, secret_ref)
    values (${integrationId}, ${seeded.graph.organizationId}, 'greenhouse', ${`integrations/${integrationId}`})`;
  await seeded.db
    .owner`update integrations set enabled = (id = ${integrationId}) where organization_id = ${seeded.graph.organizationId}`;
  const [app] = await linkApplications(seeded.db.owner, secrets, ats, {
    organizationId: seeded.graph.organizationId,
    integrationId,
    jobId: seeded.graph.jobId,
    stageIds: seeded.graph.stageIds,
    count: 1,
    stageIndex: 2,
  });
  const noQueue = { sync: undefined, notify: undefined };
  await moveStage(
    { sql: seeded.db.app, queues: noQueue },
    { organizationId: seeded.graph.organizationId, role: 'ats', keyId: crypto.randomUUID() },
    app!.applicationId,
    { toStage: 'Interview' },
  );
  const message = await latestOutboxMessage(
    { db: seeded.db, organizationId: seeded.graph.organizationId },
    'application.stage_changed',
  );
  return { integrationId, remoteId: app!.remoteId, message };
}

const pushDeps = (ats: StubAts, secrets: MemorySecretStore) => stubAtsWorkerDeps(seeded.db.app, ats, secrets);

describe('status push retried after a write that landed', () => {
  it('records a guard refusal that finds the target stage as succeeded, and raises no alarm', async () => {
    const secrets = new MemorySecretStore();
    const ats = stubAts({ guard: true });
    const { integrationId, remoteId, message } = await movedApplication(ats, secrets);
    // the first attempt's write took effect at the provider before its invocation was lost
    const target = (
      await seeded.db.owner<{ remote_id: string }[]>`
        select r.remote_id from applications a join external_refs r on r.local_id = a.stage_id
        where a.id = ${message.aggregateId} and r.integration_id = ${integrationId}`
    )[0]!.remote_id;
    ats.stages.set(remoteId, target);

    const results = await pushStatusChange(pushDeps(ats, secrets), message);

    expect(results[integrationId]).toBe('succeeded');
    expect(ats.refused).toBe(1);
    const [health] = await seeded.db.owner<{ health_detail: Record<string, unknown> }[]>`
      select health_detail from integrations where id = ${integrationId}`;
    expect(health!.health_detail['lastRefusedPush']).toBeUndefined();
  });

  it('still records a guard refusal that finds another stage as refused', async () => {
    const secrets = new MemorySecretStore();
    const ats = stubAts({ guard: true });
    const { integrationId, remoteId, message } = await movedApplication(ats, secrets);
    // a recruiter moved it elsewhere meanwhile
    ats.stages.set(remoteId, 'stage-0');

    const results = await pushStatusChange(pushDeps(ats, secrets), message);

    expect(results[integrationId]).toBe('refused');
  });
});

describe('status push retried from the push log (POST /push-log/{id}/retry)', () => {
  it('pushes a failed stage change once, however often the retry is delivered', async () => {
    const secrets = new MemorySecretStore();
    const ats = stubAts({ guard: true });
    const { integrationId, message } = await movedApplication(ats, secrets);
    // the first delivery finds no credentials (an operator fixes them, then retries)
    await pushStatusChange(pushDeps(ats, new MemorySecretStore()), message);
    const [row] = await seeded.db.owner<{ id: string; status: string }[]>`
      select id::text, status from status_push_log where integration_id = ${integrationId}`;
    const sync = new MemoryQueue();
    const admin = {
      organizationId: seeded.graph.organizationId,
      role: 'admin' as const,
      keyId: crypto.randomUUID(),
    };

    await retryPushLogEntry(
      { sql: seeded.db.app, queues: { sync }, clock: { now: () => new Date() } },
      admin,
      `status:${row!.id}`,
    );
    const retry = sync.sent
      .map((m) => JSON.parse(m.body) as OutboxMessage)
      .find((m) => m.eventType === 'push.retry_requested');
    await handleSyncMessage(pushDeps(ats, secrets), retry!, unlimitedBudget);
    await handleSyncMessage(pushDeps(ats, secrets), retry!, unlimitedBudget);

    const [after] = await seeded.db.owner<{ status: string }[]>`
      select status from status_push_log where id = ${row!.id}::bigint`;
    expect([row!.status, ats.calls, after!.status]).toEqual(['failed', 1, 'succeeded']);
  });
});

/**
 * R17 Timeout during an idempotent operation: the status push (shared/sync/status-push.ts). The worker claims
 * the push (status_push_log row, the in-progress record), calls the system of record, and the write takes
 * effect there, but the invocation overruns its time and is killed before it records the outcome. A redelivery
 * inside the claim's in-progress expiry (5 min) finds it in progress and changes nothing; one after the expiry
 * re-claims it and calls the provider again. With a provider-side guard (Greenhouse's `from_stage_id`: the
 * repeat is refused since the stage already moved) the external writes stay 1, and the refusal, which finds
 * the application in the target stage, is recorded as the success it is (not `refused`, no alarm on the
 * integration); without a guard (a stub that applies every write) the repeat writes again: printed to show
 * the risk.
 * Pass: external writes = 1 with the provider-side guard, every push recorded `succeeded`, none `refused`.
 */
import '../support/quiet-logs.js';
import { expect, it } from 'vitest';
import { moveStage } from '../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../functions/sync-worker/use-case.js';
import type { OutboxMessage } from '../../shared/messages/queue-messages.js';
import { CrashHook, withDeadline } from '../support/crash.js';
import type { TestDatabase } from '../support/db.js';
import type { TenantGraph } from '../support/fixtures.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { MemorySecretStore } from '../support/memory-secrets.js';
import { describeOnPostgres, figures, histogram, runs, scaled } from '../support/reliability.js';
import { linkApplications, stubAts, stubAtsWorkerDeps } from '../support/stub-ats.js';
import { seededSuite } from './support/suite.js';

const OPERATIONS = runs(20);
const LAMBDA_BUDGET_MS = 100;
const CLAIM_TTL_MS = 5 * 60_000;
let db: TestDatabase;
let graph: TenantGraph;

describeOnPostgres('R17', 'timeout during an idempotent operation', () => {
  seededSuite(4, { silence: ['info', 'warn'] }, (state) => {
    ({ db, graph } = state);
  });

  async function scenario(guard: boolean) {
    const secrets = new MemorySecretStore();
    const ats = stubAts({ guard });
    const crash = new CrashHook();
    ats.onWrite = () => crash.point();
    const integrationId = crypto.randomUUID();
    await db.owner`insert into integrations (id, organization_id, provider, secret_ref)
      values (${integrationId}, ${graph.organizationId}, 'greenhouse', ${`integrations/${integrationId}`})`;
    // only this scenario's integration is enabled
    await db.owner`update integrations set enabled = (id = ${integrationId}) where organization_id = ${graph.organizationId}`;
    const apps = await linkApplications(db.owner, secrets, ats, {
      organizationId: graph.organizationId,
      integrationId,
      jobId: graph.jobId,
      stageIds: graph.stageIds,
      count: OPERATIONS,
      stageIndex: 2,
    });
    let now = Date.now();
    const deps = stubAtsWorkerDeps(db.app, ats, secrets, { now: () => new Date(now) });
    const unavailable = new MemoryQueue();
    unavailable.failIds = () => true;
    const transitions: string[] = [];
    const pushState = async (outboxId: string) => {
      const [row] = await db.owner<{ status: string; attempts: number }[]>`
        select status, attempts from status_push_log where integration_id = ${integrationId} and outbox_id = ${outboxId}`;
      return row ? `${row.status}#${row.attempts}` : 'none';
    };
    const outcomes: string[] = [];
    const finals: string[] = [];
    for (const app of apps) {
      await moveStage(
        { sql: db.app, queues: { sync: unavailable, notify: unavailable } },
        { organizationId: graph.organizationId, role: 'ats', keyId: '00000000-0000-4000-8000-000000000003' },
        app.applicationId,
        { toStage: 'Interview' },
      );
      const [row] = await db.owner<{ id: string; payload: Record<string, unknown>; created_at: Date }[]>`
        select id::text, payload, created_at from outbox where aggregate_id = ${app.applicationId} and event_type = 'application.stage_changed'`;
      const message: OutboxMessage = {
        type: 'outbox',
        outboxId: row!.id,
        organizationId: graph.organizationId,
        eventType: 'application.stage_changed',
        aggregateType: 'application',
        aggregateId: app.applicationId,
        payload: row!.payload,
        createdAt: row!.created_at.toISOString(),
      };
      const seen = [await pushState(row!.id)];
      // 1. the write takes effect remotely, then the invocation hangs past its deadline and is abandoned
      crash.arm();
      const first = await withDeadline(
        handleSyncMessage(deps, message, { remainingMs: () => LAMBDA_BUDGET_MS }),
        LAMBDA_BUDGET_MS,
      );
      crash.disarm();
      seen.push(await pushState(row!.id));
      // 2. redelivery inside the in-progress expiry: another attempt is in progress
      now += 60_000;
      const early = await handleSyncMessage(deps, message, { remainingMs: () => 60_000 }).then(
        () => 'finished',
        (e: Error) => e.name,
      );
      seen.push(await pushState(row!.id));
      // 3. redelivery after the expiry: the claim is taken over and the provider is called again
      now += CLAIM_TTL_MS;
      const late = await handleSyncMessage(deps, message, { remainingMs: () => 60_000 }).then(
        () => 'finished',
        (e: Error) => e.name,
      );
      seen.push(await pushState(row!.id));
      outcomes.push(`${first}/${early}/${late}`);
      finals.push((await pushState(row!.id)).split('#')[0]!);
      transitions.push(seen.join(' → '));
    }
    const writes = [...ats.writes.values()];
    const [health] = await db.owner<{ health_detail: Record<string, unknown> }[]>`
      select health_detail from integrations where id = ${integrationId}`;
    await db.owner`update integrations set enabled = false where id = ${integrationId}`;
    return {
      operations: apps.length,
      externalWrites: writes.reduce((a, b) => a + b, 0),
      writesPerOperation: [...new Set(writes)].join(','),
      providerCalls: ats.calls,
      refusedByGuard: ats.refused,
      attemptOutcomes: histogram(outcomes),
      pushLogTransitions: histogram(transitions),
      finalPushStatus: histogram(finals),
      refusedPushSurfaced: health?.health_detail['lastRefusedPush'] !== undefined,
    };
  }

  it('writes once to a provider that guards the write, and shows what an unguarded provider gets', async () => {
    const guarded = await scenario(true);
    const unguarded = await scenario(false);
    figures('R17', 'timeout during an idempotent operation', {
      operations: scaled(20, OPERATIONS),
      lambdaBudgetMs: LAMBDA_BUDGET_MS,
      inProgressExpiryMs: CLAIM_TTL_MS,
      withProviderGuard: guarded,
      withoutProviderGuard: unguarded,
    });
    expect(guarded.externalWrites).toBe(OPERATIONS);
    expect(guarded.writesPerOperation).toBe('1');
    // the guard's refusal of the retry found the target stage: a success, not a false alarm
    expect(guarded.finalPushStatus).toEqual({ succeeded: OPERATIONS });
    expect(guarded.refusedPushSurfaced).toBe(false);
    // the risk, printed: without a provider-side guard the retry after the expiry writes a second time
    expect(unguarded.externalWrites).toBeGreaterThanOrEqual(OPERATIONS);
  });
});

/**
 * Webhook application and status push quirks of the Ashby fake (docs/providers.md §4.4, §4.5): deliveries signed with
 * `Ashby-Signature: sha256=<hex>` over the raw body, recorded once (no delivery id: the body hash) and applied
 * once; rejects as a move to the Archived-type stage with an `archiveReasonId`. Moves and stale guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { IntegrationRouteCache, receiveWebhook } from '../../../functions/webhook-intake/use-case.js';
import { webhookSecretName } from '../../../shared/integrations/secret-names.js';
import { type HubMessage, hubMessage } from '../../../shared/messages/queue-messages.js';
import { provider as ashby } from '../../../shared/providers/ashby/index.js';
import { type AshbyFake, ashbySignature, startAshbyFake } from '../../fakes/ashby/index.js';
import type { AbApplication } from '../../fakes/ashby/state.js';
import {
  changedVersions,
  createWorld,
  fileDatabase,
  rowVersions,
  runSync,
  type SyncWorld,
} from './harness.js';
import { atsPrincipal, latestOutboxMessage, noQueues, pushLogOf } from './writes-support.js';

const HOUR = 3_600_000;
const SECRET = 'ashby-webhook-secret';
const budget = { remainingMs: () => 60_000 };
let fake: AshbyFake;
let w: SyncWorld;

const database = fileDatabase(() => fake?.stop());

async function syncedWorld(): Promise<SyncWorld> {
  fake = await startAshbyFake({ jobs: 2, candidates: 40 });
  w = await createWorld({
    db: database(),
    provider: 'ashby',
    module: ashby,
    credentials: { apiKey: fake.apiKey },
    settings: {
      baseUrl: fake.url,
      requestTimeoutMs: 5_000,
      defaultArchiveReasonId: fake.state.archiveReasons.find((r) => r.text === 'Not a fit')!.id,
    },
    clock: fake.clock,
  });
  await w.secrets.put(webhookSecretName(w.integrationId), { current: SECRET, previous: [] });
  await runSync(w, 'full');
  return w;
}

/** POST /webhooks/ashby/{integrationId} with Ashby's signed body: verify, record once, enqueue. */
async function intake(event: { action: string; data: unknown }): Promise<HubMessage[]> {
  const rawBody = Buffer.from(JSON.stringify(event));
  await receiveWebhook(
    {
      sql: w.db.app,
      secrets: w.secrets,
      syncQueue: w.queue,
      providers: { ashby },
      clock: fake.clock,
      routes: new IntegrationRouteCache(),
    },
    {
      provider: 'ashby',
      integrationId: w.integrationId,
      rawBody,
      headers: { 'content-type': 'application/json', 'ashby-signature': ashbySignature(SECRET, rawBody) },
    },
  );
  return w.queue.sent.splice(0).map((m) => hubMessage.parse(JSON.parse(m.body)));
}

async function localApplication(remoteId: string) {
  const [row] = await w.db.owner<{ id: string; stage: string; status: string; deleted: boolean }[]>`
    select a.id, s.name as stage, a.status, a.deleted_at is not null as deleted
    from external_refs r join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'application' and r.remote_id = ${remoteId}`;
  return row!;
}

function planOf(app: AbApplication) {
  const job = fake.state.jobs.find((j) => j.id === app.jobId)!;
  return fake.state.stages.filter((s) => s.interviewPlanId === job.interviewPlanId);
}

/** Interview stages of the application's plan other than its current one (no Offer, Hired or Archived). */
const otherStages = (app: AbApplication) =>
  planOf(app).filter((s) => (s.type === 'Active' || s.type === 'PreInterviewScreen') && s.id !== app.stageId);

describe('ashby webhook application', () => {
  it('records a delivery Ashby retries with the same body only once', async () => {
    await syncedWorld();
    const app = fake.state.applications[1]!;
    fake.clock.advance(HOUR);
    fake.changeStage(app.id, otherStages(app)[0]!.id);
    const event = fake.events.stageChange(app.id);

    const first = await intake(event);
    const retried = await intake(event);

    expect(first).toHaveLength(1);
    expect(retried).toEqual([]);
    const rows = await w.db.owner<{ event_type: string }[]>`
      select event_type from webhook_deliveries where integration_id = ${w.integrationId}`;
    expect(rows).toEqual([{ event_type: 'candidateStageChange' }]);
  });

  it('applies a redelivered webhook message only once', async () => {
    await syncedWorld();
    const app = fake.state.applications[1]!;
    const target = otherStages(app)[0]!;
    fake.clock.advance(HOUR);
    fake.changeStage(app.id, target.id);
    const [message] = await intake(fake.events.stageChange(app.id));
    const before = await rowVersions(w);

    const outcomes = [
      await handleSyncMessage(w.deps, message!, budget),
      await handleSyncMessage(w.deps, message!, budget),
    ];

    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(await localApplication(app.id)).toMatchObject({ stage: target.title, status: 'active' });
    expect(changedVersions(before, await rowVersions(w))).toBe(1);
    const [history] = await w.db.owner<{ n: number }[]>`
      select count(*)::int as n from application_stage_history where application_id = ${(await localApplication(app.id)).id}`;
    expect(history!.n).toBe(2);
  });

  it('marks an application moved to the Archived stage as rejected', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    fake.clock.advance(HOUR);
    const archived = planOf(app).find((s) => s.type === 'Archived')!;
    const reason = fake.state.archiveReasons.find((r) => r.reasonType === 'RejectedByOrg')!;
    fake.changeStage(app.id, archived.id, reason.id);
    const [message] = await intake(fake.events.stageChange(app.id));

    const outcome = await handleSyncMessage(w.deps, message!, budget);

    expect(outcome).toBe('applied');
    expect(await localApplication(app.id)).toMatchObject({ status: 'rejected', deleted: false });
  });

  it('soft-deletes the candidate and its applications on candidateDelete', async () => {
    await syncedWorld();
    const candidate = fake.state.candidates[3]!;
    const app = fake.state.applications.find((a) => a.candidateId === candidate.id)!;
    const [message] = await intake(fake.deleteCandidate(candidate.id));

    const outcome = await handleSyncMessage(w.deps, message!, budget);

    expect(outcome).toBe('applied');
    expect((await localApplication(app.id)).deleted).toBe(true);
    const logged = await w.db.owner`
      select object_type, remote_id, message from import_log where integration_id = ${w.integrationId} and action = 'deleted'
      order by id`;
    expect(logged).toEqual([
      { object_type: 'candidate', remote_id: candidate.id, message: 'delete webhook' },
      { object_type: 'application', remote_id: app.id, message: 'delete webhook (with its candidate)' },
    ]);
  });
});

const outboxMessage = (eventType: string) => latestOutboxMessage(w, eventType);

const ats = () => atsPrincipal(w);

const pushLog = () => pushLogOf(w);

const changeStageCalls = (app: AbApplication) =>
  fake.requests
    .filter((r) => r.path === '/application.changeStage')
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)
    .filter((b) => b['applicationId'] === app.id);

async function lastRefusedPush() {
  const [integration] = await w.db.owner<{ health_detail: Record<string, unknown> }[]>`
    select health_detail from integrations where id = ${w.integrationId}`;
  return integration!.health_detail['lastRefusedPush'];
}

describe('ashby status push', () => {
  it('rejects by moving to the Archived stage with the archive reason, once', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    await changeStatus({ sql: w.db.app, queues: noQueues }, ats(), (await localApplication(app.id)).id, {
      status: 'rejected',
    });
    const message = await outboxMessage('application.status_changed');

    await handleSyncMessage(w.deps, message, budget);
    await handleSyncMessage(w.deps, message, budget);

    const archived = planOf(app).find((s) => s.type === 'Archived')!;
    const reason = fake.state.archiveReasons.find((r) => r.text === 'Not a fit')!;
    expect(app).toMatchObject({ status: 'Archived', stageId: archived.id, archiveReasonId: reason.id });
    expect(await pushLog()).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(changeStageCalls(app)).toEqual([
      { applicationId: app.id, interviewStageId: archived.id, archiveReasonId: reason.id },
    ]);
  });

  it('records a reject of an application already archived at Ashby as refused, without writing', async () => {
    await syncedWorld();
    const app = fake.state.applications[3]!;
    await changeStatus({ sql: w.db.app, queues: noQueues }, ats(), (await localApplication(app.id)).id, {
      status: 'rejected',
    });
    // the candidate withdrew in Ashby first
    const withdrew = fake.state.archiveReasons.find((r) => r.text === 'Withdrew')!;
    fake.changeStage(app.id, planOf(app).find((s) => s.type === 'Archived')!.id, withdrew.id);
    const message = await outboxMessage('application.status_changed');

    await handleSyncMessage(w.deps, message, budget);
    await handleSyncMessage(w.deps, message, budget);

    expect(app.archiveReasonId).toBe(withdrew.id);
    expect(await pushLog()).toEqual([
      { status: 'refused', attempts: 1, last_error: 'application is Archived' },
    ]);
    expect(await lastRefusedPush()).toMatchObject({ outboxId: message.outboxId });
    expect(changeStageCalls(app)).toEqual([]);
  });
});

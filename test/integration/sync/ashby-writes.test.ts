/**
 * Webhook application and status push quirks of the Ashby fake (docs/providers.md §4.4, §4.5): deliveries signed with
 * `Ashby-Signature: sha256=<hex>` over the raw body, recorded once (no delivery id: the body hash) and applied
 * once; rejects as a move to the Archived-type stage with an `archiveReasonId`. Moves and stale guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import type { HubMessage } from '../../../shared/messages/queue-messages.js';
import { provider as ashby } from '../../../shared/providers/ashby/index.js';
import { type AshbyFake, ashbySignature, startAshbyFake } from '../../fakes/ashby/index.js';
import type { AbApplication } from '../../fakes/ashby/state.js';
import { ashbyConnection } from './connections.js';
import { type SyncWorld, watchVersions } from './harness.js';
import * as hub from './writes-support.js';

const HOUR = 3_600_000;
const SECRET = 'ashby-webhook-secret';
let fake: AshbyFake;
let w: SyncWorld;

const syncedWorld = hub.syncedWorlds(
  () => startAshbyFake({ jobs: 2, candidates: 40 }),
  (f) =>
    ashbyConnection(f, {
      defaultArchiveReasonId: f.state.archiveReasons.find((r) => r.text === 'Not a fit')!.id,
    }),
  (started) => ({ fake, w } = started),
  SECRET,
);

/** POST /webhooks/ashby/{integrationId} with Ashby's signed body. */
function intake(event: { action: string; data: unknown }): Promise<HubMessage[]> {
  const rawBody = Buffer.from(JSON.stringify(event));
  const headers = { 'ashby-signature': ashbySignature(SECRET, rawBody) };
  return hub.intakeWebhook(w, { provider: 'ashby', module: ashby, clock: fake.clock, rawBody, headers });
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
    expect(await hub.deliveryEventTypes(w)).toEqual([{ event_type: 'candidateStageChange' }]);
  });

  it('applies a redelivered webhook message only once', async () => {
    await syncedWorld();
    const app = fake.state.applications[1]!;
    const target = otherStages(app)[0]!;
    fake.clock.advance(HOUR);
    fake.changeStage(app.id, target.id);
    const [message] = await intake(fake.events.stageChange(app.id));
    const versions = await watchVersions(w);

    const outcomes = await hub.handleTwice(w, message!);

    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(await hub.localApplication(w, app.id)).toMatchObject({ stage: target.title, status: 'active' });
    expect(await versions.changed()).toBe(1);
    expect(await hub.stageHistoryCount(w, app.id)).toBe(2);
  });

  it('marks an application moved to the Archived stage as rejected', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    fake.clock.advance(HOUR);
    const archived = planOf(app).find((s) => s.type === 'Archived')!;
    const reason = fake.state.archiveReasons.find((r) => r.reasonType === 'RejectedByOrg')!;
    fake.changeStage(app.id, archived.id, reason.id);
    const [message] = await intake(fake.events.stageChange(app.id));

    const outcome = await handleSyncMessage(w.deps, message!, hub.budget);

    expect(outcome).toBe('applied');
    expect(await hub.localApplication(w, app.id)).toMatchObject({ status: 'rejected', deleted: false });
  });

  it('soft-deletes the candidate and its applications on candidateDelete', async () => {
    await syncedWorld();
    const candidate = fake.state.candidates[3]!;
    const app = fake.state.applications.find((a) => a.candidateId === candidate.id)!;
    const [message] = await intake(fake.deleteCandidate(candidate.id));

    const outcome = await handleSyncMessage(w.deps, message!, hub.budget);

    expect(outcome).toBe('applied');
    expect((await hub.localApplication(w, app.id)).deleted).toBe(true);
    const logged = await w.db.owner`
      select object_type, remote_id, message from import_log where integration_id = ${w.integrationId} and action = 'deleted'
      order by id`;
    expect(logged).toEqual([
      { object_type: 'candidate', remote_id: candidate.id, message: 'delete webhook' },
      { object_type: 'application', remote_id: app.id, message: 'delete webhook (with its candidate)' },
    ]);
  });
});

const changeStageCalls = (app: AbApplication) =>
  fake.requests
    .filter((r) => r.path === '/application.changeStage')
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)
    .filter((b) => b['applicationId'] === app.id);

describe('ashby status push', () => {
  it('rejects by moving to the Archived stage with the archive reason, once', async () => {
    await syncedWorld();
    const app = fake.state.applications[2]!;
    const message = await hub.rejectInHub(w, app.id);

    await hub.handleTwice(w, message);

    const archived = planOf(app).find((s) => s.type === 'Archived')!;
    const reason = fake.state.archiveReasons.find((r) => r.text === 'Not a fit')!;
    expect(app).toMatchObject({ status: 'Archived', stageId: archived.id, archiveReasonId: reason.id });
    expect(await hub.pushLogOf(w)).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(changeStageCalls(app)).toEqual([
      { applicationId: app.id, interviewStageId: archived.id, archiveReasonId: reason.id },
    ]);
  });

  it('records a reject of an application already archived at Ashby as refused, without writing', async () => {
    await syncedWorld();
    const app = fake.state.applications[3]!;
    const message = await hub.rejectInHub(w, app.id);
    // the candidate withdrew in Ashby first
    const withdrew = fake.state.archiveReasons.find((r) => r.text === 'Withdrew')!;
    fake.changeStage(app.id, planOf(app).find((s) => s.type === 'Archived')!.id, withdrew.id);

    await hub.handleTwice(w, message);

    expect(app.archiveReasonId).toBe(withdrew.id);
    expect(await hub.pushLogOf(w)).toEqual([
      { status: 'refused', attempts: 1, last_error: 'application is Archived' },
    ]);
    expect(await hub.lastRefusedPush(w)).toMatchObject({ outboxId: message.outboxId });
    expect(changeStageCalls(app)).toEqual([]);
  });
});

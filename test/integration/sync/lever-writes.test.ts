/**
 * Webhook application and status push quirks of the Lever fake (docs/providers.md §3.5, §3.6): deliveries signed over
 * `token + triggeredAt`, recorded once per token and applied once; rejects as archives with a reason. Moves and
 * stale guards: contract/.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import type { HubMessage } from '../../../shared/messages/queue-messages.js';
import { provider as lever } from '../../../shared/providers/lever/index.js';
import { type LeverFake, leverSignature, startLeverFake } from '../../fakes/lever/index.js';
import { leverConnection } from './connections.js';
import { type SyncWorld, watchVersions } from './harness.js';
import * as hub from './writes-support.js';

const HOUR = 3_600_000;
const SIGNING_TOKEN = 'lever-signing-token';
let fake: LeverFake;
let w: SyncWorld;

const syncedWorld = hub.syncedWorlds(
  () => startLeverFake({ postings: 4, contacts: 40 }),
  (f) =>
    leverConnection(f, {
      defaultArchiveReasonId: f.state.archiveReasons.find((r) => r.text === 'Underqualified')!.id,
    }),
  (started) => ({ fake, w } = started),
  SIGNING_TOKEN,
);

/** Contact i has a single opportunity, on posting i mod 4: index 1 is on the second posting. */
const opportunity = (index: number) => fake.state.opportunities[index]!;

/** Lever's delivery body: `{id, event, triggeredAt, token, signature, data}`, signed over token + triggeredAt. */
function leverBody(
  event: { event: string; data: unknown },
  token = randomBytes(36).toString('base64url'),
  triggeredAt = fake.clock.nowMs(),
) {
  return Buffer.from(
    JSON.stringify({
      id: randomBytes(16).toString('hex'),
      event: event.event,
      triggeredAt,
      token,
      signature: leverSignature(SIGNING_TOKEN, token, triggeredAt),
      data: event.data,
    }),
  );
}

/** POST /webhooks/lever/{integrationId}: Lever signs inside the body, not in a header. */
const intake = (rawBody: Buffer): Promise<HubMessage[]> =>
  hub.intakeWebhook(w, {
    provider: 'lever',
    module: lever,
    clock: fake.clock,
    rawBody,
    headers: { 'user-agent': 'Lever-Webhooks' },
  });

/** Lever stages other than the opportunity's current one (Offer left out: the hub's rules guard it). */
function otherStages(opportunityId: string) {
  const o = fake.state.opportunityById.get(opportunityId)!;
  return fake.state.stages.filter((s) => s.id !== o.stageId && s.text !== 'Offer');
}

describe('lever webhook application', () => {
  it('records a delivery Lever sends again with the same token only once', async () => {
    await syncedWorld();
    const o = opportunity(1);
    fake.clock.advance(HOUR);
    const body = leverBody(fake.changeStage(o.id, otherStages(o.id)[0]!.id));

    const first = await intake(body);
    const retried = await intake(body);

    expect(first).toHaveLength(1);
    expect(retried).toEqual([]);
    expect(await hub.deliveryEventTypes(w)).toEqual([{ event_type: 'candidateStageChange' }]);
  });

  it('applies a redelivered webhook message only once', async () => {
    await syncedWorld();
    const o = opportunity(1);
    const target = otherStages(o.id)[0]!;
    fake.clock.advance(HOUR);
    const [message] = await intake(leverBody(fake.changeStage(o.id, target.id)));
    const versions = await watchVersions(w);

    const outcomes = await hub.handleTwice(w, message!);

    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(await hub.localApplication(w, o.id)).toMatchObject({ stage: target.text, status: 'active' });
    // one application row written once; its history holds the import and this one move
    expect(await versions.changed()).toBe(1);
    expect(await hub.stageHistoryCount(w, o.id)).toBe(2);
  });

  it('applies a stage change on every posting, whose stage ids Lever shares account-wide', async () => {
    await syncedWorld();
    // one opportunity on each of the 4 postings
    const moved = [0, 1, 2, 3].map((i) => opportunity(i));
    fake.clock.advance(HOUR);
    const messages: HubMessage[] = [];
    for (const o of moved)
      messages.push(...(await intake(leverBody(fake.changeStage(o.id, otherStages(o.id)[1]!.id)))));

    const outcomes: string[] = [];
    for (const m of messages) outcomes.push(await handleSyncMessage(w.deps, m, hub.budget));

    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied']);
    for (const o of moved) {
      expect((await hub.localApplication(w, o.id)).stage).toBe(
        fake.state.stages.find((s) => s.id === o.stageId)!.text,
      );
    }
  });

  it('marks an opportunity archived in Lever as rejected', async () => {
    await syncedWorld();
    const o = opportunity(2);
    fake.clock.advance(HOUR);
    const reason = fake.state.archiveReasons.find((r) => r.type === 'non-hired')!;
    const [message] = await intake(leverBody(fake.archive(o.id, reason.id)));

    const outcome = await handleSyncMessage(w.deps, message!, hub.budget);

    expect(outcome).toBe('applied');
    expect(await hub.localApplication(w, o.id)).toMatchObject({ status: 'rejected', deleted: false });
  });

  it('soft-deletes the application of a candidateDeleted delivery', async () => {
    await syncedWorld();
    const o = opportunity(3);
    fake.clock.advance(HOUR);
    const [message] = await intake(leverBody(fake.deleteOpportunity(o.id)));

    const outcome = await handleSyncMessage(w.deps, message!, hub.budget);

    expect(outcome).toBe('applied');
    expect((await hub.localApplication(w, o.id)).deleted).toBe(true);
    const logged = await w.db.owner`
      select object_type, remote_id, message from import_log where integration_id = ${w.integrationId} and action = 'deleted'`;
    expect(logged).toEqual([{ object_type: 'application', remote_id: o.id, message: 'delete webhook' }]);
  });
});

/** The hub's interview linked to this Lever interview: its status and whether it is deleted. */
async function hubInterview(remoteId: string) {
  const rows = await w.db.owner<{ status: string; deleted: boolean }[]>`
    select i.status, i.deleted_at is not null as deleted from external_refs r join interviews i on i.id = r.local_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'interview' and r.remote_id = ${remoteId}`;
  return rows[0];
}

/** A synced world, and a new interview of opportunity 1 stored through its interviewCreated webhook. */
async function storedInterview() {
  await syncedWorld();
  const o = opportunity(1);
  fake.clock.advance(HOUR);
  const interview = fake.records.scheduleInterview(o, fake.clock.nowMs() + 24 * HOUR);
  const [created] = await intake(leverBody(fake.events.interview('interviewCreated', o, interview)));
  expect(await handleSyncMessage(w.deps, created!, hub.budget)).toBe('applied');
  return { o, interview };
}

describe('lever interview webhooks', () => {
  it('reads back the interview an interviewCreated names by id only, and stores it once', async () => {
    const { interview } = await storedInterview();
    const [redelivered] = await w.db.owner<
      { id: string }[]
    >`select id::text from webhook_deliveries where integration_id = ${w.integrationId}`;

    const again = await handleSyncMessage(
      w.deps,
      {
        type: 'webhook',
        organizationId: w.organizationId,
        integrationId: w.integrationId,
        deliveryRowId: redelivered!.id,
      },
      hub.budget,
    );

    expect(again).toBe('duplicate');
    expect(await hubInterview(interview.id)).toEqual({ status: 'scheduled', deleted: false });
    const [stored] = await w.db.owner<{ n: number }[]>`select count(*)::int as n from interviews`;
    expect(stored!.n).toBe(1);
  });

  it('reads back the cancellation an interviewUpdated names', async () => {
    const { o, interview } = await storedInterview();
    fake.clock.advance(HOUR);
    fake.records.cancelInterview(interview.id);
    const [updated] = await intake(leverBody(fake.events.interview('interviewUpdated', o, interview)));

    expect(await handleSyncMessage(w.deps, updated!, hub.budget)).toBe('applied');
    expect(await hubInterview(interview.id)).toEqual({ status: 'cancelled', deleted: false });
  });

  it('keeps an interview deleted when an older interviewUpdated arrives after the interviewDeleted', async () => {
    const { o, interview } = await storedInterview();
    const updatedAt = fake.clock.nowMs() + 60_000;
    fake.clock.advance(HOUR);
    fake.records.deleteInterview(interview.id);
    const [deleted] = await intake(leverBody(fake.events.interview('interviewDeleted', o, interview)));
    await handleSyncMessage(w.deps, deleted!, hub.budget);
    const late = leverBody(fake.events.interview('interviewUpdated', o, interview), undefined, updatedAt);
    const [older] = await intake(late);

    expect(await handleSyncMessage(w.deps, older!, hub.budget)).toBe('ignored');
    expect(await hubInterview(interview.id)).toEqual({ status: 'scheduled', deleted: true });
  });
});

const writes = (o: { id: string }, kind: 'stage' | 'archived') =>
  fake.requests.filter((r) => r.method === 'PUT' && r.path === `/v1/opportunities/${o.id}/${kind}`);

describe('lever status push', () => {
  it('archives a rejected opportunity with the archive reason, once', async () => {
    await syncedWorld();
    const o = opportunity(2);
    const message = await hub.rejectInHub(w, o.id);

    await hub.handleTwice(w, message);

    const reason = fake.state.archiveReasons.find((r) => r.text === 'Underqualified')!;
    expect(fake.state.opportunityById.get(o.id)!.archived).toMatchObject({ reason: reason.id });
    expect(await hub.pushLogOf(w)).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(writes(o, 'archived').map((r) => JSON.parse(r.body))).toEqual([{ reason: reason.id }]);
  });

  it('records a reject of an opportunity already archived at Lever as refused, without writing', async () => {
    await syncedWorld();
    const o = opportunity(2);
    const message = await hub.rejectInHub(w, o.id);
    // a recruiter archived it in Lever first, for another reason
    const withdrew = fake.state.archiveReasons.find((r) => r.text === 'Withdrew')!;
    fake.archive(o.id, withdrew.id);

    await hub.handleTwice(w, message);

    expect(fake.state.opportunityById.get(o.id)!.archived).toMatchObject({ reason: withdrew.id });
    expect(await hub.pushLogOf(w)).toEqual([
      { status: 'refused', attempts: 1, last_error: 'opportunity is already archived' },
    ]);
    expect(await hub.lastRefusedPush(w)).toMatchObject({ outboxId: message.outboxId });
    expect(writes(o, 'archived')).toHaveLength(0);
  });
});

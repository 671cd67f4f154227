/**
 * Status push quirks of the Workday fake (docs/providers.md §5.4): a rejection becomes `Move_Candidate` with
 * `Disposition_Step_Reference`, once; a rejection of an already dispositioned application is refused; a retried
 * move whose first write landed meets Workday's guard and is recorded as the success it is. Workday sends no
 * webhooks (§5.6). Moves and stale guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { moveStage } from '../../../functions/stage-advance/use-case.js';
import { pushStatusChange } from '../../../shared/sync/status-push.js';
import { reviewApplication } from '../../fakes/workday/fixture.js';
import { startWorkdayFake, type WorkdayFake } from '../../fakes/workday/index.js';
import { workdayConnection } from './connections.js';
import type { SyncWorld } from './harness.js';
import {
  atsPrincipal,
  handleTwice,
  lastRefusedPush,
  latestOutboxMessage,
  localApplication,
  noQueues,
  pushLogOf,
  rejectInHub,
  syncedWorlds,
} from './writes-support.js';

let fake: WorkdayFake;
let w: SyncWorld;

const syncedWorld = syncedWorlds(
  () => startWorkdayFake({ seed: 3, candidates: 40, requisitions: 3 }),
  workdayConnection,
  (started) => ({ fake, w } = started),
);

const moveOperations = () => fake.operations.filter((o) => o.operation === 'Move_Candidate');
const moveBodies = () => fake.requests.filter((r) => r.body.includes('Move_Candidate_Request'));

describe('workday status push', () => {
  it('rejects the application with Move_Candidate and Disposition_Step_Reference, once', async () => {
    await syncedWorld();
    const app = reviewApplication(fake, 1);
    const message = await rejectInHub(w, app.id);

    await handleTwice(w, message);

    expect(fake.state.application(app.id)).toMatchObject({
      dispositionStepId: 'STEP-DISPOSITION',
      dispositionId: 'Not_Selected',
    });
    expect(await pushLogOf(w)).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(moveOperations()).toHaveLength(1);
    expect(moveBodies()[0]!.body).toMatch(
      /<wd:Disposition_Step_Reference><wd:ID wd:type="Workflow_Step_ID">STEP-DISPOSITION<\/wd:ID>/,
    );
  });

  it('records a rejection of an application Workday already dispositioned as refused, without retrying', async () => {
    await syncedWorld();
    const app = reviewApplication(fake, 3);
    const message = await rejectInHub(w, app.id);
    // meanwhile the candidate withdrew in Workday
    fake.state.dispositionApplication(app.id, 'Candidate_Withdrew', 'STEP-WITHDRAWN');

    await handleTwice(w, message);

    expect(fake.state.application(app.id)).toMatchObject({ dispositionId: 'Candidate_Withdrew' });
    expect(await pushLogOf(w)).toEqual([
      { status: 'refused', attempts: 1, last_error: expect.stringMatching(/already dispositioned/) },
    ]);
    expect(await lastRefusedPush(w)).toMatchObject({ outboxId: message.outboxId });
    expect(moveOperations()).toHaveLength(1);
  });

  it('records a retried move whose first write landed as succeeded, without an alarm', async () => {
    await syncedWorld();
    const app = reviewApplication(fake, 2);
    const { id } = await localApplication(w, app.id);
    await moveStage({ sql: w.db.app, queues: noQueues }, atsPrincipal(w), id, { toStage: 'Screen' });
    const message = await latestOutboxMessage(w, 'application.stage_changed');
    // the first attempt's Move_Candidate took effect before its invocation timed out
    fake.state.moveApplication(app.id, 'STEP-SCREEN');

    const results = await pushStatusChange(w.deps, message);

    expect({
      status: results[w.integrationId],
      refusedMoves: moveOperations().filter((o) => o.outcome === 'fault').length,
      alarm: await lastRefusedPush(w),
    }).toEqual({ status: 'succeeded', refusedMoves: 1, alarm: undefined });
  });
});

/**
 * Status push quirks of the Workday fake (docs/providers.md §5.4): a rejection becomes `Move_Candidate` with
 * `Disposition_Step_Reference`, once; a rejection of an already dispositioned application is refused. Workday
 * sends no webhooks (§5.6). Moves and stale guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { provider as workday } from '../../../shared/providers/workday/index.js';
import { reviewApplication } from '../../fakes/workday/fixture.js';
import { startWorkdayFake, type WorkdayFake } from '../../fakes/workday/index.js';
import { createWorld, fileDatabase, runSync, type SyncWorld } from './harness.js';
import { atsPrincipal, latestOutboxMessage, noQueues, pushLogOf } from './writes-support.js';

let fake: WorkdayFake;
let w: SyncWorld;

const database = fileDatabase(() => fake?.stop());

async function syncedWorld(): Promise<SyncWorld> {
  fake = await startWorkdayFake({ seed: 3, candidates: 40, requisitions: 3 });
  w = await createWorld({
    db: database(),
    provider: 'workday',
    module: workday,
    credentials: { username: fake.username, password: fake.password, tenant: fake.tenant },
    settings: {
      baseUrl: fake.url,
      requestTimeoutMs: 5_000,
      dispositionStepId: 'STEP-DISPOSITION',
      workflowSteps: fake.state.workflow.map((s) => ({ id: s.id, name: s.name, stageId: s.stageId })),
    },
    clock: fake.clock,
  });
  await runSync(w, 'full');
  return w;
}

async function localApplicationId(remoteId: string): Promise<string> {
  const [row] = await w.db.owner<{ local_id: string }[]>`
    select local_id from external_refs
    where integration_id = ${w.integrationId} and object_type = 'application' and remote_id = ${remoteId}`;
  return row!.local_id;
}

const outboxMessage = (eventType: string) => latestOutboxMessage(w, eventType);

const ats = () => atsPrincipal(w);
const budget = { remainingMs: () => 60_000 };

const pushLog = () => pushLogOf(w);

const moveOperations = () => fake.operations.filter((o) => o.operation === 'Move_Candidate');
const moveBodies = () => fake.requests.filter((r) => r.body.includes('Move_Candidate_Request'));

async function lastRefusedPush() {
  const [integration] = await w.db.owner<{ health_detail: Record<string, unknown> }[]>`
    select health_detail from integrations where id = ${w.integrationId}`;
  return integration!.health_detail['lastRefusedPush'];
}

describe('workday status push', () => {
  it('rejects the application with Move_Candidate and Disposition_Step_Reference, once', async () => {
    await syncedWorld();
    const app = reviewApplication(fake, 1);
    await changeStatus({ sql: w.db.app, queues: noQueues }, ats(), await localApplicationId(app.id), {
      status: 'rejected',
    });
    const message = await outboxMessage('application.status_changed');

    await handleSyncMessage(w.deps, message, budget);
    await handleSyncMessage(w.deps, message, budget);

    expect(fake.state.application(app.id)).toMatchObject({
      dispositionStepId: 'STEP-DISPOSITION',
      dispositionId: 'Not_Selected',
    });
    expect(await pushLog()).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(moveOperations()).toHaveLength(1);
    expect(moveBodies()[0]!.body).toMatch(
      /<wd:Disposition_Step_Reference><wd:ID wd:type="Workflow_Step_ID">STEP-DISPOSITION<\/wd:ID>/,
    );
  });

  it('records a rejection of an application Workday already dispositioned as refused, without retrying', async () => {
    await syncedWorld();
    const app = reviewApplication(fake, 3);
    await changeStatus({ sql: w.db.app, queues: noQueues }, ats(), await localApplicationId(app.id), {
      status: 'rejected',
    });
    // meanwhile the candidate withdrew in Workday
    fake.state.dispositionApplication(app.id, 'Candidate_Withdrew', 'STEP-WITHDRAWN');
    const message = await outboxMessage('application.status_changed');

    await handleSyncMessage(w.deps, message, budget);
    await handleSyncMessage(w.deps, message, budget);

    expect(fake.state.application(app.id)).toMatchObject({ dispositionId: 'Candidate_Withdrew' });
    expect(await pushLog()).toEqual([
      { status: 'refused', attempts: 1, last_error: expect.stringMatching(/already dispositioned/) },
    ]);
    expect(await lastRefusedPush()).toMatchObject({ outboxId: message.outboxId });
    expect(moveOperations()).toHaveLength(1);
  });
});

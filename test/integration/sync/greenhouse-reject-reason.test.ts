/**
 * A rejection through the hub (`POST /applications/{id}/status` with a `reasonId`) of an application linked to
 * Greenhouse goes out with that reason's remote id (its `rejection_reason` external ref), not the integration's
 * default reason. The links are written directly, as a sync would leave them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { changeStatus } from '../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { buildJobStages } from '../../../shared/domain/pipeline.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { greenhouseConnection } from './connections.js';
import { createWorld, type SyncWorld } from './harness.js';
import { atsPrincipal, budget, latestOutboxMessage, noQueues } from './writes-support.js';

let fake: GreenhouseFake;
let w: SyncWorld;

afterAll(async () => {
  await fake?.stop();
  await w?.db.close();
});

/** A hub application linked to the fake's application `remoteId`, in the hub's first stage. */
async function linkedApplication(remoteId: string): Promise<string> {
  const org = w.organizationId;
  const [jobId, candidateId, applicationId] = [randomUUID(), randomUUID(), randomUUID()];
  const stage = buildJobStages([])[0]!;
  await w.db.owner.begin(async (tx) => {
    await tx`insert into jobs (id, organization_id, title, employment_type, source)
      values (${jobId}, ${org}, 'Engineer', 'full_time', 'greenhouse')`;
    const [s] = await tx<{ id: string }[]>`
      insert into job_stages (organization_id, job_id, name, position, kind, owner, fixed)
      values (${org}, ${jobId}, ${stage.name}, ${stage.position}, ${stage.kind}, ${stage.owner}, ${stage.fixed})
      returning id`;
    await tx`insert into candidates (id, organization_id, first_name, last_name, email, source)
      values (${candidateId}, ${org}, 'Ada', 'Lovelace', ${`ada-${applicationId}@example.com`}, 'greenhouse')`;
    await tx`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
      values (${applicationId}, ${org}, ${candidateId}, ${jobId}, ${s!.id}, 'greenhouse')`;
    await tx`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
      values (${org}, ${w.integrationId}, 'application', ${applicationId}, ${remoteId})`;
  });
  return applicationId;
}

/** A reason synced from Greenhouse: the hub's row and its remote id. */
async function syncedReason(remoteId: string): Promise<string> {
  const id = randomUUID();
  await w.db.owner`insert into rejection_reasons (id, organization_id, name, source)
    values (${id}, ${w.organizationId}, 'Withdrew', 'greenhouse')`;
  await w.db
    .owner`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
    values (${w.organizationId}, ${w.integrationId}, 'rejection_reason', ${id}, ${remoteId})`;
  return id;
}

it('pushes the synced remote id of the rejection reason the hub chose', async () => {
  fake = await startGreenhouseFake({ candidates: 5, jobs: 1 });
  w = await createWorld(greenhouseConnection(fake, { defaultRejectionReasonId: '9001' }));
  const remote = fake.state.applications.find((a) => a.status === 'active')!;
  const applicationId = await linkedApplication(String(remote.id));
  const reasonId = await syncedReason('9002');
  await changeStatus({ sql: w.db.app, queues: noQueues }, atsPrincipal(w), applicationId, {
    status: 'rejected',
    reasonId,
  });

  await handleSyncMessage(w.deps, await latestOutboxMessage(w, 'application.status_changed'), budget);

  expect(fake.state.applicationById.get(remote.id)).toMatchObject({
    status: 'rejected',
    rejectionReasonId: 9002,
  });
});

/**
 * Write-back contract, the states a caller sees (docs/write-back.md): a refusal is a clear `failed` with the
 * provider's message and no retry storm; transient failures retry within the budget; a retry asked for by an
 * admin starts again; the resume waits for its scan; a pushed application's later moves reach the provider.
 */
import { describe, expect, it } from 'vitest';
import { moveStage } from '../../../../functions/stage-advance/use-case.js';
import { requeueFailedPush } from '../../../../shared/db/repositories/submission-pushes.js';
import { withTenant } from '../../../../shared/db/tenant.js';
import { providerFixtures } from '../../sync/contract/world.js';
import { latestOutboxMessage, noQueues } from '../../sync/writes-support.js';
import * as wb from './world.js';

const start = wb.writeBackWorlds();

/** Every provider request answers 503 from now on (token requests included): an outage. */
function outage(world: wb.WriteBackWorld): () => void {
  const previous = world.w.deps.fetch;
  world.w.deps.fetch = async () => new Response('{"message":"unavailable"}', { status: 503 });
  return () => {
    world.w.deps.fetch = previous;
  };
}

function principal(world: wb.WriteBackWorld, role: 'portal' | 'ats') {
  const keyId =
    role === 'portal' ? '00000000-0000-4000-8000-0000000000a1' : '00000000-0000-4000-8000-0000000000a2';
  return { organizationId: world.w.organizationId, role, keyId };
}

describe.each(providerFixtures)('$name write-back states', (fixture) => {
  it('records a refused create as failed with the provider message, and does not retry it', async () => {
    const world = await start(fixture);
    const submission = await wb.submit(world);
    await wb.uploadAndScan(world.w, submission);
    world.remote.denyNextCreate('candidate');

    const first = await wb.deliverAll(world.w, submission.applicationId);
    const requests = world.fake.requests.length;
    const again = await wb.deliverAll(world.w, submission.applicationId);

    expect(first).toContain('failed');
    expect(again.every((outcome) => outcome === 'failed')).toBe(true);
    expect(world.fake.requests.length).toBe(requests);
    expect(await wb.pushRowOf(world.w, submission.applicationId)).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error_code: 'refused',
      last_error_message: expect.any(String),
    });
    expect(await wb.outboxCount(world.w, submission.applicationId, 'application.push_failed')).toBe(1);
    expect(world.remote.remoteCounts(submission.email).candidates).toBe(0);
  });

  it('retries an outage until the budget is spent, then records failed', async () => {
    const world = await start(fixture);
    const submission = await wb.submit(world, { withResume: false });
    const restore = outage(world);
    const message = await latestOutboxMessage(world.w, 'application.created');

    const outcomes: string[] = [];
    for (let i = 0; i < world.w.deps.options.pushMaxAttempts + 1; i++)
      outcomes.push(await wb.deliver(world.w, message));
    restore();

    expect(outcomes).toEqual([
      ...Array(world.w.deps.options.pushMaxAttempts - 1).fill('retry'),
      'failed',
      'failed',
    ]);
    expect(await wb.pushRowOf(world.w, submission.applicationId)).toMatchObject({
      state: 'failed',
      last_error_code: 'transient',
    });
    expect(world.remote.remoteCounts(submission.email)).toEqual({
      candidates: 0,
      applications: 0,
      attachments: 0,
    });
  });

  it('pushes a failed submission when an admin asks for a retry', async () => {
    const world = await start(fixture);
    const submission = await wb.submit(world, { withResume: false });
    world.remote.denyNextCreate('candidate');
    await wb.deliverAll(world.w, submission.applicationId);

    const requeued = await withTenant(world.w.db.app, world.w.organizationId, 'admin', (tx) =>
      requeueFailedPush(tx, { applicationId: submission.applicationId, now: world.fake.clock.now() }),
    );
    await wb.deliverAll(world.w, submission.applicationId);

    expect(requeued).toBe(true);
    expect(await wb.pushRowOf(world.w, submission.applicationId)).toMatchObject({ state: 'pushed' });
    expect(world.remote.remoteCounts(submission.email)).toEqual({
      candidates: 1,
      applications: 1,
      attachments: 0,
    });
  });

  it('attaches the resume only once its scan says clean', async () => {
    const world = await start(fixture);
    const submission = await wb.submit(world);

    const beforeScan = await wb.deliverAll(world.w, submission.applicationId);
    const countsBeforeScan = world.remote.remoteCounts(submission.email).attachments;
    await wb.uploadAndScan(world.w, submission);
    await wb.deliverAll(world.w, submission.applicationId);

    expect(beforeScan).toEqual([expect.stringMatching(/^(pending|waiting)$/)]);
    expect(countsBeforeScan).toBe(0);
    expect(world.remote.attachedFiles(submission.email).map((f) => f.content)).toEqual([submission.resume]);
  });

  it('pushes without the resume when the scan rejects it', async () => {
    const world = await start(fixture);
    const submission = await wb.submit(world);
    await wb.uploadAndScan(world.w, submission, 'THREATS_FOUND');

    await wb.deliverAll(world.w, submission.applicationId);

    expect(world.remote.remoteCounts(submission.email)).toEqual({
      candidates: 1,
      applications: 1,
      attachments: 0,
    });
    expect(await wb.pushRowOf(world.w, submission.applicationId)).toMatchObject({ state: 'pushed' });
  });

  it('pushes a later stage move of the pushed application to the provider', async () => {
    const world = await start(fixture);
    const submission = await wb.submit(world, { withResume: false });
    await wb.deliverAll(world.w, submission.applicationId);
    // the portal walks its stages (hub-only, never pushed), then the ATS side moves it past the provider's first
    const [target] = await world.w.db.owner<{ name: string; remote_id: string }[]>`
      select s.name, r.remote_id from applications a
      join job_stages s on s.job_id = a.job_id and s.kind = 'custom'
      join external_refs r on r.object_type = 'stage' and r.local_id = s.id
      where a.id = ${submission.applicationId}
      order by s.position offset 1 limit 1`;
    const mover = { sql: world.w.db.app, queues: noQueues };
    await moveStage(mover, principal(world, 'portal'), submission.applicationId, { toStage: 'Shortlist' });
    await moveStage(mover, principal(world, 'portal'), submission.applicationId, {
      toStage: 'Client Endorsement',
    });
    await moveStage(mover, principal(world, 'ats'), submission.applicationId, { toStage: target!.name });
    await wb.deliver(world.w, await latestOutboxMessage(world.w, 'application.stage_changed'));

    const row = await wb.pushRowOf(world.w, submission.applicationId);
    expect(world.remote.stageOf(row!.application_remote_id!)).toBe(target!.remote_id);
  });
});

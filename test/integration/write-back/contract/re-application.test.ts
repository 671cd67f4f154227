/**
 * Write-back contract, re-application (docs/architecture.md, "Applications: the history"): after the hub closed a
 * pushed application, the same candidate's new portal application to the job is written back as a new remote
 * application, not matched to the earlier one the hub already holds.
 */
import { describe, expect, it } from 'vitest';
import { providerFixtures } from '../../sync/contract/world.js';
import * as wb from './world.js';

const start = wb.writeBackWorlds();

// BambooHR's client names the application it created by a lookup on email × job whose tie-break takes the applicant's
// first application there, which is the earlier one after a re-application: left to the BambooHR provider
const fixtures = providerFixtures.filter((f) => f.name !== 'bamboohr');

describe.each(fixtures)('$name write-back of a re-application', (fixture) => {
  it('creates a second remote application for the same candidate and job', async () => {
    // prepare
    const world = await start(fixture);
    const first = await wb.submit(world, { withResume: false });
    await wb.deliverAll(world.w, first.applicationId);
    await world.w.db.owner`update applications set status = 'rejected' where id = ${first.applicationId}`;
    const again = await wb.submit(world, { email: first.email, withResume: false });

    // act
    await wb.deliverAll(world.w, again.applicationId);

    // assess
    const [one, two] = [
      await wb.pushRowOf(world.w, first.applicationId),
      await wb.pushRowOf(world.w, again.applicationId),
    ];
    expect(two).toMatchObject({ state: 'pushed', candidate_remote_id: one!.candidate_remote_id });
    expect(two!.application_remote_id).not.toBe(one!.application_remote_id);
    expect(world.remote.remoteCounts(first.email)).toMatchObject({ candidates: 1, applications: 2 });
  });
});

/**
 * Status push quirks of the BambooHR fake (docs/providers.md §1.3, §6.1): a rejection becomes
 * `POST /applicant_tracking/applications/{id}/status` with the account's rejection status, once. Moves and stale
 * guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { type BamboohrFake, startBamboohrFake } from '../../fakes/bamboohr/index.js';
import { soleApplication } from '../../support/bamboohr-applications.js';
import { bamboohrConnection } from './connections.js';
import type { SyncWorld } from './harness.js';
import { handleTwice, pushLogOf, rejectInHub, syncedWorlds } from './writes-support.js';

let fake: BamboohrFake;
let w: SyncWorld;

const syncedWorld = syncedWorlds(
  () => startBamboohrFake({ seed: 4, applications: 60, jobs: 3 }),
  bamboohrConnection,
  (started) => ({ fake, w } = started),
);

/**
 * A "New" application that is its applicant's only one (so the hub stored it), on a job other than the first:
 * status ids are account-wide, and only the first job's stages hold them.
 */
function newApplication(skip = 0) {
  const firstJob = fake.state.jobs[0]!.id;
  return soleApplication(fake, (a) => a.statusId === 1 && a.jobId !== firstJob, skip);
}

const statusWrites = (id: number) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/applications/${id}/status`));

describe('bamboohr status push', () => {
  it('rejects with the account’s rejection status, once', async () => {
    await syncedWorld();
    const app = newApplication(1);
    const message = await rejectInHub(w, app.id);

    await handleTwice(w, message);

    // NOT_A_FIT, the first of the default rejected status codes
    expect(fake.state.application(app.id)!.statusId).toBe(10);
    expect(await pushLogOf(w)).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(statusWrites(app.id).map((r) => JSON.parse(r.body))).toEqual([{ status: 10 }]);
  });
});

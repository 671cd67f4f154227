/**
 * Status push quirks of the BambooHR fake (docs/providers.md §1.3, §6.1): a rejection becomes
 * `POST /applicant_tracking/applications/{id}/status` with the account's rejection status, once. Moves and stale
 * guards: contract/.
 */
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../../functions/stage-advance/use-case.js';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import { provider as bamboohr } from '../../../shared/providers/bamboohr/index.js';
import { type BamboohrFake, startBamboohrFake } from '../../fakes/bamboohr/index.js';
import { createWorld, fileDatabase, runSync, type SyncWorld } from './harness.js';
import { atsPrincipal, latestOutboxMessage, noQueues, pushLogOf } from './writes-support.js';

let fake: BamboohrFake;
let w: SyncWorld;

const database = fileDatabase(() => fake?.stop());

async function syncedWorld(): Promise<SyncWorld> {
  fake = await startBamboohrFake({ seed: 4, applications: 60, jobs: 3 });
  w = await createWorld({
    db: database(),
    provider: 'bamboohr',
    module: bamboohr,
    credentials: { apiKey: fake.apiKey, companyDomain: fake.companyDomain },
    settings: { baseUrl: fake.url, requestTimeoutMs: 5_000 },
    clock: fake.clock,
  });
  await runSync(w, 'full');
  return w;
}

/**
 * A "New" application that is its applicant's only one (so the hub stored it), on a job other than the first:
 * status ids are account-wide, and only the first job's stages hold them.
 */
function newApplication(skip = 0) {
  const perApplicant = new Map<number, number>();
  for (const a of fake.state.liveApplications())
    perApplicant.set(a.applicant.id, (perApplicant.get(a.applicant.id) ?? 0) + 1);
  const found = fake.state
    .liveApplications()
    .filter(
      (a) => a.statusId === 1 && perApplicant.get(a.applicant.id) === 1 && a.jobId !== fake.state.jobs[0]!.id,
    )[skip];
  if (!found) throw new Error('the seed has no such application');
  return found;
}

async function localApplicationId(remoteId: number): Promise<string> {
  const [row] = await w.db.owner<{ local_id: string }[]>`
    select local_id from external_refs
    where integration_id = ${w.integrationId} and object_type = 'application' and remote_id = ${String(remoteId)}`;
  return row!.local_id;
}

const outboxMessage = (eventType: string) => latestOutboxMessage(w, eventType);

const ats = () => atsPrincipal(w);
const budget = { remainingMs: () => 60_000 };

const pushLog = () => pushLogOf(w);

const statusWrites = (id: number) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/applications/${id}/status`));

describe('bamboohr status push', () => {
  it('rejects with the account’s rejection status, once', async () => {
    await syncedWorld();
    const app = newApplication(1);
    await changeStatus({ sql: w.db.app, queues: noQueues }, ats(), await localApplicationId(app.id), {
      status: 'rejected',
    });
    const message = await outboxMessage('application.status_changed');

    await handleSyncMessage(w.deps, message, budget);
    await handleSyncMessage(w.deps, message, budget);

    // NOT_A_FIT, the first of the default rejected status codes
    expect(fake.state.application(app.id)!.statusId).toBe(10);
    expect(await pushLog()).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(statusWrites(app.id).map((r) => JSON.parse(r.body))).toEqual([{ status: 10 }]);
  });
});

/**
 * Harvest v3's id-array filters take at most 50 ids, and the fake enforces the cap (422 above it). A full sync of
 * an account with more jobs than that asks for the job stages in batches of 50 and links every job's stages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { greenhouseConnection } from './connections.js';
import { createWorld, liveCounts, runSync } from './harness.js';

const JOBS = 121;
let db: TestDatabase;
let fake: GreenhouseFake;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startGreenhouseFake({ candidates: 5, jobs: JOBS });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});

describe('greenhouse account with more than 50 jobs', () => {
  it('syncs every job with its stages, asking for at most 50 job ids at a time', {
    timeout: 60_000,
  }, async () => {
    const w = await createWorld({ db, ...greenhouseConnection(fake, { perPage: 500 }) });

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect((await liveCounts(w)).jobs).toBe(JOBS);
    const stageRequests = fake.requests.filter((r) => r.path === '/v3/job_interview_stages');
    const idsPerRequest = stageRequests.map((r) => (r.query['job_ids']?.[0] ?? '').split(',').length);
    expect(Math.max(...idsPerRequest)).toBe(50);
    expect(idsPerRequest.reduce((a, b) => a + b, 0)).toBe(JOBS);
    const [unlinked] = await db.owner<{ n: number }[]>`
      select count(*)::int as n from jobs j where j.organization_id = ${w.organizationId}
        and not exists (select 1 from job_stages s join external_refs r on r.local_id = s.id and r.object_type = 'stage'
          where s.job_id = j.id)`;
    expect(unlinked!.n).toBe(0);
  });
});

/**
 * The job lifecycle through the routes: which status changes `PATCH /jobs/{jobId}` allows (docs/api.md, "Jobs"),
 * and that a job that is not open refuses portal submissions with 422 JOB_NOT_OPEN and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../../shared/domain/job-lifecycle.js';
import { type WriteBackWorld, writeBackWorld } from './write-back-api.js';

let world: WriteBackWorld;

beforeAll(async () => {
  world = await writeBackWorld();
});

afterAll(async () => {
  await world?.close();
});

/** A job in `status`, reached through the allowed steps. */
async function jobIn(status: JobStatus): Promise<string> {
  const res = await world.call('POST /jobs', {}, 'admin', {
    title: 'Support Engineer',
    employmentType: 'full_time',
    status: status === 'draft' ? 'draft' : 'open',
  });
  const jobId: string = res.body.id;
  if (status === 'paused' || status === 'closed') {
    await world.call('PATCH /jobs/{jobId}', { jobId }, 'admin', { status });
  }
  return jobId;
}

const patchStatus = (jobId: string, status: JobStatus) =>
  world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', { status });

const submit = (jobId: string, email: string) =>
  world.call('POST /applications', {}, 'portal', {
    jobId,
    candidate: { firstName: 'Ada', lastName: 'Lovelace', email },
  });

describe('job lifecycle', () => {
  it.each([
    ['draft', 'open'],
    ['draft', 'closed'],
    ['open', 'paused'],
    ['open', 'closed'],
    ['paused', 'open'],
    ['paused', 'closed'],
    ['closed', 'open'],
  ] as const)('allows %s → %s', async (from, to) => {
    const jobId = await jobIn(from);

    const res = await patchStatus(jobId, to);

    expect([res.status, res.body.status]).toEqual([200, to]);
  });

  it.each([
    ['draft', 'paused'],
    ['open', 'draft'],
    ['paused', 'draft'],
    ['closed', 'draft'],
    ['closed', 'paused'],
  ] as const)('refuses %s → %s with 422 INVALID_TRANSITION and writes nothing', async (from, to) => {
    const jobId = await jobIn(from);
    const [before] = await world.db.owner`
      select status, (select count(*)::int from outbox where aggregate_id = ${jobId}) as events
      from jobs where id = ${jobId}`;

    const res = await patchStatus(jobId, to);

    const [after] = await world.db.owner`
      select status, (select count(*)::int from outbox where aggregate_id = ${jobId}) as events
      from jobs where id = ${jobId}`;
    expect([res.status, res.body.error.code]).toEqual([422, 'INVALID_TRANSITION']);
    expect(after).toEqual(before);
  });

  it.each(['draft', 'paused', 'closed'] as const)(
    'a %s job refuses portal submissions with 422 JOB_NOT_OPEN and writes nothing',
    async (status) => {
      const jobId = await jobIn(status);
      const email = `refused-${status}@example.com`;

      const res = await submit(jobId, email);

      const [written] = await world.db.owner`
        select (select count(*)::int from applications where job_id = ${jobId}) as applications,
          (select count(*)::int from candidates where lower(email) = ${email}) as candidates`;
      expect([res.status, res.body.error.code]).toEqual([422, 'JOB_NOT_OPEN']);
      expect(written).toEqual({ applications: 0, candidates: 0 });
    },
  );

  it('a paused job takes submissions again once it is open', async () => {
    const jobId = await jobIn('paused');
    await patchStatus(jobId, 'open');

    const res = await submit(jobId, 'resumed@example.com');

    expect(res.status).toBe(201);
  });

  it('leaves a paused job out of GET /jobs, which lists open jobs', async () => {
    const jobId = await jobIn('paused');

    const res = await world.call('GET /jobs', {}, 'portal');

    expect(res.body.items.map((j: { id: string }) => j.id)).not.toContain(jobId);
  });
});

/**
 * `PATCH /jobs/{jobId}` through the job-admin handler: the richer fields, their validation (nothing written on
 * bad input), the `job.updated` event, and the job views that carry the fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuesFor } from '../../../shared/outbox/routing.js';
import { type WriteBackWorld, writeBackWorld } from './write-back-api.js';

let world: WriteBackWorld;

beforeAll(async () => {
  world = await writeBackWorld();
});

afterAll(async () => {
  await world?.close();
});

async function newJob(status: 'draft' | 'open' = 'open'): Promise<string> {
  const res = await world.call('POST /jobs', {}, 'admin', {
    title: 'Data Engineer',
    employmentType: 'full_time',
    status,
  });
  return res.body.id;
}

/** What a rejected request must leave untouched: the job row and its events. */
async function footprint(jobId: string) {
  const [row] = await world.db.owner`
    select to_jsonb(j) - 'updated_at' as job,
      (select count(*)::int from outbox where aggregate_id = ${jobId}) as events
    from jobs j where j.id = ${jobId}`;
  return row;
}

async function jobEvents(jobId: string) {
  return world.db.owner<{ event_type: string; payload: Record<string, unknown> }[]>`
    select event_type, payload from outbox where aggregate_id = ${jobId} order by id`;
}

const edit = {
  title: 'Senior Data Engineer',
  description: 'Builds the pipelines.',
  department: 'Engineering',
  office: 'Berlin',
  remotePolicy: 'hybrid',
  salaryRange: { min: 70000, max: 90000.5, currency: 'EUR' },
};

describe('PATCH /jobs/{jobId}', () => {
  it('stores every editable field and answers the job with them', async () => {
    const jobId = await newJob();

    const res = await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', edit);

    expect([res.status, res.body]).toEqual([
      200,
      expect.objectContaining({ ...edit, id: jobId, status: 'open' }),
    ]);
  });

  it('shows the fields on GET /jobs/{jobId} and in GET /jobs', async () => {
    const jobId = await newJob();
    await world.call('PATCH /jobs/{jobId}', { jobId }, 'admin', edit);

    const one = await world.call('GET /jobs/{jobId}', { jobId }, 'portal');
    const list = await world.call('GET /jobs', {}, 'portal');

    expect(one.body).toMatchObject(edit);
    expect(list.body.items.find((j: { id: string }) => j.id === jobId)).toMatchObject(edit);
  });

  it('answers null for the fields a new job has not set', async () => {
    const jobId = await newJob();

    const res = await world.call('GET /jobs/{jobId}', { jobId }, 'ats');

    expect(res.body).toMatchObject({
      description: null,
      department: null,
      office: null,
      remotePolicy: null,
      salaryRange: null,
    });
  });

  it('clears an optional field given null', async () => {
    const jobId = await newJob();
    await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', edit);

    const res = await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', {
      salaryRange: null,
      office: null,
    });

    expect(res.body).toMatchObject({ salaryRange: null, office: null, department: 'Engineering' });
  });

  it('writes one job.updated event naming the changed fields and the status', async () => {
    const jobId = await newJob();

    await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', {
      title: 'Data Engineer',
      status: 'paused',
      office: 'Oslo',
    });

    // the title is unchanged, so it is not named
    expect(await jobEvents(jobId)).toEqual([
      { event_type: 'job.updated', payload: { jobId, status: 'paused', changed: ['status', 'office'] } },
    ]);
  });

  it('writes nothing and sends no event when the patch changes nothing', async () => {
    const jobId = await newJob();
    await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', edit);
    const before = await footprint(jobId);

    const res = await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', { ...edit, status: 'open' });

    expect(res.status).toBe(200);
    expect(await footprint(jobId)).toEqual(before);
  });

  it.each([
    ['min above max', { salaryRange: { min: 90000, max: 70000, currency: 'EUR' } }],
    ['a lower-case currency', { salaryRange: { min: 1, max: 2, currency: 'eur' } }],
    ['a currency of four letters', { salaryRange: { min: 1, max: 2, currency: 'EURO' } }],
    ['a range without currency', { salaryRange: { min: 1, max: 2 } }],
    ['a negative bound', { salaryRange: { min: -1, max: 2, currency: 'USD' } }],
    ['an unknown status', { status: 'archived' }],
    ['an unknown remote policy', { remotePolicy: 'anywhere' }],
    ['an empty title', { title: '  ' }],
    ['a department of 201 characters', { department: 'x'.repeat(201) }],
    ['an unknown field', { location: 'Berlin' }],
    ['an empty body', {}],
  ])('refuses %s with 400 VALIDATION_FAILED and writes nothing', async (_case, body) => {
    const jobId = await newJob();
    const before = await footprint(jobId);

    const res = await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', body);

    expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await footprint(jobId)).toEqual(before);
  });

  it('answers 404 for a job that does not exist', async () => {
    const res = await world.call(
      'PATCH /jobs/{jobId}',
      { jobId: '00000000-0000-4000-8000-000000000000' },
      'ats',
      { title: 'Ghost' },
    );

    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses the portal role with 403', async () => {
    const jobId = await newJob();

    const res = await world.call('PATCH /jobs/{jobId}', { jobId }, 'portal', { title: 'Mine now' });

    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('edits a synced job in the hub and sends its event to notifications only, not to a provider push', async () => {
    const jobId = await world.syncedJob();

    const res = await world.call('PATCH /jobs/{jobId}', { jobId }, 'ats', { status: 'closed' });

    const events = await jobEvents(jobId);
    expect(res.body.status).toBe('closed');
    expect(events.map((e) => [e.event_type, queuesFor(e.event_type)])).toEqual([['job.updated', ['notify']]]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WriteBackWorld, writeBackWorld } from './write-back-api.js';

let world: WriteBackWorld;
let syncedJobId: string;

beforeAll(async () => {
  world = await writeBackWorld();
  syncedJobId = await world.syncedJob('gh-job-4711');
});

afterAll(async () => {
  await world?.close();
});

const greenhouseSource = () => ({
  provider: 'greenhouse',
  integrationId: world.graph.integrationId,
  remoteId: 'gh-job-4711',
});

describe('job source', () => {
  it('lists a synced job to the portal with its provider, integration and remote id', async () => {
    const res = await world.call('GET /jobs', {}, 'portal');
    const job = res.body.items.find((j: { id: string }) => j.id === syncedJobId);
    expect(job?.source).toEqual(greenhouseSource());
  });

  it('lists a job created in the hub with source null', async () => {
    const res = await world.call('GET /jobs', {}, 'portal');
    const job = res.body.items.find((j: { id: string }) => j.id === world.graph.jobId);
    expect(job).toMatchObject({ source: null });
  });

  it('shows the source on GET /jobs/{jobId}', async () => {
    const res = await world.call('GET /jobs/{jobId}', { jobId: syncedJobId }, 'ats');
    expect(res.body.source).toEqual(greenhouseSource());
  });

  it('lets the portal submit to a synced job', async () => {
    const res = await world.call('POST /applications', {}, 'portal', {
      jobId: syncedJobId,
      candidate: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada.synced@example.com' },
    });
    expect([res.status, res.body.application?.jobId]).toEqual([201, syncedJobId]);
  });
});

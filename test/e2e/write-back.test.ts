/**
 * Write-back through the local runtime (docs/write-back.md), for every provider fake: an admin connects the
 * provider and syncs it over HTTP; the portal lists the synced job and submits to it; the browser uploads the
 * resume with the presigned POST; the local GuardDuty simulation scans it clean; the scheduler's relay and the
 * sync worker push the submission. The fake then holds exactly one candidate, application and attachment with the
 * uploaded bytes, `GET /applications/{id}` says `pushed`, and a later ATS stage move reaches the provider.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import type { ProviderFixture, RunningFake } from '../fakes/fixture.js';
import { providerFixtures } from '../fakes/index.js';
import { pdf } from '../integration/write-back/contract/world.js';
import { apiClient, fileRuntime, pollUntil, type TestRuntime } from '../support/local-runtime.js';

const POLL_MS = 50;
const WAIT_MS = 30_000;
/** The documented per-integration pace override keeps the file fast for providers without a published limit. */
const PACE = { requestsPerSecond: 20, burst: 5 };

let t: TestRuntime;
let owner: Sql;
let running: { fake: RunningFake; ticking: NodeJS.Timeout } | undefined;

fileRuntime((runtime, sql) => {
  t = runtime;
  owner = sql;
});

afterEach(async () => {
  if (running) clearInterval(running.ticking);
  await running?.fake.stop();
  running = undefined;
});

/** Polls `probe`; between tries the scheduler's relay publishes outbox rows (its local tick is off in tests). */
const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
  pollUntil(what, probe, {
    waitMs: WAIT_MS,
    pollMs: POLL_MS,
    between: () => t.runtime.runSchedule('sync-tick'),
  });

/** A fake whose clock follows real time (the runtime's clock is real), connected to a new organization. */
async function connected(fixture: ProviderFixture) {
  const fake = await fixture.start({ records: 20, jobs: 2, throttled: false });
  fake.clock.set(Date.now());
  running = {
    fake,
    ticking: setInterval(() => fake.clock.set(Math.max(Date.now(), fake.clock.nowMs())), 20),
  };
  const [org] = await owner<{ id: string }[]>`
    insert into organizations (name) values (${`Write-back e2e ${fixture.name}`}) returning id`;
  const organizationId = org!.id;
  const key = async (role: 'admin' | 'ats' | 'portal') =>
    apiClient(
      t.runtime.baseUrl,
      (await insertApiKey(owner, { organizationId, role, label: `e2e ${role}` })).key,
    );
  const admin = await key('admin');
  const created = await admin('POST', '/integrations', {
    provider: fixture.name,
    credentials: fake.credentials,
    settings: { ...fake.settings, ...fake.writeBack.writeBackSettings, rateLimit: PACE },
  });
  expect(created.status).toBe(201);
  const integrationId = created.body.id as string;
  const sync = await admin('POST', `/integrations/${integrationId}/sync`, { mode: 'full' });
  expect(sync.status).toBe(202);
  await until('the full sync', async () => {
    const runs = await admin('GET', `/integrations/${integrationId}/runs`);
    const run = runs.body.items.find((r: { id: string }) => r.id === sync.body.syncRunId);
    return run && ['succeeded', 'partial'].includes(run.status) ? run : undefined;
  });
  return { fake, admin, ats: await key('ats'), portal: await key('portal'), integrationId };
}

/** The browser's part: the presigned POST to the object store, the file last. */
async function upload(target: { url: string; fields: Record<string, string> }, bytes: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'resume.pdf');
  const response = await fetch(target.url, { method: 'POST', body: form });
  expect(response.status).toBeLessThan(300);
}

describe.each(providerFixtures)('$name write-back through the local runtime', (fixture) => {
  it('pushes a portal submission once, with its resume, and a later ATS move after it', async () => {
    const { fake, admin, ats, portal, integrationId } = await connected(fixture);
    const remoteJobId = fake.writeBack.openJobRemoteIds()[0]!;
    const jobs = await portal('GET', '/jobs?limit=200');
    const job = jobs.body.items.find(
      (j: { source: { remoteId: string } | null }) => j.source?.remoteId === remoteJobId,
    );
    expect(job.source).toEqual({ provider: fixture.name, integrationId, remoteId: remoteJobId });
    const email = `e2e-${randomUUID().slice(0, 8)}@example.test`;
    const resume = pdf(email);

    const submitted = await portal('POST', '/applications', {
      jobId: job.id,
      candidate: { firstName: 'Ada', lastName: 'Applicant', email },
      resume: { fileName: 'resume.pdf', contentType: 'application/pdf', sizeBytes: resume.length },
    });
    expect(submitted.status).toBe(201);
    const applicationId = submitted.body.application.id as string;
    await upload(submitted.body.resumeUpload, resume);
    const pushed = await until('the push', async () => {
      const view = await ats('GET', `/applications/${applicationId}`);
      return view.body.push?.state === 'pushed' ? view.body : undefined;
    });

    console.info(`${fixture.name} e2e: ${JSON.stringify(fake.writeBack.remoteCounts(email))}`);
    expect(fake.writeBack.remoteCounts(email)).toEqual({ candidates: 1, applications: 1, attachments: 1 });
    expect(fake.writeBack.attachedFiles(email).map((f) => f.content)).toEqual([resume]);
    const refs = pushed.externalRefs as { type: string; remoteId: string }[];
    expect(refs.map((r) => r.type).sort()).toEqual(['application', 'attachment', 'candidate']);

    const stages = await owner<{ name: string; remote_id: string }[]>`
      select s.name, r.remote_id from job_stages s
      join external_refs r on r.object_type = 'stage' and r.local_id = s.id
      where s.job_id = ${job.id} and s.kind = 'custom' order by s.position offset 1 limit 1`;
    for (const toStage of ['Shortlist', 'Client Endorsement'])
      expect((await portal('POST', `/applications/${applicationId}/stage`, { toStage })).status).toBe(200);
    expect(
      (await ats('POST', `/applications/${applicationId}/stage`, { toStage: stages[0]!.name })).status,
    ).toBe(200);
    const remoteApplication = refs.find((r) => r.type === 'application')!.remoteId;
    await until('the move at the provider', async () =>
      fake.writeBack.stageOf(remoteApplication) === stages[0]!.remote_id ? true : undefined,
    );
    expect((await admin('GET', `/applications/${applicationId}`)).body.push.attempts).toBeGreaterThan(0);
  });
});

/**
 * Issue #20, done when: through the local runtime, an admin erases a person who has synced Greenhouse applications
 * with their history, a portal application with a resume, raw provider pages and a Greenhouse link. Afterwards no
 * text column of any table holds their name, email or phone, the bucket holds no object naming them, the funnel's
 * counts are unchanged, the fake Greenhouse was asked to anonymize them once, and a following incremental sync does
 * not re-create them.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore, s3ClientConfig } from '../../shared/aws/s3-object-store.js';
import type { Sql } from '../../shared/db/client.js';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { ERASED_SKIP_MESSAGE } from '../../shared/privacy/reappearance.js';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { type GreenhouseFake, startGreenhouseFake } from '../fakes/greenhouse/index.js';
import { pdf } from '../integration/write-back/contract/world.js';
import { apiClient, fileRuntime, pollUntil, type TestRuntime } from '../support/local-runtime.js';
import { columnsHolding, funnelCounts } from '../support/personal-data.js';
import { syncedOrganization } from '../support/synced-organization.js';

type Client = ReturnType<typeof apiClient>;
let t: TestRuntime;
let owner: Sql;
let fake: GreenhouseFake;
let admin: Client;
let integrationId: string;
let organizationId: string;
let bucket: S3ObjectStore;

const tag = randomUUID().slice(0, 8);
const person = {
  firstName: `Zebulon${tag}`,
  lastName: `Quarrington${tag}`,
  email: `zq-${tag}@example.com`,
  phone: `+44 7700 ${tag.slice(0, 6)}`,
};
const markers = Object.values(person);
let remoteCandidateId: number;
let candidateId: string;
let documentKey: string;
let funnelBefore: unknown;
let erasure: { state: string; steps: { name: string; state: string; detail: Record<string, unknown> }[] };

const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
  pollUntil(what, probe, { waitMs: 60_000, pollMs: 100, between: () => t.runtime.runSchedule('sync-tick') });

fileRuntime((runtime, sql) => {
  t = runtime;
  owner = sql;
});

/** Every object key under a prefix whose body names the person. */
async function objectsNaming(prefix: string): Promise<string[]> {
  const hits: string[] = [];
  for (const key of await bucket.list(prefix)) {
    const object = await bucket.get(key).catch(() => undefined);
    const text = object?.body.toString('utf8').toLowerCase() ?? '';
    if (markers.some((m) => text.includes(m.toLowerCase()))) hits.push(key);
  }
  return hits;
}

async function syncRun(mode: 'full' | 'incremental') {
  const requested = await admin('POST', `/integrations/${integrationId}/sync`, { mode });
  return until(`the ${mode} sync`, async () => {
    const runs = await admin('GET', `/integrations/${integrationId}/runs`);
    const run = runs.body.items.find((r: { id: string }) => r.id === requested.body.syncRunId);
    return run && ['succeeded', 'partial', 'failed'].includes(run.status) ? run : undefined;
  });
}

beforeAll(async () => {
  fake = await startGreenhouseFake({ jobs: 2, candidates: 12, clock: createControllableClock(Date.now()) });
  // the person: a Greenhouse candidate with an application, under a name nobody else has
  const gh = fake.state.candidates.find((c) => fake.state.applications.some((a) => a.candidateId === c.id))!;
  Object.assign(gh, {
    firstName: person.firstName,
    lastName: person.lastName,
    emails: [person.email],
    phones: [person.phone],
  });
  remoteCandidateId = gh.id;
  const synced = await syncedOrganization(t, owner, {
    provider: 'greenhouse',
    credentials: { clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret },
    settings: { baseUrl: fake.url, authUrl: fake.authUrl },
  });
  admin = synced.admin;
  const [ref] = await owner<{ local_id: string; integration_id: string; organization_id: string }[]>`
    select local_id, integration_id, organization_id from external_refs
    where object_type = 'candidate' and remote_id = ${String(remoteCandidateId)} order by created_at desc limit 1`;
  candidateId = ref!.local_id;
  integrationId = ref!.integration_id;
  organizationId = ref!.organization_id;
  bucket = new S3ObjectStore({
    bucket: process.env.BUCKET_NAME ?? 'hub-local',
    clientConfig: s3ClientConfig({ region: 'us-east-1', endpoint: t.runtime.objectStore.url }),
  });

  // the same person applies through the portal to a job of the hub, with a resume, and moves on a stage
  const portal = apiClient(
    t.runtime.baseUrl,
    (await insertApiKey(owner, { organizationId, role: 'portal', label: 'e2e portal' })).key,
  );
  const job = await synced.ats('POST', '/jobs', { title: 'Privacy e2e', employmentType: 'full_time' });
  const resume = pdf(person.email);
  const submitted = await portal('POST', '/applications', {
    jobId: job.body.id,
    candidate: {
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      phone: person.phone,
    },
    resume: { fileName: `${person.lastName}.pdf`, contentType: 'application/pdf', sizeBytes: resume.length },
  });
  expect(submitted.status).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(submitted.body.resumeUpload.fields as Record<string, string>))
    form.append(name, value);
  form.append('file', new Blob([resume], { type: 'application/pdf' }), 'resume.pdf');
  expect((await fetch(submitted.body.resumeUpload.url, { method: 'POST', body: form })).status).toBeLessThan(
    300,
  );
  const applicationId = submitted.body.application.id as string;
  await until('the clean resume', async () => {
    const view = await synced.ats('GET', `/applications/${applicationId}`);
    return view.body.documents?.[0]?.scanStatus === 'clean' ? true : undefined;
  });
  expect(
    (await portal('POST', `/applications/${applicationId}/stage`, { toStage: 'Shortlist' })).status,
  ).toBe(200);
  const [document] = await owner<{ s3_key: string }[]>`
    select s3_key from candidate_documents where candidate_id = ${candidateId}`;
  documentKey = document!.s3_key;
  expect(await objectsNaming(`raw/${organizationId}/`)).not.toEqual([]);
  funnelBefore = await funnelCounts(owner, organizationId);

  const requested = await admin('POST', `/candidates/${candidateId}/erase`, {
    reason: 'GDPR art. 17 request, ticket 20',
    propagate: true,
  });
  expect(requested.status).toBe(202);
  erasure = await until('the erasure', async () => {
    const view = await admin('GET', `/erasures/${requested.body.erasureId}`);
    return ['done', 'failed'].includes(view.body.state) ? view.body : undefined;
  });
}, 180_000);

describe('an erasure through the local runtime', () => {
  it('ends done, with Greenhouse anonymizing the person', () => {
    expect(erasure.state).toBe('done');
    const providers = erasure.steps.find((s) => s.name === 'providers')!;
    expect(providers.detail['providers']).toEqual([
      { integrationId, provider: 'greenhouse', outcome: 'anonymized' },
    ]);
  });

  it('leaves no name, email or phone of the person in any text column of any table', async () => {
    expect(await columnsHolding(owner, markers)).toEqual([]);
  });

  it('leaves no resume of the person in the bucket', async () => {
    expect(await bucket.list(documentKey)).toEqual([]);
  });

  it('leaves no raw provider page naming the person', async () => {
    expect(await objectsNaming(`raw/${organizationId}/`)).toEqual([]);
  });

  it('keeps the funnel counts', async () => {
    expect(await funnelCounts(owner, organizationId)).toEqual(funnelBefore);
  });

  it('asked the fake Greenhouse to anonymize once', () => {
    expect(fake.privacy.calls).toEqual([remoteCandidateId]);
  });

  it('is not undone by a following incremental sync', async () => {
    fake.touchCandidate(remoteCandidateId);

    const run = await syncRun('incremental');

    expect(run.status).not.toBe('failed');
    const [candidate] = await owner`select first_name, last_name from candidates where id = ${candidateId}`;
    expect(candidate).toEqual({ first_name: 'Erased', last_name: 'Candidate' });
    const linked = await owner`select local_id from external_refs
      where integration_id = ${integrationId} and object_type = 'candidate' and remote_id = ${String(remoteCandidateId)}`;
    expect(linked).toEqual([{ local_id: candidateId }]);
    const flagged = await owner`select 1 from import_log
      where integration_id = ${integrationId} and remote_id = ${String(remoteCandidateId)} and message = ${ERASED_SKIP_MESSAGE}`;
    expect(flagged.length).toBeGreaterThan(0);
  });
});

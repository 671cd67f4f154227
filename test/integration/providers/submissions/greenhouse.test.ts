/**
 * Greenhouse write-back quirks, the client against its fake (docs/write-back-notes.md §1): v3 only, the acting user
 * as token `sub`, candidate + application in one create, resumes as base64 attachments found by file name, and
 * Greenhouse's refusals mapped to ProviderError kinds. The exactly-once scenarios live in write-back/contract.
 */
import { describe, expect, it } from 'vitest';
import type {
  ProviderError,
  SubmissionAttribution,
  SubmissionFile,
  SubmissionWriter,
} from '../../../../shared/ports/provider.js';
import { provider } from '../../../../shared/providers/greenhouse/index.js';
import { fakeLifecycle } from '../../../fakes/common/lifecycle.js';
import {
  type GreenhouseFake,
  type GreenhouseFakeOptions,
  startGreenhouseFake,
} from '../../../fakes/greenhouse/index.js';
import { caught } from '../client-harness.js';

let fake: GreenhouseFake;
const fakes = fakeLifecycle(startGreenhouseFake, { jobs: 3, candidates: 4, rateLimit: false });

async function writer(options: GreenhouseFakeOptions = {}): Promise<SubmissionWriter> {
  fake = await fakes.start(options);
  const client = provider.createClient({
    credentials: fake.credentials,
    settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 1_000 },
    clock: fake.clock,
  });
  return client.submissions!;
}

const attribution: SubmissionAttribution = { actingUserId: '102', sourceId: '31' };
const person = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.org',
  phone: '+44 20 7946 0000',
};
const resume = (fileName = 'ada-cv__s1.pdf'): SubmissionFile => ({
  fileName,
  contentType: 'application/pdf',
  content: Buffer.from('%PDF-1.7 ada'),
});
const openJob = () => String(fake.state.jobs.find((j) => j.status === 'open')!.id);
const tokenSubs = () =>
  fake.requests.filter((r) => r.path === '/token').map((r) => new URLSearchParams(r.body).get('sub'));

describe('greenhouse submissions: lookups', () => {
  it('finds a candidate by any of their addresses, case-insensitively', async () => {
    const submissions = await writer();
    const seeded = fake.submissions.seedCandidate({
      firstName: 'A',
      lastName: 'L',
      email: 'Ada@Example.org',
    });

    const found = await submissions.findCandidate({ email: 'ada@example.ORG', jobRemoteId: openJob() });

    expect(found).toBe(String(seeded.id));
    expect(fake.requests.find((r) => r.path === '/v3/candidates')!.query['email']).toEqual([
      'ada@example.ORG',
    ]);
  });

  it('adopts the lowest id among duplicate candidates, so every retry picks the same one', async () => {
    const submissions = await writer();
    const first = fake.submissions.seedCandidate({ firstName: 'A', lastName: 'L', email: person.email });
    fake.submissions.seedCandidate({ firstName: 'A', lastName: 'L', email: person.email });

    expect(await submissions.findCandidate({ email: person.email, jobRemoteId: openJob() })).toBe(
      String(first.id),
    );
  });

  it("finds the candidate's application on that job only", async () => {
    const submissions = await writer();
    const app = fake.state.applications[0]!;
    const otherJob = fake.state.jobs.find((j) => j.id !== app.jobId)!;
    const lookup = (jobRemoteId: string) =>
      submissions.findApplication({ candidateRemoteId: String(app.candidateId), jobRemoteId, email: '' });

    expect([await lookup(String(app.jobId)), await lookup(String(otherJob.id))]).toEqual([
      String(app.id),
      null,
    ]);
    expect(fake.requests.find((r) => r.path === '/v3/applications')!.query).toMatchObject({
      candidate_ids: [String(app.candidateId)],
      job_ids: [String(app.jobId)],
    });
  });
});

describe('greenhouse submissions: creates', () => {
  it('creates the candidate and its application in one call, as the acting user, crediting the source', async () => {
    const submissions = await writer();

    const created = await submissions.createCandidate({
      person,
      jobRemoteId: openJob(),
      resume: null,
      attribution,
    });

    const app = fake.state.applicationById.get(Number(created.applicationRemoteId))!;
    expect(app).toMatchObject({ candidateId: Number(created.candidateRemoteId), jobId: Number(openJob()) });
    expect(created.attachmentRemoteId).toBeNull();
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v3/'))).toHaveLength(1);
    expect(fake.submissions.created.get(`application:${app.id}`)).toEqual({ byUserId: 102, sourceId: 31 });
    expect(tokenSubs()).toEqual(['102']);
  });

  it('adds an application to an existing candidate, which the lookup then finds', async () => {
    const submissions = await writer();
    const candidate = fake.submissions.seedCandidate({ firstName: 'A', lastName: 'L', email: person.email });
    const input = { candidateRemoteId: String(candidate.id), jobRemoteId: openJob() };

    const { applicationRemoteId } = await submissions.createApplication({
      ...input,
      person,
      resume: null,
      attribution,
    });

    expect(await submissions.findApplication({ ...input, email: person.email })).toBe(applicationRemoteId);
    const body = JSON.parse(
      fake.requests.find((r) => r.path === '/v3/applications' && r.method === 'POST')!.body,
    );
    expect(body).toEqual({ candidate_id: candidate.id, job_id: Number(openJob()), source_id: 31 });
  });

  it('attaches the resume as base64 content of type resume, found afterwards by its file name', async () => {
    const submissions = await writer();
    const app = fake.state.applications[1]!;
    const ids = { candidateRemoteId: String(app.candidateId), applicationRemoteId: String(app.id) };

    const id = await submissions.attachResume({ ...ids, file: resume(), attribution });

    expect(fake.submissions.attachments).toMatchObject([
      { id: Number(id), applicationId: app.id, type: 'resume', content: resume().content },
    ]);
    expect(await submissions.findAttachment({ ...ids, fileName: 'ada-cv__s1.pdf', sizeBytes: 12 })).toBe(id);
    expect(await submissions.findAttachment({ ...ids, fileName: 'other.pdf', sizeBytes: 12 })).toBeNull();
  });

  it('loses the first resume to `other` when a second is uploaded (why the hub looks before attaching)', async () => {
    const submissions = await writer();
    const app = fake.state.applications[1]!;
    const ids = { candidateRemoteId: String(app.candidateId), applicationRemoteId: String(app.id) };
    await submissions.attachResume({ ...ids, file: resume('first.pdf'), attribution });

    await submissions.attachResume({ ...ids, file: resume('second.pdf'), attribution });

    expect(fake.submissions.attachments.map((a) => a.type)).toEqual(['other', 'resume']);
    expect(await submissions.findAttachment({ ...ids, fileName: 'first.pdf', sizeBytes: 12 })).toBeNull();
  });
});

describe('greenhouse submissions: refusals', () => {
  it("refuses an acting user without the permission with Greenhouse's message, creating nothing", async () => {
    const submissions = await writer({ submissions: { readOnlyUserIds: [102] } });
    const before = fake.state.candidates.length;

    const error = await caught(
      submissions.createCandidate({ person, jobRemoteId: openJob(), resume: null, attribution }),
    );

    expect(error).toMatchObject({
      kind: 'refused',
      status: 403,
      message: 'Forbidden: the user cannot perform this action',
    } satisfies Partial<ProviderError>);
    expect(fake.state.candidates).toHaveLength(before);
  });

  it('refuses a lookup when the credentials lack the list scope', async () => {
    const submissions = await writer({ submissions: { missingScopes: ['harvest:candidates:list'] } });

    const error = await caught(submissions.findCandidate({ email: person.email, jobRemoteId: openJob() }));

    expect(error).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('refuses a closed job with the validation message', async () => {
    const submissions = await writer({ jobs: 7 });
    const closed = fake.state.jobs.find((j) => j.status === 'closed')!;

    const error = await caught(
      submissions.createCandidate({ person, jobRemoteId: String(closed.id), resume: null, attribution }),
    );

    expect(error).toMatchObject({ kind: 'refused', status: 422, message: `job ${closed.id} is not open` });
  });

  it('refuses a file of a blocklisted extension', async () => {
    const submissions = await writer();
    const app = fake.state.applications[0]!;

    const error = await caught(
      submissions.attachResume({
        candidateRemoteId: String(app.candidateId),
        applicationRemoteId: String(app.id),
        file: resume('cv.exe'),
        attribution,
      }),
    );

    expect(error).toMatchObject({ kind: 'refused', status: 422, message: '.exe files are not allowed' });
    expect(fake.submissions.attachments).toEqual([]);
  });

  it('answers 429 with Retry-After, read as rate_limited', async () => {
    const submissions = await writer({ rateLimit: { limit: 1, windowSeconds: 10 } });
    await submissions.findCandidate({ email: person.email, jobRemoteId: openJob() });

    const error = await caught(submissions.findCandidate({ email: person.email, jobRemoteId: openJob() }));

    expect(error).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('reports a lost create response as transient while the candidate exists, for the lookup to adopt', async () => {
    const submissions = await writer();
    fake.failNext(1, { kind: 'lost' }, (r) => r.method === 'POST' && r.path === '/v3/candidates');

    const error = await caught(
      submissions.createCandidate({ person, jobRemoteId: openJob(), resume: null, attribution }),
    );
    const adopted = await submissions.findCandidate({ email: person.email, jobRemoteId: openJob() });

    expect(error.kind).toBe('transient');
    expect(adopted).toBe(String(fake.state.candidates.at(-1)!.id));
  });
});

describe('greenhouse fake: submission rules', () => {
  const post = (path: string, body: unknown) =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { ...fake.bearerHeaders('101'), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers 422 when an attachment has both or neither of content and url', async () => {
    await writer();
    const base = { application_id: fake.state.applications[0]!.id, filename: 'cv.pdf', type: 'resume' };

    const both = await post('/v3/attachments', {
      ...base,
      content: 'JVBERg==',
      url: 'https://x.test/cv.pdf',
    });
    const neither = await post('/v3/attachments', base);

    expect([both.status, neither.status]).toEqual([422, 422]);
  });

  it('answers 422 to a property the create does not permit, creating nothing', async () => {
    await writer();
    const before = fake.state.candidates.length;

    const response = await post('/v3/candidates', { first_name: 'A', last_name: 'L', attachments: [] });

    expect(response.status).toBe(422);
    expect(fake.state.candidates).toHaveLength(before);
  });
});

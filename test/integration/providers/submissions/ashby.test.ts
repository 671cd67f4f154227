/**
 * Ashby write-back quirks, the client against its fake: search by exact email, candidate.create without an
 * application, application.create with source and credit, the presigned resume flow, and Ashby's refusals
 * (HTTP 200 `success:false`, 403 `missing_endpoint_permission`) mapped to ProviderError kinds.
 */
import { describe, expect, it } from 'vitest';
import type { SubmissionAttribution, SubmissionFile } from '../../../../shared/ports/provider.js';
import { provider } from '../../../../shared/providers/ashby/index.js';
import { type AshbyFake, type AshbyFakeOptions, startAshbyFake } from '../../../fakes/ashby/index.js';
import { ASHBY_FAKE_SOURCE_ID, ASHBY_FAKE_USER_ID } from '../../../fakes/ashby/submissions.js';
import { basicAuth, fakeLifecycle } from '../../../fakes/common/lifecycle.js';
import { type ClientOverrides, caught, clientWith } from '../client-harness.js';

let fake: AshbyFake;
const fakes = fakeLifecycle(startAshbyFake, { jobs: 2, candidates: 3 });
async function start(options: AshbyFakeOptions = {}) {
  fake = await fakes.start(options);
}

const writer = (overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url, requestTimeoutMs: 2_000 },
      clock: fake.clock,
    },
    overrides,
  ).submissions!;

const credit: SubmissionAttribution = { actingUserId: ASHBY_FAKE_USER_ID, sourceId: ASHBY_FAKE_SOURCE_ID };
const person = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.test',
  phone: '+44 20 7946 0000',
};
const resume = (fileName = 'cv__s1.pdf', bytes = 64): SubmissionFile => ({
  fileName,
  contentType: 'application/pdf',
  content: Buffer.alloc(bytes, 7),
});
const sent = (method: string) =>
  fake.requests
    .filter((r) => r.path === `/${method}`)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);
const openJob = () => fake.state.jobs.find((j) => j.status === 'Open')!.id;

async function candidateWithApplication() {
  const { candidateRemoteId } = await writer().createCandidate({
    person,
    jobRemoteId: openJob(),
    resume: null,
    attribution: credit,
  });
  const { applicationRemoteId } = await writer().createApplication({
    candidateRemoteId,
    person,
    jobRemoteId: openJob(),
    resume: null,
    attribution: credit,
  });
  return { candidateRemoteId, applicationRemoteId };
}

type Ids = Awaited<ReturnType<typeof candidateWithApplication>>;
const attach = (ids: Ids, file = resume(), client = writer()) =>
  client.attachResume({ ...ids, file, attribution: credit });

describe('ashby write-back: candidates and applications', () => {
  it('finds a candidate by its email whatever the case, and no one for another email', async () => {
    await start();
    const known = fake.state.candidates[1]!;

    const found = await writer().findCandidate({ email: known.email.toUpperCase(), jobRemoteId: openJob() });
    const missing = await writer().findCandidate({ email: 'nobody@example.test', jobRemoteId: openJob() });

    expect(found).toBe(known.id);
    expect(missing).toBeNull();
    expect(sent('candidate.search')[0]).toEqual({ email: known.email.toUpperCase() });
  });

  it('creates a candidate with name, email, phone, source and credit, and no application', async () => {
    await start();

    const created = await writer().createCandidate({
      person,
      jobRemoteId: openJob(),
      resume: null,
      attribution: credit,
    });

    expect(created).toEqual({
      candidateRemoteId: expect.any(String),
      applicationRemoteId: null,
      attachmentRemoteId: null,
    });
    expect(sent('candidate.create')).toEqual([
      {
        name: 'Ada Lovelace',
        email: person.email,
        phoneNumber: person.phone,
        sourceId: ASHBY_FAKE_SOURCE_ID,
        creditedToUserId: ASHBY_FAKE_USER_ID,
      },
    ]);
    expect(fake.state.applications.filter((a) => a.candidateId === created.candidateRemoteId)).toHaveLength(
      0,
    );
  });

  it('makes a second candidate for an email Ashby already holds (candidate.create does not dedupe)', async () => {
    await start();
    const existing = fake.state.candidates[0]!;

    await writer().createCandidate({
      person: { ...person, email: existing.email },
      jobRemoteId: openJob(),
      resume: null,
      attribution: credit,
    });

    expect(fake.state.candidates.filter((c) => c.email === existing.email)).toHaveLength(2);
  });

  it('creates the application with source and credit and finds it on its job only', async () => {
    await start();

    const { candidateRemoteId, applicationRemoteId } = await candidateWithApplication();
    const otherJob = fake.state.jobs.find((j) => j.id !== openJob())!.id;

    expect(sent('application.create')).toEqual([
      {
        candidateId: candidateRemoteId,
        jobId: openJob(),
        sourceId: ASHBY_FAKE_SOURCE_ID,
        creditedToUserId: ASHBY_FAKE_USER_ID,
      },
    ]);
    const lookup = { candidateRemoteId, email: person.email };
    expect(await writer().findApplication({ ...lookup, jobRemoteId: openJob() })).toBe(applicationRemoteId);
    expect(await writer().findApplication({ ...lookup, jobRemoteId: otherJob })).toBeNull();
  });
});

describe('ashby write-back: resumes', () => {
  it('uploads through a presigned handle: metadata to Ashby, bytes to storage without credentials, then the handle', async () => {
    await start();
    const ids = await candidateWithApplication();

    const id = await attach(ids);

    expect(sent('file.createFileUploadHandle')).toEqual([
      {
        fileUploadContext: 'CandidateResume',
        filename: 'cv__s1.pdf',
        contentType: 'application/pdf',
        contentLength: 64,
      },
    ]);
    const upload = fake.requests.find((r) => r.path.startsWith('/__storage/'))!;
    expect(upload.headers.authorization).toBeUndefined();
    expect(sent('candidate.uploadResume')).toEqual([
      { candidateId: ids.candidateRemoteId, resumeHandle: expect.any(String) },
    ]);
    expect(fake.submissions.files).toEqual([
      expect.objectContaining({ id, name: 'cv__s1.pdf', content: resume().content }),
    ]);
  });

  it('finds an attached resume by its exact file name only', async () => {
    await start();
    const ids = await candidateWithApplication();
    const id = await attach(ids);
    const lookup = { ...ids, sizeBytes: 64 };

    const found = await writer().findAttachment({ ...lookup, fileName: 'cv__s1.pdf' });
    const other = await writer().findAttachment({ ...lookup, fileName: 'cv__s2.pdf' });

    expect(found).toBe(id);
    expect(other).toBeNull();
  });

  it('retries an upload whose presigned URL expired (10 minutes) as transient', async () => {
    await start();
    const ids = await candidateWithApplication();
    const slowFetch: typeof fetch = (url, init) => {
      if (String(url).includes('/__storage/')) fake.clock.advance(11 * 60_000);
      return fetch(url, init);
    };

    const error = await caught(attach(ids, resume(), writer({ fetch: slowFetch })));

    expect([error.kind, error.status]).toEqual(['transient', 403]);
    expect(fake.submissions.files).toHaveLength(0);
  });

  it('refuses a resume above the fake size limit with Ashby’s message', async () => {
    await start();
    fake.submissions.limits.maxFileBytes = 100;
    const ids = await candidateWithApplication();

    const error = await caught(attach(ids, resume('big.pdf', 101)));

    expect([error.kind, error.message]).toEqual([
      'refused',
      'ashby file.createFileUploadHandle: File is larger than 100 bytes',
    ]);
  });

  it('still takes the deprecated multipart `resume` form', async () => {
    await start();
    const { candidateRemoteId } = await candidateWithApplication();
    const form = new FormData();
    form.append('candidateId', candidateRemoteId);
    form.append('resume', new Blob([Buffer.from('%PDF')], { type: 'application/pdf' }), 'old.pdf');

    const response = await fetch(`${fake.url}/candidate.uploadResume`, {
      method: 'POST',
      headers: { authorization: basicAuth(fake.apiKey) },
      body: form,
    });

    expect(await response.json()).toMatchObject({
      success: true,
      results: { resumeFileHandle: { name: 'old.pdf' } },
    });
  });
});

describe('ashby write-back: refusals', () => {
  it('maps a success:false validation answer (unknown source) to refused with Ashby’s message', async () => {
    await start();

    const error = await caught(
      writer().createCandidate({
        person,
        jobRemoteId: openJob(),
        resume: null,
        attribution: { ...credit, sourceId: 'no-such-source' },
      }),
    );

    expect([error.kind, error.status, error.message]).toEqual([
      'refused',
      200,
      'ashby candidate.create: Source no-such-source not found',
    ]);
  });

  it('maps a key without candidatesWrite (403 missing_endpoint_permission) to refused, not auth', async () => {
    await start({ apiKeys: { 'read-only': ['candidatesRead', 'jobsRead'] } });

    const error = await caught(
      writer().createCandidate({ person, jobRemoteId: openJob(), resume: null, attribution: credit }),
    );

    expect([error.kind, error.status, error.message]).toEqual([
      'refused',
      403,
      'ashby candidate.create: Requires candidatesWrite',
    ]);
  });

  it('maps an unknown API key to auth', async () => {
    await start();

    const error = await caught(
      writer({ credentials: { apiKey: 'nope' } }).findCandidate({
        email: person.email,
        jobRemoteId: openJob(),
      }),
    );

    expect(error.kind).toBe('auth');
  });

  it('maps a 429 to rate_limited with Retry-After', async () => {
    await start({ rateLimit: { limit: 1, windowSeconds: 10 } });
    await writer().findCandidate({ email: person.email, jobRemoteId: openJob() });

    const error = await caught(writer().findCandidate({ email: person.email, jobRemoteId: openJob() }));

    expect([error.kind, error.retryAfterSeconds]).toEqual(['rate_limited', 10]);
  });

  it('answers application.create without jobId with success:false and the missing field', async () => {
    await start();
    const candidateId = fake.state.candidates[0]!.id;

    const response = await fetch(`${fake.url}/application.create`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(fake.apiKey),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ candidateId }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      success: false,
      errorInfo: { code: 'invalid_input', message: 'Missing required field: jobId' },
    });
  });
});

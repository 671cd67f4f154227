/**
 * Lever write-back quirks, the client against its fake: `perform_as` on every write, one posting per create,
 * merge into the contact by email, `contact` for a further posting, multipart files found again by name + size,
 * and Lever's refusals as final `refused` errors. The exactly-once scenarios are in the write-back contract suite.
 */
import { describe, expect, it } from 'vitest';
import type { SubmissionWriter } from '../../../../shared/ports/provider.js';
import { provider } from '../../../../shared/providers/lever/index.js';
import { basicAuth, fakeLifecycle } from '../../../fakes/common/lifecycle.js';
import { type LeverFake, startLeverFake } from '../../../fakes/lever/index.js';
import { LEVER_FILE_LIMIT_BYTES, LEVER_USERS, leverWriteBack } from '../../../fakes/lever/submissions.js';
import { caught } from '../client-harness.js';

const recruiter = LEVER_USERS[0]!.id;
const interviewer = LEVER_USERS[1]!.id;
const person = { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.org', phone: '+44 20 7946 0000' };
const attribution = { actingUserId: recruiter, sourceId: 'Careers portal' };
const resume = (bytes = 2048) => ({
  fileName: 'ada-cv.pdf',
  contentType: 'application/pdf',
  content: Buffer.alloc(bytes, 7),
});

let fake: LeverFake;
const fakes = fakeLifecycle(startLeverFake, { postings: 3, contacts: 5, rateLimit: false });

async function start(): Promise<SubmissionWriter> {
  fake = await fakes.start();
  const client = provider.createClient({
    credentials: { apiKey: fake.apiKey },
    settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 2_000 },
    clock: fake.clock,
  });
  return client.submissions!;
}

const posting = (i: number) => fake.state.postings[i]!.id;
/** Ada's submission to posting `i` (or a raw posting id) as `as`: a new contact and opportunity, or Lever's merge. */
const applyTo = (writer: SubmissionWriter, i: number | string, as: typeof attribution | null = attribution) =>
  writer.createCandidate({
    person,
    jobRemoteId: typeof i === 'number' ? posting(i) : i,
    resume: null,
    attribution: as ?? { actingUserId: null, sourceId: null },
  });
const posts = (path: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1${path}`);
const raw = (path: string, init: RequestInit) =>
  fetch(`${fake.url}${path}`, {
    ...init,
    headers: { authorization: basicAuth(fake.apiKey), ...(init.headers as Record<string, string>) },
  });

describe('lever submissions: creates', () => {
  it('creates the contact and its opportunity on the posting in one call, as the perform_as user', async () => {
    const writer = await start();

    const created = await applyTo(writer, 0);

    const [call] = posts('/opportunities');
    expect(call!.query['perform_as']).toEqual([recruiter]);
    expect(JSON.parse(call!.body)).toMatchObject({
      name: 'Ada Byron',
      emails: ['ada@example.org'],
      postings: [posting(0)],
      sources: ['Careers portal'],
    });
    const opportunity = fake.state.opportunityById.get(created.applicationRemoteId!)!;
    expect(opportunity).toMatchObject({ contact: created.candidateRemoteId, postingId: posting(0) });
    expect(created.attachmentRemoteId).toBeNull();
  });

  it('merges a create into the contact Lever already holds for the email', async () => {
    const writer = await start();
    const existing = leverWriteBack(fake).seedCandidate({ ...person, email: 'ADA@example.org' });

    const created = await applyTo(writer, 0);

    expect(created.candidateRemoteId).toBe(existing);
    expect(leverWriteBack(fake).remoteCounts(person.email)).toMatchObject({ candidates: 1, applications: 1 });
  });

  it('adds a further posting as a new opportunity of the named contact', async () => {
    const writer = await start();
    const first = await applyTo(writer, 0);

    const second = await writer.createApplication({
      candidateRemoteId: first.candidateRemoteId,
      person,
      jobRemoteId: posting(1),
      resume: null,
      attribution,
    });

    expect(JSON.parse(posts('/opportunities')[1]!.body)).toMatchObject({ contact: first.candidateRemoteId });
    expect(second.applicationRemoteId).not.toBe(first.applicationRemoteId);
    expect(fake.state.opportunityById.get(second.applicationRemoteId)!.contact).toBe(first.candidateRemoteId);
  });
});

describe('lever submissions: lookups', () => {
  it('finds the contact by email whatever its case, and nothing for an unknown email', async () => {
    const writer = await start();
    const { candidateRemoteId } = await applyTo(writer, 0);

    const found = await writer.findCandidate({ email: 'Ada@Example.org', jobRemoteId: posting(1) });
    const missing = await writer.findCandidate({ email: 'nobody@example.org', jobRemoteId: posting(1) });

    expect([found, missing]).toEqual([candidateRemoteId, null]);
  });

  it('finds the opportunity on the posting only, through the email and posting_id filters', async () => {
    const writer = await start();
    const created = await applyTo(writer, 0);
    const input = { candidateRemoteId: created.candidateRemoteId, email: person.email };

    const onPosting = await writer.findApplication({ ...input, jobRemoteId: posting(0) });
    const elsewhere = await writer.findApplication({ ...input, jobRemoteId: posting(1) });

    expect([onPosting, elsewhere]).toEqual([created.applicationRemoteId, null]);
    const lookup = fake.requests.filter((r) => r.method === 'GET' && r.query['posting_id']).at(0)!;
    expect(lookup.query).toMatchObject({ email: [person.email], posting_id: [posting(0)] });
  });

  it('does not adopt an archived opportunity on the posting', async () => {
    const writer = await start();
    const created = await applyTo(writer, 0);
    fake.archive(created.applicationRemoteId!, fake.state.archiveReasons[1]!.id);

    const found = await writer.findApplication({
      candidateRemoteId: created.candidateRemoteId,
      email: person.email,
      jobRemoteId: posting(0),
    });

    expect(found).toBeNull();
  });
});

describe('lever submissions: resume files', () => {
  it('uploads the resume as multipart `file` with perform_as and finds it again by name and size', async () => {
    const writer = await start();
    const created = await applyTo(writer, 0);
    const ids = {
      candidateRemoteId: created.candidateRemoteId,
      applicationRemoteId: created.applicationRemoteId!,
    };

    const fileId = await writer.attachResume({ ...ids, file: resume(), attribution });

    expect(posts(`/opportunities/${ids.applicationRemoteId}/files`)[0]!.query['perform_as']).toEqual([
      recruiter,
    ]);
    expect(leverWriteBack(fake).attachedFiles(person.email)).toEqual([
      { fileName: 'ada-cv.pdf', content: resume().content },
    ]);
    expect(await writer.findAttachment({ ...ids, fileName: 'ada-cv.pdf', sizeBytes: 2048 })).toBe(fileId);
    expect(await writer.findAttachment({ ...ids, fileName: 'ada-cv.pdf', sizeBytes: 2047 })).toBeNull();
  });

  it('refuses a resume over 30 MB without sending it', async () => {
    const writer = await start();
    const created = await applyTo(writer, 0);

    const error = await caught(
      writer.attachResume({
        candidateRemoteId: created.candidateRemoteId,
        applicationRemoteId: created.applicationRemoteId!,
        file: resume(LEVER_FILE_LIMIT_BYTES + 1),
        attribution,
      }),
    );

    expect([error.kind, error.status]).toEqual(['refused', 413]);
    expect(fake.requests.some((r) => r.path.endsWith('/files'))).toBe(false);
  });
});

describe('lever submissions: refusals', () => {
  it('reports a perform_as user without permission as refused with Lever’s message, creating nothing', async () => {
    const writer = await start();

    const error = await caught(applyTo(writer, 0, { ...attribution, actingUserId: interviewer }));

    expect([error.kind, error.status]).toEqual(['refused', 403]);
    expect(error.message).toContain('does not have permission');
    expect(leverWriteBack(fake).remoteCounts(person.email).candidates).toBe(0);
  });

  it('refuses locally when no acting user is set, since Lever requires perform_as', async () => {
    const writer = await start();

    const error = await caught(applyTo(writer, 0, null));

    expect(error.kind).toBe('refused');
    expect(posts('/opportunities')).toHaveLength(0);
  });

  it('reports an unknown posting as refused', async () => {
    const writer = await start();

    const error = await caught(applyTo(writer, 'no-such-posting'));

    expect([error.kind, error.status, error.message]).toEqual([
      'refused',
      404,
      'lever create opportunity: Posting not found',
    ]);
  });

  it('reports Lever’s 429 on a create as rate_limited', async () => {
    const writer = await start();
    fake.failNext(1, {
      kind: 'status',
      status: 429,
      body: { code: 'TooManyRequests', message: 'slow down' },
    });

    const error = await caught(applyTo(writer, 0));

    expect(error.kind).toBe('rate_limited');
  });
});

describe('lever fake: write rules', () => {
  it('answers 400 to a create without perform_as', async () => {
    fake = await fakes.start();

    const response = await raw('/opportunities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', emails: [person.email], postings: [posting(0)] }),
    });

    expect([response.status, ((await response.json()) as { message: string }).message]).toEqual([
      400,
      'Missing required query parameter: perform_as',
    ]);
  });

  it('answers 400 to two postings in one create', async () => {
    fake = await fakes.start();

    const response = await raw(`/opportunities?perform_as=${recruiter}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', emails: [person.email], postings: [posting(0), posting(1)] }),
    });

    expect(response.status).toBe(400);
    expect(leverWriteBack(fake).remoteCounts(person.email).applications).toBe(0);
  });

  it('answers 413 to a file over its limit (30 MB unless a test lowers it)', async () => {
    fake = await fakes.start();
    const defaultLimit = fake.submissions.fileLimitBytes;
    fake.submissions.fileLimitBytes = 1024;
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(1025)]), 'huge.pdf');

    const response = await raw(
      `/opportunities/${fake.state.opportunities[0]!.id}/files?perform_as=${recruiter}`,
      {
        method: 'POST',
        body: form,
      },
    );

    expect([defaultLimit, response.status]).toEqual([LEVER_FILE_LIMIT_BYTES, 413]);
    expect(fake.submissions.files).toHaveLength(0);
  });
});

/**
 * BambooHR write-back quirks: the client's SubmissionWriter against the BambooHR fake. The exactly-once scenarios
 * run for every provider in test/integration/write-back/contract; here only what is BambooHR's own.
 */
import { describe, expect, it } from 'vitest';
import type {
  SubmissionFile,
  SubmissionPerson,
  SubmissionWriter,
} from '../../../../shared/ports/provider.js';
import { provider } from '../../../../shared/providers/bamboohr/index.js';
import { type BamboohrFake, startBamboohrFake } from '../../../fakes/bamboohr/index.js';
import { isCreate } from '../../../fakes/bamboohr/submissions.js';
import { basicAuth, fakeLifecycle } from '../../../fakes/common/lifecycle.js';
import { type ClientOverrides, caught, clientWith } from '../client-harness.js';

const { start } = fakeLifecycle(startBamboohrFake, { seed: 3, applications: 5, jobs: 2 });

const writerFor = (f: BamboohrFake, overrides: ClientOverrides = {}): SubmissionWriter =>
  clientWith(
    provider,
    {
      credentials: { apiKey: f.apiKey, companyDomain: f.companyDomain },
      settings: { baseUrl: f.url },
      clock: f.clock,
    },
    overrides,
  ).submissions!;

const person = (email: string): SubmissionPerson => ({
  firstName: 'Ann',
  lastName: 'Lee',
  email,
  phone: '+1 555 0100',
});
const pdf: SubmissionFile = {
  fileName: 'cv__s1.pdf',
  contentType: 'application/pdf',
  content: Buffer.from('%PDF-1.4 resume'),
};
const attribution = { actingUserId: null, sourceId: 'Careers portal' };
const jobOf = (f: BamboohrFake) => String(f.state.jobs[0]!.id);

function create(
  f: BamboohrFake,
  writer: SubmissionWriter,
  email: string,
  resume: SubmissionFile | null = pdf,
) {
  return writer.createCandidate({ person: person(email), jobRemoteId: jobOf(f), resume, attribution });
}

describe('BambooHR submission creates', () => {
  it('creates applicant, application and resume in one multipart call and reports their ids', async () => {
    const f = await start();
    const writer = writerFor(f);

    const created = await create(f, writer, 'ann@example.com');

    const application = f.state.liveApplications().at(-1)!;
    expect(created).toEqual({
      candidateRemoteId: String(application.applicant.id),
      applicationRemoteId: String(application.id),
      attachmentRemoteId: String(f.submissions.fileOf(application.id, 'resume')),
    });
    expect(f.requests.filter((r) => r.method === 'POST').length).toBe(1);
  });

  it('sends BambooHR field names, the source as free text, and the resume bytes as a file', async () => {
    const f = await start();

    await create(f, writerFor(f), 'ann@example.com');

    const application = f.state.liveApplications().at(-1)!;
    expect(f.submissions.fields.get(application.id)).toEqual({
      firstName: 'Ann',
      lastName: 'Lee',
      jobId: jobOf(f),
      email: 'ann@example.com',
      phoneNumber: '+1 555 0100',
      source: 'Careers portal',
    });
    expect(f.submissions.files.map((file) => [file.fileName, file.contentType, file.content])).toEqual([
      [pdf.fileName, pdf.contentType, pdf.content],
    ]);
  });

  it('finds the ids by lookup when the create answers with an empty body', async () => {
    const f = await start({ submissions: { createResponse: 'empty' } });

    const created = await create(f, writerFor(f), 'ann@example.com', null);

    const application = f.state.liveApplications().at(-1)!;
    expect(created).toEqual({
      candidateRemoteId: String(application.applicant.id),
      applicationRemoteId: String(application.id),
      attachmentRemoteId: null,
    });
  });

  it('makes a second application through the same create call for an existing candidate', async () => {
    const f = await start({ submissions: { mergeApplicantsByEmail: true } });
    const writer = writerFor(f);
    const first = await create(f, writer, 'ann@example.com');

    const second = await writer.createApplication({
      candidateRemoteId: first.candidateRemoteId,
      person: person('ann@example.com'),
      jobRemoteId: String(f.state.jobs[1]!.id),
      resume: pdf,
      attribution,
    });

    const application = f.state.application(Number(second.applicationRemoteId))!;
    expect([String(application.applicant.id), String(application.jobId)]).toEqual([
      first.candidateRemoteId,
      String(f.state.jobs[1]!.id),
    ]);
    expect(f.requests.filter(isCreate).length).toBe(2);
  });

  it('refuses to attach a resume later without calling BambooHR', async () => {
    const f = await start();
    const before = f.requests.length;

    const error = await caught(
      writerFor(f).attachResume({ candidateRemoteId: '1', applicationRemoteId: '2', file: pdf, attribution }),
    );

    expect([error.kind, f.requests.length - before]).toEqual(['refused', 0]);
  });
});

describe('BambooHR submission lookups', () => {
  it('finds the applicant by email on any job, whatever the case of the email', async () => {
    const f = await start();
    const writer = writerFor(f);
    const created = await create(f, writer, 'ann@example.com');

    const found = await writer.findCandidate({ email: 'ANN@Example.com', jobRemoteId: '999' });

    expect(found).toBe(created.candidateRemoteId);
  });

  it('ignores applicants the search matches whose email is not the same', async () => {
    const f = await start();
    const writer = writerFor(f);
    await create(f, writer, 'joann@example.com');

    const found = await writer.findCandidate({ email: 'ann@example.com', jobRemoteId: jobOf(f) });

    expect(found).toBeNull();
  });

  it('finds the latest application on the job by email even under another applicant id', async () => {
    const f = await start();
    const writer = writerFor(f);
    await create(f, writer, 'ann@example.com');
    const created = await create(f, writer, 'ann@example.com');

    const found = await writer.findApplication({
      candidateRemoteId: 'an-applicant-bamboohr-did-not-reuse',
      jobRemoteId: jobOf(f),
      email: 'ann@example.com',
    });

    expect(found).toBe(created.applicationRemoteId);
  });

  it('finds the latest application of an applicant who applied to the job again', async () => {
    const f = await start({ submissions: { mergeApplicantsByEmail: true } });
    const writer = writerFor(f);
    const first = await create(f, writer, 'ann@example.com');
    const again = await create(f, writer, 'ann@example.com');

    const found = await writer.findApplication({
      candidateRemoteId: first.candidateRemoteId,
      jobRemoteId: jobOf(f),
      email: 'ann@example.com',
    });

    expect(again.candidateRemoteId).toBe(first.candidateRemoteId);
    expect(found).toBe(again.applicationRemoteId);
  });

  it('finds no application of the email on another job', async () => {
    const f = await start();
    const writer = writerFor(f);
    const created = await create(f, writer, 'ann@example.com');

    const found = await writer.findApplication({
      candidateRemoteId: created.candidateRemoteId,
      jobRemoteId: String(f.state.jobs[1]!.id),
      email: 'ann@example.com',
    });

    expect(found).toBeNull();
  });

  it('adopts a create whose response was lost: applied at BambooHR, then found by lookup', async () => {
    const f = await start();
    const writer = writerFor(f);
    f.failNext(1, { kind: 'lost' }, isCreate);

    const error = await caught(create(f, writer, 'ann@example.com'));
    const application = await writer.findApplication({
      candidateRemoteId: '',
      jobRemoteId: jobOf(f),
      email: 'ann@example.com',
    });
    const attachment = await writer.findAttachment({
      candidateRemoteId: '',
      applicationRemoteId: application!,
      fileName: pdf.fileName,
      sizeBytes: pdf.content.length,
    });

    const made = f.state.liveApplications().at(-1)!;
    expect([error.kind, application, attachment]).toEqual([
      'transient',
      String(made.id),
      String(f.submissions.fileOf(made.id, 'resume')),
    ]);
  });
});

describe('BambooHR submission refusals', () => {
  it('maps the 403 of an API key without ATS access to a refusal with BambooHR message', async () => {
    const f = await start();
    f.submissions.denyNext();

    const error = await caught(create(f, writerFor(f), 'ann@example.com'));

    expect([error.kind, error.status, error.message]).toEqual([
      'refused',
      403,
      'create candidate application: The owner of the API key does not have access to ATS settings',
    ]);
  });

  it('refuses an invalid email with 400', async () => {
    const f = await start();

    const error = await caught(create(f, writerFor(f), 'not-an-email'));

    expect([error.kind, error.status, f.state.liveApplications().length]).toEqual(['refused', 400, 5]);
  });

  it('refuses a resume whose type is outside the allow-list', async () => {
    const f = await start();
    const zip = { ...pdf, fileName: 'cv.zip', contentType: 'application/zip' };

    const error = await caught(create(f, writerFor(f), 'ann@example.com', zip));

    expect([error.kind, error.message]).toEqual([
      'refused',
      'create candidate application: Invalid file type for resume',
    ]);
  });

  it('answers 400 when a required field is missing', async () => {
    const f = await start();
    const form = new FormData();
    form.append('firstName', 'Ann');
    form.append('jobId', jobOf(f));

    const reply = await fetch(`${f.apiBase}/applicant_tracking/application`, {
      method: 'POST',
      headers: { Authorization: basicAuth(f.apiKey, 'x'), Accept: 'application/json' },
      body: form,
    });

    expect([reply.status, reply.headers.get('x-bamboohr-error-message')]).toEqual([
      400,
      'Missing required field: lastName',
    ]);
  });

  it('reports the 503 throttle as rate limited with its Retry-After', async () => {
    const f = await start({ throttle: { limit: 1, windowMs: 10_000 } });
    const writer = writerFor(f);
    await writer.findCandidate({ email: 'ann@example.com', jobRemoteId: jobOf(f) });

    const error = await caught(create(f, writer, 'ann@example.com'));

    expect([error.kind, error.status, error.retryAfterSeconds]).toEqual(['rate_limited', 503, 10]);
  });
});

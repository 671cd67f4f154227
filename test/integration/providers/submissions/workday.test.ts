/**
 * Workday write-back quirks: the SubmissionWriter against the Workday fake (docs/write-back-notes.md §5). The
 * exactly-once scenarios run once for every provider in test/integration/write-back/contract.
 */
import { describe, expect, it } from 'vitest';
import type { SubmissionWriter } from '../../../../shared/ports/provider.js';
import { provider } from '../../../../shared/providers/workday/index.js';
import { fakeLifecycle } from '../../../fakes/common/lifecycle.js';
import { startWorkdayFake, type WorkdayFake } from '../../../fakes/workday/index.js';
import { type ClientOverrides, caught, clientWith } from '../client-harness.js';

const { start: startFake } = fakeLifecycle(startWorkdayFake, { seed: 5, candidates: 6, requisitions: 3 });

const person = { firstName: 'Ada', lastName: 'Lovelace', email: 'Ada.Lovelace@example.test', phone: null };
const attribution = { actingUserId: null, sourceId: null };
const resume = {
  fileName: 'cv__s1.pdf',
  contentType: 'application/pdf',
  content: Buffer.from('%PDF-1.4 ada'),
};

function writerFor(f: WorkdayFake, overrides: ClientOverrides = {}): SubmissionWriter {
  const client = clientWith(
    provider,
    {
      credentials: { username: f.username, password: f.password, tenant: f.tenant },
      settings: { baseUrl: f.url },
      clock: f.clock,
    },
    overrides,
  );
  if (!client.submissions) throw new Error('the workday client takes no submissions');
  return client.submissions;
}

const openJob = (f: WorkdayFake) => f.state.liveRequisitions().find((r) => r.status === 'Open')!.id;
/** A new candidate with its application on an open requisition: the ids an attachment names. */
async function candidateOnJob(f: WorkdayFake, writer: SubmissionWriter) {
  const created = await writer.createCandidate({
    person,
    jobRemoteId: openJob(f),
    resume: null,
    attribution,
  });
  return { candidateRemoteId: created.candidateRemoteId, applicationRemoteId: created.applicationRemoteId! };
}

const soapBodies = (f: WorkdayFake, operation: string) =>
  f.requests.filter((r) => r.body.includes(`${operation}_Request`)).map((r) => r.body);

describe('Workday submissions: creates', () => {
  it('creates the candidate and its application in one Add_Only Put_Candidate and returns both ids', async () => {
    const f = await startFake();
    const job = openJob(f);

    const created = await writerFor(f).createCandidate({
      person,
      jobRemoteId: job,
      resume: null,
      attribution,
    });

    const view = f.state.liveCandidates().find((c) => c.id === created.candidateRemoteId)!;
    expect({
      created,
      held: { email: view.email, applications: view.applications.map((a) => [a.id, a.requisitionId]) },
      calls: soapBodies(f, 'Put_Candidate').map((b) => b.includes('wd:Add_Only="1"')),
    }).toEqual({
      created: {
        candidateRemoteId: view.id,
        applicationRemoteId: view.applications[0]!.id,
        attachmentRemoteId: null,
      },
      held: { email: person.email, applications: [[view.applications[0]!.id, job]] },
      calls: [true],
    });
  });

  it('credits settings.sourceId as the application Source_Reference', async () => {
    const f = await startFake();

    const created = await writerFor(f).createCandidate({
      person,
      jobRemoteId: openJob(f),
      resume: null,
      attribution: { actingUserId: 'ignored', sourceId: 'Agency' },
    });

    expect(f.submissions.sourceOf(created.applicationRemoteId!)).toBe('Agency');
  });

  it('adds an application to an existing candidate through Candidate_Reference', async () => {
    const f = await startFake();
    const candidateId = f.state.addCandidate({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'g@example.test',
    }).candidateId;
    const job = openJob(f);

    const created = await writerFor(f).createApplication({
      candidateRemoteId: candidateId,
      person,
      jobRemoteId: job,
      resume: null,
      attribution,
    });

    const view = f.state.liveCandidates().find((c) => c.id === candidateId)!;
    expect(view.applications.map((a) => [a.id, a.requisitionId])).toEqual([
      [created.applicationRemoteId, job],
    ]);
  });
});

describe('Workday submissions: lookups', () => {
  it('finds the candidate by email whatever its case, and nobody for an unknown address', async () => {
    const f = await startFake();
    const created = await writerFor(f).createCandidate({
      person,
      jobRemoteId: openJob(f),
      resume: null,
      attribution,
    });
    const writer = writerFor(f);

    const found = await writer.findCandidate({ email: 'ada.LOVELACE@example.test', jobRemoteId: openJob(f) });
    const missing = await writer.findCandidate({ email: 'nobody@example.test', jobRemoteId: openJob(f) });

    expect({ found, missing }).toEqual({ found: created.candidateRemoteId, missing: null });
  });

  it('finds the application on the requisition only', async () => {
    const f = await startFake();
    const [first, second] = f.state.liveRequisitions().filter((r) => r.status === 'Open');
    const created = await writerFor(f).createCandidate({
      person,
      jobRemoteId: first!.id,
      resume: null,
      attribution,
    });
    const writer = writerFor(f);
    const input = { candidateRemoteId: created.candidateRemoteId, email: person.email };

    const onJob = await writer.findApplication({ ...input, jobRemoteId: first!.id });
    const elsewhere = await writer.findApplication({ ...input, jobRemoteId: second?.id ?? 'R-99999' });

    expect({ onJob, elsewhere }).toEqual({ onJob: created.applicationRemoteId, elsewhere: null });
  });
});

describe('Workday submissions: resumes', () => {
  it('is a separate step: the resume goes through Put_Candidate_Attachment, base64, with the resume category', async () => {
    const f = await startFake();
    const writer = writerFor(f);
    const ids = await candidateOnJob(f, writer);

    const id = await writer.attachResume({ ...ids, file: resume, attribution });

    const stored = f.submissions.attachments;
    expect({
      mode: writer.resumeMode,
      stored: stored.map((a) => [a.id, a.fileName, a.category, a.content.toString()]),
    }).toEqual({
      mode: 'separate',
      stored: [[id, 'cv__s1.pdf', 'CANDIDATE_RESUME_AND_COVER_LETTER', '%PDF-1.4 ada']],
    });
  });

  it('finds an attached resume by its exact file name', async () => {
    const f = await startFake();
    const writer = writerFor(f);
    const ids = await candidateOnJob(f, writer);
    const id = await writer.attachResume({ ...ids, file: resume, attribution });

    const found = await writer.findAttachment({ ...ids, fileName: 'cv__s1.pdf', sizeBytes: 12 });
    const other = await writer.findAttachment({ ...ids, fileName: 'cv__s2.pdf', sizeBytes: 12 });

    expect({ found, other }).toEqual({ found: id, other: null });
  });

  it('refuses an attachment over the tenant size cap and stores nothing', async () => {
    const f = await startFake({ submissions: { maxAttachmentBytes: 8 } });
    const writer = writerFor(f);
    const ids = await candidateOnJob(f, writer);

    const error = await caught(writer.attachResume({ ...ids, file: resume, attribution }));

    expect({ kind: error.kind, message: error.message, stored: f.submissions.attachments.length }).toEqual({
      kind: 'refused',
      message: expect.stringContaining('maximum size of 8 bytes'),
      stored: 0,
    });
  });
});

describe('Workday submissions: refusals', () => {
  it('reports a task-not-authorized processing fault as a refusal, not as bad credentials', async () => {
    const f = await startFake();
    f.submissions.denyNext('candidate');

    const error = await caught(
      writerFor(f).createCandidate({ person, jobRemoteId: openJob(f), resume: null, attribution }),
    );

    expect({ kind: error.kind, message: error.message, held: f.state.liveCandidates().length }).toEqual({
      kind: 'refused',
      message: 'Put_Candidate: Processing error occurred. The task submitted is not authorized.',
      held: 6,
    });
  });

  it('refuses an application on a requisition that is not open with Workday validation message', async () => {
    const f = await startFake();
    const closed = f.state.requisitions[1]!.id;
    f.state.setRequisitionStatus(closed, 'Closed');

    const error = await caught(
      writerFor(f).createCandidate({ person, jobRemoteId: closed, resume: null, attribution }),
    );

    expect([error.kind, error.message]).toEqual([
      'refused',
      `Put_Candidate: Job Requisition ${closed} is Closed and does not accept job applications`,
    ]);
  });

  it('refuses a source the tenant does not know', async () => {
    const f = await startFake();

    const error = await caught(
      writerFor(f).createCandidate({
        person,
        jobRemoteId: openJob(f),
        resume: null,
        attribution: { actingUserId: null, sourceId: 'Billboard' },
      }),
    );

    expect([error.kind, error.message]).toEqual([
      'refused',
      "Put_Candidate: Invalid ID value. 'Billboard' is not a valid ID value for type = 'Applicant_Source_ID'",
    ]);
  });

  it('reports a bad password on a write as auth', async () => {
    const f = await startFake();

    const error = await caught(
      writerFor(f, {
        credentials: { username: f.username, password: 'wrong', tenant: f.tenant },
      }).createCandidate({
        person,
        jobRemoteId: openJob(f),
        resume: null,
        attribution,
      }),
    );

    expect(error.kind).toBe('auth');
  });

  it('paces writes like reads: a throttled create is rate_limited with Retry-After', async () => {
    const f = await startFake({ throttle: { limit: 1, windowMs: 30_000 } });
    const writer = writerFor(f);
    await writer.findCandidate({ email: person.email, jobRemoteId: openJob(f) });

    const error = await caught(
      writer.createCandidate({ person, jobRemoteId: openJob(f), resume: null, attribution }),
    );

    expect({ kind: error.kind, retryAfter: error.retryAfterSeconds }).toEqual({
      kind: 'rate_limited',
      retryAfter: 30,
    });
  });
});

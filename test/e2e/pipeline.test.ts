// Over 400 lines: one end-to-end story sharing one runtime start, the heavy part of these tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/**
 * The pipeline driven over HTTP like a client, against `npm start`'s runtime: jobs, submissions,
 * idempotency, the ownership rules, concurrency, history and resume uploads.
 */
let t: TestRuntime;
let org: { id: string; keys: { portal: string; ats: string; admin: string } };
let other: { id: string; keys: { portal: string; ats: string; admin: string } };
let portal: ReturnType<typeof apiClient>;
let ats: ReturnType<typeof apiClient>;
let admin: ReturnType<typeof apiClient>;
let anonymous: ReturnType<typeof apiClient>;
let jobId: string;
let seq = 0;

const candidate = (tag = `${Date.now()}-${++seq}`) => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: `ada.${tag}@example.com`,
  phone: '+1 555 0100',
});

async function submit(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return portal('POST', '/applications', { jobId, candidate: candidate(), ...extra }, headers);
}

async function advance(
  client: ReturnType<typeof apiClient>,
  id: string,
  toStage: string,
  expectedStage?: string,
) {
  return client('POST', `/applications/${id}/stage`, {
    toStage,
    ...(expectedStage ? { expectedStage } : {}),
  });
}

/** An application taken to Client Endorsement by the portal. */
async function endorsed(): Promise<string> {
  const created = await submit();
  const id = created.body.application.id as string;
  expect((await advance(portal, id, 'Shortlist')).status).toBe(200);
  expect((await advance(portal, id, 'Client Endorsement')).status).toBe(200);
  return id;
}

beforeAll(async () => {
  // the simulated GuardDuty verdict, pinned whatever LOCAL_SCAN_RESULT the shell has
  t = await startTestRuntime({ scanResult: 'NO_THREATS_FOUND' });
  [org, other] = t.runtime.credentials.organizations as unknown as [typeof org, typeof other];
  portal = apiClient(t.runtime.baseUrl, org.keys.portal);
  ats = apiClient(t.runtime.baseUrl, org.keys.ats);
  admin = apiClient(t.runtime.baseUrl, org.keys.admin);
  anonymous = apiClient(t.runtime.baseUrl);
  const job = await ats('POST', '/jobs', {
    title: 'Staff Engineer',
    employmentType: 'full_time',
    customStages: ['Assessment', 'Interview'],
  });
  expect(job.status).toBe(201);
  jobId = job.body.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('health and documents', () => {
  it('answers health without a key', async () => {
    expect(await anonymous('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document with the routes of docs/api.md', async () => {
    const doc = await anonymous('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/applications', '/applications/{id}/stage', '/jobs/{jobId}/applications']),
    );
  });
});

describe('jobs', () => {
  it('creates a job with its stages in order', async () => {
    const job = await ats('GET', `/jobs/${jobId}`);
    expect(job.body.stages.map((s: { name: string }) => s.name)).toEqual([
      'Screening',
      'Shortlist',
      'Client Endorsement',
      'Assessment',
      'Interview',
      'Offer',
      'Offer Accepted',
    ]);
  });

  it('lists open jobs for every role', async () => {
    const jobs = await portal('GET', '/jobs');
    expect(jobs.body.items.map((j: { id: string }) => j.id)).toContain(jobId);
  });

  it('forbids the portal to create jobs', async () => {
    expect((await portal('POST', '/jobs', { title: 'x', employmentType: 'eor' })).body.error.code).toBe(
      'FORBIDDEN',
    );
  });

  it('answers 404 for another organization’s job', async () => {
    const foreign = apiClient(t.runtime.baseUrl, other.keys.ats);
    expect((await foreign('GET', `/jobs/${jobId}`)).status).toBe(404);
  });

  it('refuses a custom stage named like a fixed one', async () => {
    const res = await ats('POST', '/jobs', {
      title: 'x',
      employmentType: 'contract',
      customStages: ['Offer'],
    });
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('portal submission', () => {
  it('creates the application at Screening with its first history entry', async () => {
    const created = await submit();
    expect(created.status).toBe(201);
    const detail = await ats('GET', `/applications/${created.body.application.id}`);
    expect(detail.body.history).toEqual([
      expect.objectContaining({ from: null, to: 'Screening', source: 'portal' }),
    ]);
  });

  it('answers a second submission of the same email and job with 409 and the existing id', async () => {
    const person = candidate();
    const first = await portal('POST', '/applications', { jobId, candidate: person });
    const second = await portal('POST', '/applications', {
      jobId,
      candidate: { ...person, email: person.email.toUpperCase() },
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'DUPLICATE_APPLICATION',
      details: { applicationId: first.body.application.id },
    });
  });

  it('replays the first response for a repeated Idempotency-Key with the same body', async () => {
    const body = { jobId, candidate: candidate() };
    const first = await portal('POST', '/applications', body, { 'idempotency-key': `k-${seq}` });
    const again = await portal('POST', '/applications', body, { 'idempotency-key': `k-${seq}` });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses a repeated Idempotency-Key with a different body', async () => {
    const key = `k-reused-${seq}`;
    await portal('POST', '/applications', { jobId, candidate: candidate() }, { 'idempotency-key': key });
    const reused = await portal(
      'POST',
      '/applications',
      { jobId, candidate: candidate() },
      { 'idempotency-key': key },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a job that is not open', async () => {
    const draft = await ats('POST', '/jobs', { title: 'Draft', employmentType: 'intern', status: 'draft' });
    const res = await portal('POST', '/applications', { jobId: draft.body.id, candidate: candidate() });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('JOB_NOT_OPEN');
  });

  it('refuses a job paused through PATCH /jobs/{jobId}, and takes submissions again once it is reopened', async () => {
    const job = await ats('POST', '/jobs', { title: 'Seasonal', employmentType: 'temporary' });
    const paused = await ats('PATCH', `/jobs/${job.body.id}`, { status: 'paused', remotePolicy: 'hybrid' });
    const refused = await portal('POST', '/applications', { jobId: job.body.id, candidate: candidate() });
    await ats('PATCH', `/jobs/${job.body.id}`, { status: 'open' });
    const accepted = await portal('POST', '/applications', { jobId: job.body.id, candidate: candidate() });

    expect([paused.status, paused.body.status, paused.body.remotePolicy]).toEqual([200, 'paused', 'hybrid']);
    expect([refused.status, refused.body.error.code]).toEqual([422, 'JOB_NOT_OPEN']);
    expect(accepted.status).toBe(201);
  });

  it('answers 404 for an unknown job', async () => {
    const res = await portal('POST', '/applications', {
      jobId: '00000000-0000-4000-8000-000000000000',
      candidate: candidate(),
    });
    expect(res.status).toBe(404);
  });

  it('lists validation issues with their paths', async () => {
    const res = await portal('POST', '/applications', { jobId: 'nope', candidate: { firstName: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['body.jobId', 'body.candidate.firstName', 'body.candidate.email']),
    );
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await portal('POST', '/applications', '{"jobId":', { 'content-type': 'application/json' });
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await portal('POST', '/applications', 'jobId=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
  });

  it('answers a body over 256 KiB with 413 before parsing it', async () => {
    const res = await portal('POST', '/applications', `{"x":"${'a'.repeat(256 * 1024)}"}`, {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a missing key with 401 and an unknown key with 401', async () => {
    expect((await anonymous('POST', '/applications', {})).status).toBe(401);
    const stranger = apiClient(t.runtime.baseUrl, 'hub_portal_unknownunknownunknownunknown');
    expect((await stranger('POST', '/applications', {})).status).toBe(401);
  });

  it('forbids the ATS to submit as the portal', async () => {
    expect((await ats('POST', '/applications', { jobId, candidate: candidate() })).status).toBe(403);
  });

  it('sends the request id as header and in the error body', async () => {
    const res = await anonymous('GET', '/jobs');
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
  });
});

describe('stage ownership over HTTP', () => {
  it('lets the portal advance one step at a time to Client Endorsement', async () => {
    const id = await endorsed();
    const detail = await ats('GET', `/applications/${id}`);
    expect(detail.body.application.stage).toBe('Client Endorsement');
  });

  it('refuses a portal skip with 422 INVALID_TRANSITION', async () => {
    const id = (await submit()).body.application.id;
    expect((await advance(portal, id, 'Client Endorsement')).body.error.code).toBe('INVALID_TRANSITION');
  });

  it('refuses a portal move backward with 422', async () => {
    const id = (await submit()).body.application.id;
    await advance(portal, id, 'Shortlist');
    expect((await advance(portal, id, 'Screening')).status).toBe(422);
  });

  it('refuses a portal move into an ATS stage with 403 STAGE_NOT_OWNED', async () => {
    const id = await endorsed();
    const res = await advance(portal, id, 'Assessment');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('STAGE_NOT_OWNED');
  });

  it('refuses an ATS move while the application is in a portal stage', async () => {
    const id = (await submit()).body.application.id;
    expect((await advance(ats, id, 'Shortlist')).body.error.code).toBe('STAGE_NOT_OWNED');
  });

  it('refuses an ATS move back into Shortlist', async () => {
    const id = await endorsed();
    expect((await advance(ats, id, 'Shortlist')).body.error.code).toBe('STAGE_NOT_OWNED');
  });

  it('lets the ATS move forward and backward among its stages', async () => {
    const id = await endorsed();
    expect((await advance(ats, id, 'Interview')).status).toBe(200);
    const back = await advance(ats, id, 'Assessment');
    expect(back.body.transition).toMatchObject({ from: 'Interview', to: 'Assessment', by: 'ats' });
  });

  it('hires on Offer Accepted and then refuses any move', async () => {
    const id = await endorsed();
    const hired = await advance(admin, id, 'Offer Accepted');
    expect(hired.body.application.status).toBe('hired');
    expect((await advance(ats, id, 'Offer')).body.error.code).toBe('INVALID_TRANSITION');
  });

  it('refuses a stale expectedStage with 409 STAGE_CONFLICT', async () => {
    const id = (await submit()).body.application.id;
    await advance(portal, id, 'Shortlist');
    const res = await advance(portal, id, 'Client Endorsement', 'Screening');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('STAGE_CONFLICT');
  });

  it('refuses a move to the current stage', async () => {
    const id = (await submit()).body.application.id;
    expect((await advance(portal, id, 'Screening')).status).toBe(422);
  });

  it('accepts the target stage by id', async () => {
    const id = (await submit()).body.application.id;
    const job = await portal('GET', `/jobs/${jobId}`);
    const shortlist = job.body.stages.find((s: { name: string }) => s.name === 'Shortlist').id;
    expect((await advance(portal, id, shortlist)).body.application.stage).toBe('Shortlist');
  });

  it('answers 400 for a stage that is not in the job', async () => {
    const id = (await submit()).body.application.id;
    expect((await advance(portal, id, 'Nowhere')).status).toBe(400);
  });

  it('hides another organization’s application with 404', async () => {
    const id = (await submit()).body.application.id;
    const foreign = apiClient(t.runtime.baseUrl, other.keys.ats);
    expect((await foreign('POST', `/applications/${id}/stage`, { toStage: 'Shortlist' })).status).toBe(404);
  });

  it('lets exactly one of 20 concurrent identical moves win', async () => {
    const id = (await submit()).body.application.id;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => advance(portal, id, 'Shortlist', 'Screening')),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const detail = await ats('GET', `/applications/${id}`);
    expect(detail.body.history).toHaveLength(2);
    expect(detail.body.application.version).toBe(2);
  });
});

describe('status changes', () => {
  it('lets the ATS reject with a note and records it in history', async () => {
    const id = (await submit()).body.application.id;
    const res = await ats('POST', `/applications/${id}/status`, { status: 'rejected', note: 'not a fit' });
    expect(res.body.application.status).toBe('rejected');
    const detail = await ats('GET', `/applications/${id}`);
    expect(detail.body.history.at(-1)).toMatchObject({ from: 'active', to: 'rejected', note: 'not a fit' });
  });

  it('forbids the portal the status route', async () => {
    const id = (await submit()).body.application.id;
    expect((await portal('POST', `/applications/${id}/status`, { status: 'withdrawn' })).status).toBe(403);
  });

  it('refuses changing a closed application', async () => {
    const id = (await submit()).body.application.id;
    await ats('POST', `/applications/${id}/status`, { status: 'withdrawn' });
    expect((await ats('POST', `/applications/${id}/status`, { status: 'rejected' })).status).toBe(422);
  });
});

describe('reads', () => {
  it('returns the complete history of a hired application', async () => {
    const id = await endorsed();
    await advance(ats, id, 'Interview');
    await advance(ats, id, 'Offer');
    await advance(ats, id, 'Offer Accepted');
    const detail = await portal('GET', `/applications/${id}`);
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual([
      'Screening',
      'Shortlist',
      'Client Endorsement',
      'Interview',
      'Offer',
      'Offer Accepted',
    ]);
  });

  it('pages through a job’s applications with a cursor', async () => {
    const first = await ats('GET', `/jobs/${jobId}/applications?limit=2`);
    const second = await ats('GET', `/jobs/${jobId}/applications?limit=2&cursor=${first.body.nextCursor}`);
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    expect(new Date(second.body.items[0].createdAt) <= new Date(first.body.items[1].createdAt)).toBe(true);
  });

  it('filters by stage and status', async () => {
    const res = await ats('GET', `/jobs/${jobId}/applications?status=hired&limit=200`);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((i: { status: string }) => i.status === 'hired')).toBe(true);
  });

  it('refuses a forged cursor with 400', async () => {
    expect((await ats('GET', `/jobs/${jobId}/applications?cursor=forged`)).status).toBe(400);
  });

  it('refuses a limit over 200', async () => {
    expect((await ats('GET', `/jobs/${jobId}/applications?limit=201`)).status).toBe(400);
  });
});

describe('resume upload', () => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1000, 0x20), Buffer.from('\n%%EOF\n')]);

  async function upload(
    resumeUpload: { url: string; fields: Record<string, string> },
    bytes: Buffer,
    type: string,
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries(resumeUpload.fields)) form.append(k, v);
    form.append('file', new Blob([bytes], { type }), 'cv.pdf');
    return fetch(resumeUpload.url, { method: 'POST', body: form });
  }

  it('hands back a presigned POST that accepts the declared file', async () => {
    const created = await submit({
      resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: pdf.length },
    });
    expect(
      created.body.resumeUpload.fields['Content-Type'] ?? created.body.resumeUpload.fields['content-type'],
    ).toBe('application/pdf');
    const before = await ats('GET', `/applications/${created.body.application.id}`);
    expect(before.body.documents).toEqual([
      expect.objectContaining({ fileName: 'cv.pdf', sizeBytes: pdf.length, scanStatus: 'pending_upload' }),
    ]);
    const res = await upload(created.body.resumeUpload, pdf, 'application/pdf');
    expect(res.status).toBeLessThan(300);
    const detail = await ats('GET', `/applications/${created.body.application.id}`);
    expect(detail.body.documents).toEqual([
      expect.objectContaining({ fileName: 'cv.pdf', sizeBytes: pdf.length }),
    ]);
  });

  /** Polls the application until its document leaves the states before a scan verdict. */
  async function scanStatusAfterUpload(applicationId: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const detail = await ats('GET', `/applications/${applicationId}`);
      const status = detail.body.documents?.[0]?.scanStatus as string | undefined;
      if ((status && !['pending_upload', 'uploaded'].includes(status)) || Date.now() > deadline) {
        return status ?? 'missing';
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  it('marks the uploaded resume clean once the (simulated) malware scan found nothing', async () => {
    const created = await submit({
      resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: pdf.length },
    });
    const res = await upload(created.body.resumeUpload, pdf, 'application/pdf');
    expect(res.status).toBeLessThan(300);

    expect(await scanStatusAfterUpload(created.body.application.id)).toBe('clean');
    // GuardDuty's tag is on the object too, as in AWS
    const key = created.body.resumeUpload.fields.key as string;
    expect(t.runtime.objectStore.getTags('hub-local', key)).toEqual({
      GuardDutyMalwareScanStatus: 'NO_THREATS_FOUND',
    });
  });

  it('hands out a download link to the clean resume that the local object store serves', async () => {
    const created = await submit({
      resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: pdf.length },
    });
    await upload(created.body.resumeUpload, pdf, 'application/pdf');
    const id = created.body.application.id as string;
    expect(await scanStatusAfterUpload(id)).toBe('clean');
    const { body: detail } = await ats('GET', `/applications/${id}`);
    const link = await portal('GET', `/applications/${id}/documents/${detail.documents[0].id}`);
    const file = await fetch(link.body.url);
    expect([file.status, Buffer.from(await file.arrayBuffer()).equals(pdf)]).toEqual([200, true]);
  });

  it('rejects an upload whose bytes are not the declared PDF, although the scan found no threat', async () => {
    const html = Buffer.from('<html><body>not a resume</body></html>');
    const created = await submit({
      resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: html.length },
    });
    const res = await upload(created.body.resumeUpload, html, 'application/pdf');
    expect(res.status).toBeLessThan(300);

    expect(await scanStatusAfterUpload(created.body.application.id)).toBe('rejected');
  });

  it('refuses an upload larger than declared', async () => {
    const created = await submit({
      resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: 100 },
    });
    const res = await upload(created.body.resumeUpload, pdf, 'application/pdf');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('EntityTooLarge');
  });

  it('refuses a resume of a type docs/api.md does not allow', async () => {
    const res = await submit({
      resume: { fileName: 'cv.exe', contentType: 'application/x-msdownload', sizeBytes: 10 },
    });
    expect(res.status).toBe(400);
  });

  it('refuses a declared size over 10 MiB', async () => {
    const res = await submit({
      resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: 10 * 1024 * 1024 + 1 },
    });
    expect(res.status).toBe(400);
  });
});

/**
 * The recruiting record over HTTP against `npm start`'s runtime: a portal submission, then the ATS team tags
 * the candidate, schedules an interview, submits a scorecard and writes notes, and reads each back. A private
 * note stays its author's, even to the organization's admin key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient, fileRuntime, type TestRuntime } from '../support/local-runtime.js';

type Client = ReturnType<typeof apiClient>;
let t: TestRuntime;
let ats: Client;
let admin: Client;
let portal: Client;
let applicationId: string;
let candidateId: string;

fileRuntime((runtime) => {
  t = runtime;
});

beforeAll(async () => {
  const [org] = t.runtime.credentials.organizations as unknown as [
    { keys: { portal: string; ats: string; admin: string } },
  ];
  ats = apiClient(t.runtime.baseUrl, org.keys.ats);
  admin = apiClient(t.runtime.baseUrl, org.keys.admin);
  portal = apiClient(t.runtime.baseUrl, org.keys.portal);
  const job = await ats('POST', '/jobs', { title: 'Compiler Engineer', employmentType: 'full_time' });
  const submitted = await portal('POST', '/applications', {
    jobId: job.body.id,
    candidate: { firstName: 'Grace', lastName: 'Hopper', email: `grace.${Date.now()}@example.com` },
  });
  expect(submitted.status).toBe(201);
  applicationId = submitted.body.application.id;
  candidateId = submitted.body.application.candidateId;
});

describe('the recruiting record over HTTP', () => {
  it('replaces a candidate’s tags and shows them on the candidate', async () => {
    const put = await ats('PUT', `/candidates/${candidateId}/tags`, { tags: ['cobol', 'Remote'] });

    const candidate = await ats('GET', `/candidates/${candidateId}`);

    expect(put.status).toBe(200);
    expect(candidate.body).toMatchObject({
      tags: ['cobol', 'Remote'],
      applications: [{ id: applicationId, stage: 'Screening', status: 'active' }],
    });
  });

  it('finds the candidate by tag', async () => {
    await ats('PUT', `/candidates/${candidateId}/tags`, { tags: ['navy'] });

    const page = await ats('GET', '/candidates?tag=NAVY');

    expect(page.body.items.map((c: { id: string }) => c.id)).toEqual([candidateId]);
  });

  it('schedules an interview, takes a scorecard for it, and lists both', async () => {
    const interview = await ats('POST', `/applications/${applicationId}/interviews`, {
      title: 'Technical interview',
      startAt: '2026-12-10T14:00:00Z',
      endAt: '2026-12-10T15:00:00Z',
      interviewers: [{ name: 'Alan Turing', email: 'alan@example.com' }],
    });
    const scorecard = await ats('POST', `/interviews/${interview.body.id}/scorecards`, {
      interviewer: { name: 'Alan Turing' },
      recommendation: 'strong_yes',
      attributes: [{ name: 'Problem solving', rating: 'strong' }],
    });

    const [interviews, scorecards] = await Promise.all([
      ats('GET', `/applications/${applicationId}/interviews`),
      ats('GET', `/applications/${applicationId}/scorecards`),
    ]);

    expect([interview.status, scorecard.status]).toEqual([201, 201]);
    expect(interviews.body.items).toEqual([
      expect.objectContaining({ id: interview.body.id, status: 'scheduled' }),
    ]);
    expect(scorecards.body.items).toEqual([
      expect.objectContaining({
        id: scorecard.body.id,
        interviewId: interview.body.id,
        recommendation: 'strong_yes',
      }),
    ]);
  });

  it('writes notes and keeps a private one from the admin key', async () => {
    await ats('POST', `/applications/${applicationId}/notes`, {
      body: 'Shared remark',
      visibility: 'organization',
    });
    await ats('POST', `/applications/${applicationId}/notes`, { body: 'Only mine', visibility: 'private' });

    const [byAuthor, byAdmin] = await Promise.all([
      ats('GET', `/applications/${applicationId}/notes`),
      admin('GET', `/applications/${applicationId}/notes`),
    ]);

    expect(byAuthor.body.items.map((n: { body: string }) => n.body)).toEqual(['Shared remark', 'Only mine']);
    expect(byAdmin.body.items.map((n: { body: string }) => n.body)).toEqual(['Shared remark']);
  });

  it('refuses the portal key', async () => {
    const res = await portal('GET', `/applications/${applicationId}/notes`);

    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

/**
 * Users over HTTP against `npm start`'s runtime: the organization's admin adds a recruiter, whose personal key
 * takes a portal submission over at the handoff, moves it and writes a note; the history and the notes name the
 * recruiter. Once the admin deletes the user, its key answers 401 everywhere, and what it wrote still names it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient, fileRuntime, type TestRuntime } from '../support/local-runtime.js';

type Client = ReturnType<typeof apiClient>;
let t: TestRuntime;
let admin: Client;
let portal: Client;
let recruiter: Client;
let recruiterId: string;
let applicationId: string;

fileRuntime((runtime) => {
  t = runtime;
});

beforeAll(async () => {
  const [org] = t.runtime.credentials.organizations as unknown as [
    { keys: { portal: string; ats: string; admin: string } },
  ];
  admin = apiClient(t.runtime.baseUrl, org.keys.admin);
  portal = apiClient(t.runtime.baseUrl, org.keys.portal);
  const ats = apiClient(t.runtime.baseUrl, org.keys.ats);
  const job = await ats('POST', '/jobs', { title: 'Flight Engineer', employmentType: 'full_time' });
  const submitted = await portal('POST', '/applications', {
    jobId: job.body.id,
    candidate: { firstName: 'Katherine', lastName: 'Johnson', email: `katherine.${Date.now()}@example.com` },
  });
  applicationId = submitted.body.application.id;
  for (const toStage of ['Shortlist', 'Client Endorsement']) {
    await portal('POST', `/applications/${applicationId}/stage`, { toStage });
  }
});

describe('a user over HTTP', () => {
  it('is created by the admin with a personal key shown once', async () => {
    const res = await admin('POST', '/users', {
      email: 'dorothy.vaughan@example.com',
      name: 'Dorothy Vaughan',
      role: 'recruiter',
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'recruiter', keyRole: 'ats', active: true });
    recruiterId = res.body.id;
    recruiter = apiClient(t.runtime.baseUrl, res.body.apiKey);
  });

  it('moves the application and is named in its history', async () => {
    const moved = await recruiter('POST', `/applications/${applicationId}/stage`, { toStage: 'Offer' });

    const detail = await admin('GET', `/applications/${applicationId}`);

    expect(moved.status).toBe(200);
    expect(detail.body.history.at(-1)).toMatchObject({
      to: 'Offer',
      by: 'ats',
      user: { id: recruiterId, name: 'Dorothy Vaughan' },
    });
  });

  it('writes a note authored by the user', async () => {
    const written = await recruiter('POST', `/applications/${applicationId}/notes`, {
      body: 'Ready for the offer.',
      visibility: 'organization',
    });

    const notes = await admin('GET', `/applications/${applicationId}/notes`);

    expect(written.status).toBe(201);
    expect(notes.body.items).toContainEqual(
      expect.objectContaining({
        body: 'Ready for the offer.',
        author: 'Dorothy Vaughan',
        authorUserId: recruiterId,
      }),
    );
  });

  it('is listed among the organization’s users', async () => {
    const res = await admin('GET', '/users');

    expect(res.body.items).toContainEqual(expect.objectContaining({ id: recruiterId, active: true }));
  });

  it('is deleted by the admin, and its key answers 401 from then on', async () => {
    const deleted = await admin('DELETE', `/users/${recruiterId}`);

    const [read, move] = [
      await recruiter('GET', `/applications/${applicationId}`),
      await recruiter('POST', `/applications/${applicationId}/stage`, { toStage: 'Offer Accepted' }),
    ];

    expect([deleted.status, read.status, move.status]).toEqual([204, 401, 401]);
  });

  it('stays named in the history after its deletion', async () => {
    const detail = await admin('GET', `/applications/${applicationId}`);

    expect(detail.body.history.at(-1)).toMatchObject({ to: 'Offer', user: { name: 'Dorothy Vaughan' } });
  });
});

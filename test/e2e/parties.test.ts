/**
 * Several parties over HTTP against `npm start`'s runtime (docs/parties.md): the seeded platform creates an
 * employer and two agencies; the employer partners both on a job; agency 1 submits and agency 2's submission of
 * the same person conflicts; agency 1 moves it through the portal stages and the employer through its own to the
 * hire; the two exchange messages with read receipts; the employer's private note never reaches the agency, a
 * shared one does; and the employer's funnel shows the agency's numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient, fileRuntime, type TestRuntime } from '../support/local-runtime.js';

type Client = ReturnType<typeof apiClient>;
type Keys = { portal: string; ats: string; admin: string };
let t: TestRuntime;
const clients = (keys: Keys) => ({
  portal: apiClient(t.runtime.baseUrl, keys.portal),
  ats: apiClient(t.runtime.baseUrl, keys.ats),
  admin: apiClient(t.runtime.baseUrl, keys.admin),
});
let employer: { id: string } & Record<keyof Keys, Client>;
const agencies: ({ id: string } & Record<keyof Keys, Client>)[] = [];
let jobId: string;
let applicationId: string;
const person = { firstName: 'Alan', lastName: 'Turing', email: `alan.${Date.now()}@example.com` };

fileRuntime((runtime) => {
  t = runtime;
});

beforeAll(async () => {
  const platform = apiClient(t.runtime.baseUrl, t.runtime.credentials.parties.platform.keys.admin);
  const create = async (name: string, type: 'employer' | 'agency') => {
    const res = await platform('POST', '/organizations', { name, type });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, ...clients(res.body.keys as Keys) };
  };
  employer = await create('Massive Dynamic', 'employer');
  agencies.push(await create('Bluth Recruiting', 'agency'), await create('Dunder Talent', 'agency'));
  const job = await employer.ats('POST', '/jobs', { title: 'Cryptanalyst', employmentType: 'full_time' });
  jobId = job.body.id;
  for (const agency of agencies) {
    const partnered = await employer.admin('POST', '/partnerships', {
      agencyOrganizationId: agency.id,
      jobIds: [jobId],
    });
    expect(partnered.status).toBe(201);
  }
});

describe('several parties over HTTP', () => {
  it('seeds a platform, an employer and two agencies into the credentials', () => {
    const { parties } = t.runtime.credentials;

    expect(parties.agencies).toHaveLength(2);
    expect(Object.keys(parties.employer.keys).sort()).toEqual(['admin', 'ats', 'portal']);
  });

  it('takes agency 1’s submission and answers agency 2’s of the same person with a conflict', async () => {
    const first = await agencies[0]!.portal('POST', '/applications', { jobId, candidate: person });
    const second = await agencies[1]!.portal('POST', '/applications', {
      jobId,
      candidate: { ...person, email: person.email.toUpperCase() },
    });

    expect(first.status).toBe(201);
    expect(first.body.application).toMatchObject({
      submittingOrganizationId: agencies[0]!.id,
      receivingOrganizationId: employer.id,
      applicationType: 'agency_submission',
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'SUBMISSION_CONFLICT', details: {} });
    applicationId = first.body.application.id;
  });

  it('lets the agency move the portal stages and the employer its own, to the hire', async () => {
    const moves: [Client, string][] = [
      [agencies[0]!.portal, 'Shortlist'],
      [agencies[0]!.portal, 'Client Endorsement'],
      [employer.ats, 'Offer'],
      [employer.ats, 'Offer Accepted'],
    ];
    const statuses: number[] = [];
    for (const [client, toStage] of moves) {
      statuses.push((await client('POST', `/applications/${applicationId}/stage`, { toStage })).status);
    }

    const seen = await agencies[0]!.portal('GET', `/applications/${applicationId}`);

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(seen.body.application).toMatchObject({ stage: 'Offer Accepted', status: 'hired' });
    expect(seen.body.history.map((h: { to: string }) => h.to)).toContain('Offer');
  });

  it('exchanges messages with a read receipt per organization', async () => {
    const asked = await employer.ats('POST', `/applications/${applicationId}/messages`, {
      body: 'Start date?',
      to: agencies[0]!.id,
    });
    await agencies[0]!.portal('POST', `/messages/${asked.body.id}/read`);
    await agencies[0]!.portal('POST', `/applications/${applicationId}/messages`, {
      body: 'First of the month',
      to: 'all_parties',
    });

    const thread = await employer.ats('GET', `/applications/${applicationId}/messages`);

    expect(thread.body.items.map((m: { body: string }) => m.body)).toEqual([
      'Start date?',
      'First of the month',
    ]);
    expect(thread.body.items[0].receipts).toEqual([
      { organizationId: agencies[0]!.id, readAt: expect.any(String) },
    ]);
  });

  it('keeps the employer’s private note from the agency and shares a shared one', async () => {
    await employer.ats('POST', `/applications/${applicationId}/notes`, {
      body: 'Salary ceiling 90k',
      visibility: 'private',
    });
    await employer.ats('POST', `/applications/${applicationId}/notes`, {
      body: 'Team thinks highly',
      visibility: 'organization',
    });
    await employer.ats('POST', `/applications/${applicationId}/notes`, {
      body: 'Welcome aboard',
      visibility: 'shared',
    });

    const notes = await agencies[0]!.ats('GET', `/applications/${applicationId}/notes`);
    const other = await agencies[1]!.ats('GET', `/applications/${applicationId}/notes`);

    expect(notes.body.items.map((n: { body: string }) => n.body)).toEqual(['Welcome aboard']);
    expect(other.status).toBe(404);
  });

  it('shows the agency’s numbers in the employer’s funnel', async () => {
    const funnel = await employer.ats('GET', `/analytics/funnel?jobId=${jobId}`);

    const agency = funnel.body.submitters.find(
      (s: { organizationId: string }) => s.organizationId === agencies[0]!.id,
    );

    expect(agency).toMatchObject({ applications: 1, hired: 1, applicationType: 'agency_submission' });
    expect(funnel.body.submitters.map((s: { organizationId: string }) => s.organizationId)).not.toContain(
      agencies[1]!.id,
    );
  });
});

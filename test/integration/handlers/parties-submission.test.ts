/**
 * Agency submissions (docs/parties.md): an agency's portal key submits to a job of a live partnership; the
 * application records the parties; anything else is 404 with nothing written; one active application per person
 * and job across all parties.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { partiesApi } from '../../support/parties-api.js';

const { w, call, submit, count } = partiesApi();
const email = () => `ada.${randomUUID()}@example.com`;

describe('agency submissions', () => {
  it('submits to a partner job, recording submitting and receiving organization and the type', async () => {
    const [agency] = w.world.agencies;

    const res = await submit(agency.keys.portal, w.world.jobId, email());

    expect(res.status).toBe(201);
    expect(res.body.application).toMatchObject({
      jobId: w.world.jobId,
      stage: 'Screening',
      submittingOrganizationId: agency.id,
      receivingOrganizationId: w.world.employer.id,
      applicationType: 'agency_submission',
    });
  });

  it('answers 404 for a job it is not partnered on, and writes nothing', async () => {
    const before = await Promise.all(['candidates', 'applications', 'outbox'].map(count));

    const res = await submit(w.world.agencies[0].keys.portal, w.world.privateJobId, email());

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(await Promise.all(['candidates', 'applications', 'outbox'].map(count))).toEqual(before);
  });

  it('answers another agency 409 SUBMISSION_CONFLICT naming no one, whatever the email’s case', async () => {
    const person = email();
    await submit(w.world.agencies[0].keys.portal, w.world.jobId, person);

    const res = await submit(w.world.agencies[1].keys.portal, w.world.jobId, person.toUpperCase());

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'SUBMISSION_CONFLICT', details: {} });
    expect(JSON.stringify(res.body)).not.toContain(w.world.agencies[0].id);
  });

  it('answers the same agency 409 DUPLICATE_APPLICATION with its application', async () => {
    const person = email();
    const first = await submit(w.world.agencies[0].keys.portal, w.world.jobId, person);

    const res = await submit(w.world.agencies[0].keys.portal, w.world.jobId, person);

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'DUPLICATE_APPLICATION',
      details: { applicationId: first.body.application.id },
    });
  });

  it('answers the employer’s own portal 409 SUBMISSION_CONFLICT for a person an agency holds', async () => {
    const person = email();
    await submit(w.world.agencies[0].keys.portal, w.world.jobId, person);

    const res = await submit(w.world.employer.keys.portal, w.world.jobId, person);

    expect(res.body.error.code).toBe('SUBMISSION_CONFLICT');
  });

  it('lets the employer read the application and the party that submitted it', async () => {
    const sent = await submit(w.world.agencies[1].keys.portal, w.world.jobId, email());

    const res = await call('GET /applications/{id}', w.world.employer.keys.ats, {
      params: { id: sent.body.application.id },
    });

    expect(res.status).toBe(200);
    expect(res.body.application).toMatchObject({
      submittingOrganizationId: w.world.agencies[1].id,
      applicationType: 'agency_submission',
    });
  });
});

describe('partnerships', () => {
  it('lets an employer partner an agency of its platform on its job, and the agency then submit', async () => {
    const [agency] = w.world.agencies;
    const created = await call('POST /partnerships', w.world.employer.keys.admin, {
      body: { agencyOrganizationId: agency.id, jobIds: [w.world.privateJobId] },
    });

    const res = await submit(agency.keys.portal, w.world.privateJobId, email());

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ agencyOrganizationId: agency.id, jobIds: [w.world.privateJobId] });
    expect(res.status).toBe(201);
  });

  it('answers 404 for an organization that is not an agency of the platform, and writes nothing', async () => {
    const before = await count('partnerships');

    const res = await call('POST /partnerships', w.world.employer.keys.admin, {
      body: { agencyOrganizationId: w.world.platform.id, jobIds: [w.world.jobId] },
    });

    expect(res.status).toBe(404);
    expect(await count('partnerships')).toBe(before);
  });

  it('stops new submissions once ended and keeps the existing ones', async () => {
    const [, agency] = w.world.agencies;
    const kept = await submit(agency.keys.portal, w.world.jobId, email());
    const ended = await call('DELETE /partnerships/{id}', w.world.employer.keys.admin, {
      params: { id: w.world.partnershipIds[1] },
    });

    const refused = await submit(agency.keys.portal, w.world.jobId, email());
    const read = await call('GET /applications/{id}', agency.keys.portal, {
      params: { id: kept.body.application.id },
    });

    expect(ended.body.endedAt).not.toBeNull();
    expect(refused.status).toBe(404);
    expect(read.status).toBe(200);
  });
});

describe('organizations', () => {
  it('lets a platform admin create an agency with three working keys', async () => {
    const res = await call('POST /organizations', w.world.platform.keys.admin, {
      body: { name: 'Umbrella Talent', type: 'agency' },
    });

    const partnerships = await call('GET /partnerships', res.body.keys.admin);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'agency', parentOrganizationId: w.world.platform.id });
    expect(partnerships).toMatchObject({ status: 200, body: { items: [] } });
  });

  it('answers 403 to an employer’s admin', async () => {
    const res = await call('POST /organizations', w.world.employer.keys.admin, {
      body: { name: 'Shadow Agency', type: 'agency' },
    });

    expect(res.status).toBe(403);
  });
});

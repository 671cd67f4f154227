import { describe, expect, it } from 'vitest';
import {
  applicationSchema,
  applicationsPageSchema,
  changedEmployeesSchema,
  jobSchema,
  statusesResponseSchema,
  webhookBodySchema,
} from '../../../shared/providers/bamboohr/schemas.js';
import { bamboohrSettingsSchema } from '../../../shared/providers/bamboohr/settings.js';
import { StatusCatalog } from '../../../shared/providers/bamboohr/statuses.js';
import { toApplication } from '../../../shared/providers/bamboohr/to-application.js';
import { toCandidate } from '../../../shared/providers/bamboohr/to-candidate.js';
import { toJob } from '../../../shared/providers/bamboohr/to-job.js';
import { toWebhookEvents } from '../../../shared/providers/bamboohr/to-webhook-event.js';
import { jsonSamples } from './samples.js';

const sample = jsonSamples('bamboohr');

const catalog = new StatusCatalog(statusesResponseSchema.parse(sample('statuses.json')));
const codes = bamboohrSettingsSchema.parse({});

function application(index: number) {
  const page = applicationsPageSchema.parse(sample('applications-page.json'));
  return applicationSchema.parse(page.applications[index]);
}

function job(index: number) {
  const jobs = sample('jobs.json') as unknown[];
  return jobSchema.parse(jobs[index]);
}

describe('BambooHR application mapper', () => {
  it('maps an open application with its status as the stage', () => {
    const mapped = toApplication(application(0), catalog, codes);

    expect(mapped).toEqual({
      remoteId: '1001',
      candidateRemoteId: '5001',
      jobRemoteId: '100',
      stage: { remoteId: '2', name: 'Reviewed' },
      status: 'active',
      rejectionReason: null,
      appliedAt: '2026-01-02T09:15:00.000Z',
      remoteUpdatedAt: null,
    });
  });

  it('reads a rejection status code as rejected with the status label as reason', () => {
    const mapped = toApplication(application(1), catalog, codes);

    expect(mapped).toMatchObject({ status: 'rejected', rejectionReason: 'Not a Fit' });
  });

  it('reads a UTC "YYYY-MM-DD HH:MM:SS" applied date as ISO', () => {
    const mapped = toApplication(application(1), catalog, codes);

    expect(mapped.appliedAt).toBe('2026-01-03T10:00:00.000Z');
  });

  it('reads the HIRED status code as hired', () => {
    const mapped = toApplication(application(2), catalog, codes);

    expect(mapped.status).toBe('hired');
  });

  it('reads the DECLINED_OFFER status code as withdrawn', () => {
    const mapped = toApplication(application(3), catalog, codes);

    expect(mapped.status).toBe('withdrawn');
  });

  it('reads a status id missing from the catalog as active', () => {
    const unknown = { ...application(0), status: { id: '999', label: 'Custom' } };

    expect(toApplication(unknown, catalog, codes)).toMatchObject({
      status: 'active',
      stage: { remoteId: '999', name: 'Custom' },
    });
  });

  it('follows configured status codes', () => {
    const custom = bamboohrSettingsSchema.parse({ rejectedStatusCodes: ['reviewed'] });

    expect(toApplication(application(0), catalog, custom).status).toBe('rejected');
  });

  it('takes remoteUpdatedAt from lastUpdated on the single-application read', () => {
    const detail = applicationSchema.parse(sample('application-detail.json'));

    expect(toApplication(detail, catalog, codes).remoteUpdatedAt).toBe('2026-01-03T08:00:00.000Z');
  });
});

describe('BambooHR candidate mapper', () => {
  it('maps the embedded applicant with a lower-cased email, and no phones since the list reports none', () => {
    const mapped = toCandidate(application(0).applicant);

    expect(mapped).toEqual({
      remoteId: '5001',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.lovelace.1@example.test',
      phone: null,
      emails: [{ value: 'ada.lovelace.1@example.test', type: 'other' }],
      remoteUpdatedAt: null,
    });
  });

  it('reads an empty email as none and a string applicant id as the id', () => {
    const mapped = toCandidate(application(1).applicant);

    expect(mapped).toMatchObject({ remoteId: '5002', email: null, emails: [] });
  });

  it('takes the phone from the single-application read', () => {
    const detail = applicationSchema.parse(sample('application-detail.json'));

    const mapped = toCandidate(detail.applicant);

    expect(mapped).toMatchObject({ phone: '+1-555-0100', phones: [{ value: '+1-555-0100', type: 'other' }] });
  });

  it('reports neither company, title, tags nor attachments, which BambooHR does not hold on an applicant', () => {
    const detail = applicationSchema.parse(sample('application-detail.json'));

    const mapped = toCandidate(detail.applicant);

    expect(mapped).not.toHaveProperty('company');
    expect(mapped).not.toHaveProperty('title');
    expect(mapped).not.toHaveProperty('tags');
    expect(mapped).not.toHaveProperty('attachments');
  });
});

describe('BambooHR job mapper', () => {
  it('maps an open job with the enabled statuses as stages in listed order', () => {
    const mapped = toJob(job(0), catalog.stages());

    expect(mapped).toEqual({
      remoteId: '100',
      title: 'Software Engineer 1',
      status: 'open',
      employmentType: null,
      stages: [
        { remoteId: '1', name: 'New', position: 0 },
        { remoteId: '2', name: 'Reviewed', position: 1 },
        { remoteId: '6', name: 'Interviewed', position: 2 },
        { remoteId: '10', name: 'Not a Fit', position: 3 },
        { remoteId: '11', name: 'Declined Offer', position: 4 },
        { remoteId: '15', name: 'Hired', position: 5 },
      ],
      department: 'Engineering',
      office: 'Remote',
      remoteUpdatedAt: null,
    });
  });

  it('maps a draft part-time job', () => {
    expect(toJob(job(1), [])).toMatchObject({ status: 'draft', employmentType: 'part_time' });
  });

  it('maps a filled job to closed', () => {
    expect(toJob(job(2), []).status).toBe('closed');
  });
});

describe('BambooHR status catalog', () => {
  it('finds the first enabled status with one of the codes', () => {
    expect(catalog.firstWithCode(['PUT_ON_HOLD', 'NOT_A_FIT'])?.id).toBe('10');
  });
});

describe('BambooHR changed employees', () => {
  it('reads the employees keyed by id and the latest marker', () => {
    const parsed = changedEmployeesSchema.parse(sample('employees-changed.json'));

    expect({ latest: parsed.latest, ids: Object.keys(parsed.employees ?? {}) }).toEqual({
      latest: '2026-01-15T12:00:00+00:00',
      ids: ['40', '41'],
    });
  });

  it('accepts an empty employee list serialised as an array', () => {
    const parsed = changedEmployeesSchema.parse({ latest: '2026-01-15T12:00:00+00:00', employees: [] });

    expect(parsed.employees).toEqual([]);
  });
});

describe('BambooHR webhook events', () => {
  it('maps each employee entry to an ignored event named after its action', () => {
    const events = toWebhookEvents(webhookBodySchema.parse(sample('webhook-employees.json')));

    expect(events).toEqual([
      { kind: 'ignored', eventType: 'employee.updated' },
      { kind: 'ignored', eventType: 'employee.deleted' },
    ]);
  });
});

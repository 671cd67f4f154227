/** Lever raw samples (events/providers/lever) → canonical records and webhook events. */
import { describe, expect, it } from 'vitest';
import { leverOpportunitySchema, leverPostingSchema } from '../../../shared/providers/lever/schemas.js';
import { toApplication } from '../../../shared/providers/lever/to-application.js';
import { toCandidate, uniqueCandidates } from '../../../shared/providers/lever/to-candidate.js';
import { toJob } from '../../../shared/providers/lever/to-job.js';
import { toWebhookEvents } from '../../../shared/providers/lever/to-webhook-event.js';
import { jsonSamples } from './samples.js';

/** Raw JSON of arbitrary shape, read by path. */
const sample = jsonSamples<any>('lever');
const opportunities = () =>
  (sample('opportunities-page.json').data as unknown[]).map((o) => leverOpportunitySchema.parse(o));
const context = {
  stageNames: new Map([['lead-new', 'New lead']]),
  hiredReasonIds: new Set<string>(),
  withdrawnReasonIds: new Set<string>(),
};
const REASON = '63dd55b2-a99f-4e7b-985f-22c7bf80ab42';

describe('lever read mappers', () => {
  it('maps an active opportunity to an application on its posting', () => {
    expect(toApplication(opportunities()[0]!, context)).toEqual({
      remoteId: '730e37db-93d3-4acf-b9de-7cfc397cef1d',
      candidateRemoteId: '7f23e772-f2ec-4ec2-9e8c-9e6e4a3b0e7b',
      jobRemoteId: 'f2f7d2f6-posting-1',
      stage: { remoteId: '00922a60-7c15-422b-b086-f62000824fd7', name: 'Phone screen' },
      status: 'active',
      rejectionReason: null,
      appliedAt: new Date(1760000000000).toISOString(),
      remoteUpdatedAt: new Date(1768478400000).toISOString(),
    });
  });

  it('maps an archived opportunity to rejected with its reason, and the stage name from the stage list', () => {
    const mapped = toApplication(opportunities()[1]!, context);

    expect(mapped).toMatchObject({
      status: 'rejected',
      rejectionReason: REASON,
      stage: { remoteId: 'lead-new', name: 'New lead' },
    });
  });

  it('maps an archive reason of type hired to hired, and a withdrawn reason to withdrawn', () => {
    const o = opportunities()[1]!;

    expect(toApplication(o, { ...context, hiredReasonIds: new Set([REASON]) })?.status).toBe('hired');
    expect(toApplication(o, { ...context, withdrawnReasonIds: new Set([REASON]) })?.status).toBe('withdrawn');
  });

  it('skips an opportunity without a posting', () => {
    expect(toApplication(opportunities()[2]!, context)).toBeNull();
  });

  it('maps the contact to a candidate, splitting the name and lower-casing the email', () => {
    expect(toCandidate(opportunities()[0]!)).toEqual({
      remoteId: '7f23e772-f2ec-4ec2-9e8c-9e6e4a3b0e7b',
      firstName: 'Sample',
      lastName: 'Person Two',
      email: 'sample.person@example.test',
      phone: '+1-555-0102',
      emails: [{ value: 'sample.person@example.test', type: 'other' }],
      phones: [{ value: '+1-555-0102', type: 'mobile' }],
      company: null,
      title: null,
      tags: [],
      remoteUpdatedAt: new Date(1768478400000).toISOString(),
    });
  });

  it('keeps one candidate per contact, the most recently updated', () => {
    const [a] = opportunities();
    const older = { ...a!, id: 'other', updatedAt: 1, emails: ['old@example.test'] };

    expect(uniqueCandidates([older, a!])).toEqual([toCandidate(a!)]);
  });

  it('maps postings to jobs with state and commitment', () => {
    const [published, draft] = (sample('postings-page.json').data as unknown[]).map((p) =>
      leverPostingSchema.parse(p),
    );
    const stages = [{ id: 's1', text: 'New' }];

    expect(toJob(published!, stages)).toEqual({
      remoteId: 'f2f7d2f6-posting-1',
      title: 'Backend Engineer',
      status: 'open',
      employmentType: 'full_time',
      stages: [{ remoteId: 's1', name: 'New', position: 0 }],
      department: 'Engineering',
      office: 'Remote',
      remoteUpdatedAt: new Date(1767000000000).toISOString(),
    });
    expect(toJob(draft!, stages)).toMatchObject({ status: 'draft', employmentType: 'intern' });
  });
});

describe('lever webhook mappers', () => {
  it('maps candidateStageChange with the previous stage', () => {
    expect(toWebhookEvents(sample('candidateStageChange.json'))).toEqual([
      {
        kind: 'application.stage_changed',
        applicationRemoteId: '730e37db-93d3-4acf-b9de-7cfc397cef1d',
        candidateRemoteId: '7f23e772-f2ec-4ec2-9e8c-9e6e4a3b0e7b',
        jobRemoteId: null,
        fromStageRemoteId: 'lead-new',
        toStage: { remoteId: '00922a60-7c15-422b-b086-f62000824fd7', name: null },
        occurredAt: new Date(1768478400000).toISOString(),
      },
    ]);
  });

  it('maps an archive to rejected with the reason', () => {
    expect(toWebhookEvents(sample('candidateArchiveChange.json'))).toEqual([
      {
        kind: 'application.status_changed',
        applicationRemoteId: '730e37db-93d3-4acf-b9de-7cfc397cef1d',
        status: 'rejected',
        reason: REASON,
        occurredAt: new Date(1768478460000).toISOString(),
      },
    ]);
  });

  it('maps an unarchive to active', () => {
    const [event] = toWebhookEvents(sample('candidateUnarchived.json'));

    expect(event).toMatchObject({ kind: 'application.status_changed', status: 'active', reason: null });
  });

  it('maps candidateHired to hired', () => {
    const [event] = toWebhookEvents(sample('candidateHired.json'));

    expect(event).toMatchObject({ kind: 'application.status_changed', status: 'hired' });
  });

  it('maps candidateDeleted to a deleted application', () => {
    expect(toWebhookEvents(sample('candidateDeleted.json'))).toEqual([
      {
        kind: 'application.deleted',
        applicationRemoteId: '8d2c9b1a-5555-4acf-b9de-7cfc397cef1d',
        occurredAt: new Date(1768478640000).toISOString(),
      },
    ]);
  });

  it('ignores other events', () => {
    const other = { ...sample('interviewCreated.json'), event: 'applicationCreated' };

    expect(toWebhookEvents(other)).toEqual([{ kind: 'ignored', eventType: 'applicationCreated' }]);
  });
});

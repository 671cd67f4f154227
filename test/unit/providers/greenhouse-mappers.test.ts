/** Greenhouse raw samples (events/providers/greenhouse) → canonical records and webhook events. */
import { describe, expect, it } from 'vitest';
import {
  v3ApplicationSchema,
  v3CandidateSchema,
  v3JobSchema,
  v3JobStageSchema,
} from '../../../shared/providers/greenhouse/schemas.js';
import { toApplication } from '../../../shared/providers/greenhouse/to-application.js';
import { toCandidate } from '../../../shared/providers/greenhouse/to-candidate.js';
import { toJob } from '../../../shared/providers/greenhouse/to-job.js';
import { toWebhookEvents } from '../../../shared/providers/greenhouse/to-webhook-event.js';
import { jsonSamples } from './samples.js';

const sample = jsonSamples('greenhouse');
const list = (name: string) => sample(name) as unknown[];
const NOW = () => new Date('2026-01-15T12:00:00.000Z');
const options = { stageIdField: 'job_interview_stage_id' as const, withdrawnRejectionReasonIds: [] };

describe('greenhouse read mappers', () => {
  it('maps an in-process v3 application with its job stage id', () => {
    const raw = v3ApplicationSchema.parse(list('v3-applications.json')[0]);

    expect(toApplication(raw, options)).toEqual({
      remoteId: '200001',
      candidateRemoteId: '100001',
      jobRemoteId: '4001',
      stage: { remoteId: '70011', name: 'Phone Screen' },
      status: 'active',
      rejectionReason: null,
      appliedAt: '2025-11-01T10:00:00.000Z',
      remoteUpdatedAt: '2026-01-10T10:00:00.000Z',
    });
  });

  it('maps a hired application with no stage', () => {
    const raw = v3ApplicationSchema.parse(list('v3-applications.json')[1]);

    const mapped = toApplication(raw, options);

    expect(mapped?.status).toBe('hired');
    expect(mapped?.stage).toBeNull();
  });

  it('maps a rejection with a configured "they rejected us" reason to withdrawn', () => {
    const raw = v3ApplicationSchema.parse(list('v3-applications.json')[2]);

    expect(toApplication(raw, options)?.status).toBe('rejected');
    expect(toApplication(raw, { ...options, withdrawnRejectionReasonIds: ['9002'] })?.status).toBe(
      'withdrawn',
    );
  });

  it('skips prospect applications', () => {
    const raw = v3ApplicationSchema.parse(list('v3-applications.json')[3]);

    expect(toApplication(raw, options)).toBeNull();
  });

  it('uses the v3 stage_id field when configured to', () => {
    const raw = v3ApplicationSchema.parse(list('v3-applications.json')[0]);

    expect(toApplication(raw, { ...options, stageIdField: 'stage_id' })?.stage?.remoteId).toBe('500002');
  });

  it('maps a candidate to its first non-empty email, lower-cased', () => {
    const raw = v3CandidateSchema.parse(list('v3-candidates.json')[0]);

    expect(toCandidate(raw)).toEqual({
      remoteId: '100001',
      firstName: 'Sample',
      lastName: 'Applicant',
      email: 'sample.applicant@example.test',
      phone: '+1-555-0101',
      emails: [{ value: 'sample.applicant@example.test', type: 'personal' }],
      phones: [{ value: '+1-555-0101', type: 'mobile' }],
      tags: [],
      remoteUpdatedAt: '2026-01-10T10:00:00.000Z',
    });
  });

  it('maps a candidate without contacts and normalises an offset timestamp to UTC', () => {
    const raw = v3CandidateSchema.parse(list('v3-candidates.json')[1]);

    const mapped = toCandidate(raw);

    expect([mapped.email, mapped.phone, mapped.remoteUpdatedAt]).toEqual([
      null,
      null,
      '2026-01-11T09:00:00.000Z',
    ]);
  });

  it('maps a job with employment type and active stages in plan order', () => {
    const job = v3JobSchema.parse(list('v3-jobs.json')[0]);
    const stages = list('v3-job-interview-stages.json').map((s) => v3JobStageSchema.parse(s));

    expect(toJob(job, stages)).toEqual({
      remoteId: '4001',
      title: 'Engineer',
      status: 'open',
      employmentType: 'full_time',
      stages: [
        { remoteId: '70010', name: 'Application Review', position: 0 },
        { remoteId: '70011', name: 'Phone Screen', position: 1 },
        { remoteId: '70012', name: 'Onsite', position: 2 },
      ],
      remoteUpdatedAt: '2026-01-01T10:00:00.000Z',
    });
  });

  it('maps a closed job without employment type', () => {
    const job = v3JobSchema.parse(list('v3-jobs.json')[1]);

    expect(toJob(job)).toMatchObject({ status: 'closed', employmentType: null, stages: [] });
  });
});

describe('greenhouse webhook mappers', () => {
  it('maps a stage change with no previous stage', () => {
    expect(toWebhookEvents(sample('candidate_stage_change.json'), NOW)).toEqual([
      {
        kind: 'application.stage_changed',
        applicationRemoteId: '265277',
        candidateRemoteId: '265772',
        jobRemoteId: '3485',
        fromStageRemoteId: null,
        toStage: { remoteId: '71416', name: 'Assessment' },
        occurredAt: '2026-01-14T16:38:36.000Z',
      },
    ]);
  });

  it('maps application_updated to an upsert with the candidate', () => {
    const [event] = toWebhookEvents(sample('application_updated.json'), NOW);

    expect(event).toMatchObject({
      kind: 'application.upserted',
      application: {
        remoteId: '22202940',
        jobRemoteId: '4001',
        status: 'active',
        stage: { remoteId: '711020' },
      },
      candidate: { remoteId: '13857579', email: 'sample.applicant@example.test' },
    });
  });

  it('maps a rejection for "they rejected us" to withdrawn with the reason', () => {
    expect(toWebhookEvents(sample('reject_candidate_withdrew.json'), NOW)).toEqual([
      {
        kind: 'application.status_changed',
        applicationRemoteId: '22202941',
        status: 'withdrawn',
        reason: 'Withdrew',
        occurredAt: '2026-01-05T09:00:00.000Z',
      },
    ]);
  });

  it('maps hire_candidate to hired', () => {
    const [event] = toWebhookEvents(sample('hire_candidate.json'), NOW);

    expect(event).toMatchObject({
      kind: 'application.status_changed',
      applicationRemoteId: '46194062',
      status: 'hired',
    });
  });

  it('maps the flat delete_application payload', () => {
    expect(toWebhookEvents(sample('delete_application.json'), NOW)).toEqual([
      { kind: 'application.deleted', applicationRemoteId: '46194063', occurredAt: NOW().toISOString() },
    ]);
  });

  it('also maps delete_application wrapped in application (vendor doc example)', () => {
    const [event] = toWebhookEvents(sample('delete_application_wrapped.json'), NOW);

    expect(event).toMatchObject({ kind: 'application.deleted', applicationRemoteId: '46194064' });
  });

  it('maps delete_candidate under payload.person, with its deleted applications', () => {
    expect(
      toWebhookEvents(sample('delete_candidate.json'), NOW).map((e) => [
        e.kind,
        'candidateRemoteId' in e
          ? e.candidateRemoteId
          : 'applicationRemoteId' in e
            ? e.applicationRemoteId
            : null,
      ]),
    ).toEqual([
      ['candidate.deleted', '37031511'],
      ['application.deleted', '46196263'],
      ['application.deleted', '46196258'],
    ]);
  });

  it('maps merge_candidate to the surviving candidate', () => {
    expect(toWebhookEvents(sample('merge_candidate.json'), NOW)).toEqual([
      {
        kind: 'candidate.merged',
        survivingCandidateRemoteId: '457456',
        mergedCandidateRemoteIds: ['37031512'],
        deletedApplicationRemoteIds: [],
        occurredAt: NOW().toISOString(),
      },
    ]);
  });

  it('ignores events the hub does not use', () => {
    expect(toWebhookEvents({ action: 'job_post_created', payload: {} }, NOW)).toEqual([
      { kind: 'ignored', eventType: 'job_post_created' },
    ]);
  });

  it('ignores a known action whose payload has the wrong shape', () => {
    expect(toWebhookEvents({ action: 'candidate_stage_change', payload: { nope: 1 } }, NOW)).toEqual([
      { kind: 'ignored', eventType: 'candidate_stage_change' },
    ]);
  });
});

/** Ashby raw samples (events/providers/ashby) → canonical records, webhook events and error codes. */
import { describe, expect, it } from 'vitest';
import { ashbyErrorCode } from '../../../shared/providers/ashby/client.js';
import {
  ashbyApplicationSchema,
  ashbyCandidateSchema,
  ashbyEnvelopeSchema,
  ashbyJobSchema,
  ashbyStageSchema,
} from '../../../shared/providers/ashby/schemas.js';
import { toApplication } from '../../../shared/providers/ashby/to-application.js';
import { toCandidate } from '../../../shared/providers/ashby/to-candidate.js';
import { toJob } from '../../../shared/providers/ashby/to-job.js';
import { toWebhookEvents } from '../../../shared/providers/ashby/to-webhook-event.js';
import { jsonSamples } from './samples.js';

/** Raw JSON of arbitrary shape, read by path. */
const sample = jsonSamples<any>('ashby');
const NOW = () => new Date('2026-01-15T12:00:00.000Z');

describe('ashby read mappers', () => {
  it('maps an application with candidate, job and current stage', () => {
    const raw = ashbyApplicationSchema.parse(sample('applicationUpdate.json').data.application);

    expect(toApplication(raw)).toEqual({
      remoteId: '3ae2b801-19f6-41ef-ad28-214bd731948f',
      candidateRemoteId: '5b591aed-88e3-4395-b9c6-7e8b6f7c1c4e',
      jobRemoteId: 'job-1',
      stage: { remoteId: 'a7a1b2c3-0001', name: 'Phone Screen' },
      status: 'active',
      rejectionReason: null,
      appliedAt: '2025-12-01T10:00:00.000Z',
      remoteUpdatedAt: '2026-01-14T09:30:00.000Z',
    });
  });

  it('maps an archive the candidate chose to withdrawn with its reason text', () => {
    const raw = ashbyApplicationSchema.parse(sample('candidateStageChange-archived.json').data.application);

    expect(toApplication(raw)).toMatchObject({ status: 'withdrawn', rejectionReason: 'Withdrew' });
  });

  it('maps a candidate, splitting the name and lower-casing the primary email', () => {
    const raw = ashbyCandidateSchema.parse(sample('candidate-list-page.json').results[0]);

    expect(toCandidate(raw)).toEqual({
      remoteId: '5b591aed-88e3-4395-b9c6-7e8b6f7c1c4e',
      firstName: 'Sample',
      lastName: 'Applicant',
      email: 'sample.applicant@example.test',
      phone: '+1-555-0103',
      emails: [{ value: 'sample.applicant@example.test', type: 'personal' }],
      phones: [{ value: '+1-555-0103', type: 'mobile' }],
      remoteUpdatedAt: '2026-01-14T09:30:00.000Z',
    });
  });

  it('falls back to the first non-empty listed email and to createdAt', () => {
    const raw = ashbyCandidateSchema.parse(sample('candidate-list-page.json').results[1]);

    expect(toCandidate(raw)).toMatchObject({
      firstName: 'Mononym',
      lastName: '',
      email: 'second@example.test',
      phone: null,
      remoteUpdatedAt: '2025-12-02T10:00:00.000Z',
    });
  });

  it('maps a job with its plan stages in order, without the Archived exit', () => {
    const job = ashbyJobSchema.parse(sample('job-list-page.json').results[0]);
    const stages = (sample('interview-stage-list.json').results as unknown[]).map((s) =>
      ashbyStageSchema.parse(s),
    );

    expect(toJob(job, stages)).toEqual({
      remoteId: 'job-1',
      title: 'Backend Engineer',
      status: 'open',
      employmentType: 'full_time',
      stages: [
        { remoteId: 'a7a1b2c3-0001', name: 'Phone Screen', position: 0 },
        { remoteId: 'a7a1b2c3-0002', name: 'Onsite', position: 1 },
      ],
      remoteUpdatedAt: '2026-01-01T10:00:00.000Z',
    });
  });

  it('maps an archived job to closed', () => {
    expect(toJob(ashbyJobSchema.parse(sample('job-list-page.json').results[1]))).toMatchObject({
      status: 'closed',
      employmentType: 'contract',
    });
  });

  it('reads the error code of a refused sync token', () => {
    expect(ashbyErrorCode(ashbyEnvelopeSchema.parse(sample('error-sync-token-expired.json')))).toBe(
      'sync_token_expired',
    );
  });
});

describe('ashby webhook mappers', () => {
  it('maps applicationUpdate to an upsert with the candidate', () => {
    const [event] = toWebhookEvents(sample('applicationUpdate.json'), NOW);

    expect(event).toMatchObject({
      kind: 'application.upserted',
      application: { remoteId: '3ae2b801-19f6-41ef-ad28-214bd731948f', status: 'active' },
      candidate: { remoteId: '5b591aed-88e3-4395-b9c6-7e8b6f7c1c4e', email: 'sample.applicant@example.test' },
      occurredAt: '2026-01-14T09:30:00.000Z',
    });
  });

  it('maps candidateStageChange to a stage change with no previous stage', () => {
    expect(toWebhookEvents(sample('candidateStageChange.json'), NOW)).toEqual([
      {
        kind: 'application.stage_changed',
        applicationRemoteId: '3ae2b801-19f6-41ef-ad28-214bd731948f',
        candidateRemoteId: '5b591aed-88e3-4395-b9c6-7e8b6f7c1c4e',
        jobRemoteId: 'job-1',
        fromStageRemoteId: null,
        toStage: { remoteId: 'a7a1b2c3-0002', name: 'Onsite' },
        occurredAt: '2026-01-14T10:00:00.000Z',
      },
    ]);
  });

  it('adds a status change when the stage change archived the application', () => {
    const events = toWebhookEvents(sample('candidateStageChange-archived.json'), NOW);

    expect(events.map((e) => e.kind)).toEqual(['application.stage_changed', 'application.status_changed']);
    expect(events[1]).toMatchObject({ status: 'withdrawn', reason: 'Withdrew' });
  });

  it('maps candidateHire to hired', () => {
    expect(toWebhookEvents(sample('candidateHire.json'), NOW)[0]).toMatchObject({
      kind: 'application.status_changed',
      status: 'hired',
    });
  });

  it('maps candidateDelete to a deleted candidate', () => {
    expect(toWebhookEvents(sample('candidateDelete.json'), NOW)).toEqual([
      {
        kind: 'candidate.deleted',
        candidateRemoteId: '9d1f0c3e-0000-4395-b9c6-7e8b6f7c1c4e',
        occurredAt: NOW().toISOString(),
      },
    ]);
  });

  it('maps candidateMerge to the surviving candidate', () => {
    expect(toWebhookEvents(sample('candidateMerge.json'), NOW)).toEqual([
      {
        kind: 'candidate.merged',
        survivingCandidateRemoteId: '5b591aed-88e3-4395-b9c6-7e8b6f7c1c4e',
        mergedCandidateRemoteIds: ['7c7c7c7c-dup1-4395-b9c6-7e8b6f7c1c4e'],
        deletedApplicationRemoteIds: [],
        occurredAt: NOW().toISOString(),
      },
    ]);
  });

  it('maps ping to ping and ignores unrelated events', () => {
    expect([
      toWebhookEvents(sample('ping.json'), NOW),
      toWebhookEvents(sample('jobCreate.json'), NOW),
    ]).toEqual([[{ kind: 'ping' }], [{ kind: 'ignored', eventType: 'jobCreate' }]]);
  });
});

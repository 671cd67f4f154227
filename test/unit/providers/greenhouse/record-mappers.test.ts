/** Greenhouse v3 record rows → canonical interviews, scorecards, offers, notes, rejection reasons and candidates. */
import { describe, expect, it } from 'vitest';
import {
  v3InterviewSchema,
  v3NoteSchema,
  v3OfferSchema,
  v3RejectionReasonSchema,
  v3ScorecardSchema,
} from '../../../../shared/providers/greenhouse/record-schemas.js';
import { v3CandidateSchema } from '../../../../shared/providers/greenhouse/schemas.js';
import { toCandidate } from '../../../../shared/providers/greenhouse/to-candidate.js';
import { toInterview } from '../../../../shared/providers/greenhouse/to-interview.js';
import { toNote } from '../../../../shared/providers/greenhouse/to-note.js';
import { toOffer } from '../../../../shared/providers/greenhouse/to-offer.js';
import { toRejectionReason } from '../../../../shared/providers/greenhouse/to-rejection-reason.js';
import { recommendationOf, toScorecard } from '../../../../shared/providers/greenhouse/to-scorecard.js';

const users = new Map([['101', { name: 'Rita Recruiter', email: 'rita@example.com' }]]);

describe('greenhouse interview mapper', () => {
  it('maps a v3 interview with its stage and resolves interviewer ids', () => {
    const raw = v3InterviewSchema.parse({
      id: 300001,
      application_id: 200001,
      name: 'Technical Interview',
      job_interview_stage: { id: 70012, name: 'Technical Interview' },
      starts_at: '2026-01-10T10:00:00Z',
      ends_at: '2026-01-10T11:00:00Z',
      location: 'Zoom',
      status: 'awaiting_feedback',
      interviewers: [{ user_id: 101, response_status: 'accepted' }],
      updated_at: '2026-01-10T11:00:00Z',
    });

    expect(toInterview(raw, users)).toEqual({
      remoteId: '300001',
      applicationRemoteId: '200001',
      title: 'Technical Interview',
      stage: { remoteId: '70012', name: 'Technical Interview' },
      startAt: '2026-01-10T10:00:00.000Z',
      endAt: '2026-01-10T11:00:00.000Z',
      location: 'Zoom',
      status: 'completed',
      interviewers: [{ name: 'Rita Recruiter', email: 'rita@example.com' }],
      remoteUpdatedAt: '2026-01-10T11:00:00.000Z',
    });
  });

  it('reads the v1 start and end objects and an all-day event', () => {
    const v1 = toInterview(
      v3InterviewSchema.parse({ id: 1, application_id: 2, start: { date_time: '2026-02-01T09:00:00Z' } }),
    );
    const allDay = toInterview(
      v3InterviewSchema.parse({
        id: 3,
        application_id: 2,
        all_day_start_on: '2026-02-03',
        status: 'cancelled',
      }),
    );

    expect([v1?.startAt, v1?.endAt]).toEqual(['2026-02-01T09:00:00.000Z', '2026-02-01T09:00:00.000Z']);
    expect([allDay?.startAt, allDay?.status]).toEqual(['2026-02-03T00:00:00.000Z', 'cancelled']);
  });

  it('leaves out an interview without an application', () => {
    expect(toInterview(v3InterviewSchema.parse({ id: 1, starts_at: '2026-02-01T09:00:00Z' }))).toBeNull();
  });
});

describe('greenhouse scorecard mapper', () => {
  it('maps a submitted scorecard with its ratings', () => {
    const raw = v3ScorecardSchema.parse({
      id: 400001,
      application_id: 200001,
      interview_id: 300001,
      interviewer_id: 101,
      status: 'complete',
      overall_recommendation: 'definitely_not',
      submitted_at: '2026-01-11T09:00:00Z',
      attributes: [{ name: 'Communication', type: 'Skills', rating: 'yes' }, { name: 'Empty' }],
      updated_at: '2026-01-11T09:00:00Z',
    });

    expect(toScorecard(raw, users)).toEqual({
      remoteId: '400001',
      applicationRemoteId: '200001',
      interviewRemoteId: '300001',
      interviewer: { name: 'Rita Recruiter', email: 'rita@example.com' },
      recommendation: 'strong_no',
      submittedAt: '2026-01-11T09:00:00.000Z',
      attributes: [{ name: 'Communication', rating: 'yes' }],
      remoteUpdatedAt: '2026-01-11T09:00:00.000Z',
    });
  });

  it('leaves a draft out', () => {
    const raw = v3ScorecardSchema.parse({ id: 1, application_id: 2, status: 'draft', submitted_at: null });

    expect(toScorecard(raw)).toBeNull();
  });

  it('maps the five-point scale and anything else to no_decision', () => {
    expect(
      ['strong_yes', 'yes', 'no', 'definitely_not', 'no_decision', 'mixed'].map(recommendationOf),
    ).toEqual(['strong_yes', 'yes', 'no', 'strong_no', 'no_decision', 'no_decision']);
  });
});

describe('greenhouse offer mapper', () => {
  const offer = (fields: Record<string, unknown>) =>
    toOffer(v3OfferSchema.parse({ id: 5, application_id: 2, ...fields }));

  it('maps a created offer with a sent date as sent, and one without as draft', () => {
    expect(offer({ status: 'Created', sent_at: '2026-01-05T00:00:00Z' })?.status).toBe('sent');
    expect(offer({ status: 'Created' })?.status).toBe('draft');
  });

  it('maps accepted, rejected and deprecated versions with their resolution time', () => {
    const resolved = { resolved_at: '2026-01-06T00:00:00Z' };

    expect(
      ['Accepted', 'Rejected', 'Deprecated'].map((status) => {
        const mapped = offer({ status, ...resolved });
        return [mapped?.status, mapped?.resolvedAt];
      }),
    ).toEqual([
      ['accepted', '2026-01-06T00:00:00.000Z'],
      ['declined', '2026-01-06T00:00:00.000Z'],
      ['withdrawn', '2026-01-06T00:00:00.000Z'],
    ]);
  });

  it('keeps the start date as a date, from either spelling', () => {
    expect([
      offer({ start_date: '2026-03-01' })?.startsAt,
      offer({ start_date: '04/15/2013' })?.startsAt,
    ]).toEqual(['2026-03-01', '2013-04-15']);
  });
});

describe('greenhouse note and rejection reason mappers', () => {
  it('maps a public note on the candidate with its author', () => {
    const raw = v3NoteSchema.parse({
      id: 700001,
      candidate_id: 100001,
      application_id: null,
      user_id: 101,
      body: 'Strong background.',
      visibility: 'public',
      created_at: '2026-01-02T10:00:00Z',
    });

    expect(toNote(raw, users)).toEqual({
      remoteId: '700001',
      candidateRemoteId: '100001',
      applicationRemoteId: null,
      body: 'Strong background.',
      author: 'Rita Recruiter',
      visibility: 'organization',
      createdAt: '2026-01-02T10:00:00.000Z',
      remoteUpdatedAt: '2026-01-02T10:00:00.000Z',
    });
  });

  it('maps admin-only notes to private', () => {
    const raw = v3NoteSchema.parse({
      id: 1,
      candidate_id: 2,
      visibility: 'admin_only',
      created_at: '2026-01-02T10:00:00Z',
    });

    expect(toNote(raw)?.visibility).toBe('private');
  });

  it('maps a rejection reason with its type as the category', () => {
    const raw = v3RejectionReasonSchema.parse({
      id: 9002,
      name: 'Withdrew',
      type: { id: 2, name: 'They rejected us' },
    });

    expect(toRejectionReason(raw)).toEqual({
      remoteId: '9002',
      name: 'Withdrew',
      category: 'They rejected us',
      remoteUpdatedAt: null,
    });
  });
});

describe('greenhouse candidate mapper: the richer candidate', () => {
  it('keeps every contact with its type, company, title, tags and attachment metadata without URLs', () => {
    const raw = v3CandidateSchema.parse({
      id: 60304594,
      first_name: 'Jane',
      last_name: 'Smith',
      title: 'Manager',
      company: 'Current Company Co.',
      email_addresses: [
        { value: 'Person@Work.com', type: 'work' },
        { value: 'person@example.com', type: 'personal' },
      ],
      phone_numbers: [{ value: '555-555-5555', type: 'mobile' }],
      tags: ['Ruby', 'Comp Sci', 'Ruby'],
      attachments: [
        {
          id: 1,
          filename: 'Cover.docx',
          url: 'https://prod-heroku.s3.amazonaws.com/x',
          type: 'cover_letter',
        },
        {
          id: 2,
          filename: 'Offer.pdf',
          url: 'https://prod-heroku.s3.amazonaws.com/y',
          type: 'signed_offer_letter',
        },
        {
          id: 3,
          filename: 'Test.zip',
          url: 'https://prod-heroku.s3.amazonaws.com/z',
          type: 'take_home_test',
        },
      ],
    });

    const mapped = toCandidate(raw);

    expect(mapped).toMatchObject({
      email: 'person@work.com',
      emails: [
        { value: 'person@work.com', type: 'work' },
        { value: 'person@example.com', type: 'personal' },
      ],
      phones: [{ value: '555-555-5555', type: 'mobile' }],
      company: 'Current Company Co.',
      title: 'Manager',
      tags: ['Ruby', 'Comp Sci'],
    });
    expect(mapped.attachments?.map((a) => [a.fileName, a.type])).toEqual([
      ['Cover.docx', 'cover_letter'],
      ['Offer.pdf', 'offer_letter'],
      ['Test.zip', 'other'],
    ]);
    expect(JSON.stringify(mapped)).not.toContain('https://');
  });

  it('leaves attachments out when the payload gives them without ids (webhooks)', () => {
    const raw = v3CandidateSchema.parse({
      id: 1,
      attachments: [
        { filename: 'Resume.pdf', url: 'https://prod-heroku.s3.amazonaws.com/x', type: 'resume' },
      ],
    });

    expect(toCandidate(raw).attachments).toBeUndefined();
  });
});

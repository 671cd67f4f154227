/**
 * Schemas of the full ATS record's routes (docs/api.md, "The full ATS record"): candidates, tags, interviews,
 * scorecards, offers, notes and rejection reasons. Bodies are strict (an unknown field is a 400); `source` is
 * "hub" or the provider's name.
 */
import * as z from 'zod';
import { applicationStatus, externalRefView } from './applications.js';
import { cursorQuery, isoDateTime, text, uuid } from './common.js';

export const recordSource = z.string().describe('"hub" or the provider\'s name');
const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

export const idParams = z.object({ id: uuid });
export const listQuery = cursorQuery;

// ---- candidates and tags

const contactType = text(30);
export const contactPoint = z.object({ value: z.string(), type: z.string() });
export const attachmentType = z.enum(['resume', 'cover_letter', 'portfolio', 'offer_letter', 'other']);

export const candidateView = z
  .object({
    id: uuid,
    firstName: z.string(),
    lastName: z.string(),
    emails: z.array(contactPoint),
    phones: z.array(contactPoint),
    company: z.string().nullable(),
    title: z.string().nullable(),
    tags: z.array(z.string()),
    applications: z.array(z.object({ id: uuid, jobId: uuid, stage: z.string(), status: applicationStatus })),
    attachments: z.array(
      z.object({ id: uuid, fileName: z.string(), type: attachmentType, source: recordSource }),
    ),
    externalRefs: z.array(externalRefView.extend({ type: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Candidate' });
export const candidatePage = page(candidateView, 'CandidatePage');

export const candidateListQuery = cursorQuery.extend({
  email: z.string().trim().min(1).max(254).optional(),
  tag: text(100).optional(),
  updatedAfter: isoDateTime.optional(),
});

export const updateCandidateBody = z
  .object({
    firstName: text(100).optional(),
    lastName: text(100).optional(),
    /** The whole list, primary first: the first becomes the candidate's primary email. */
    emails: z
      .array(z.object({ value: z.email().max(254).trim(), type: contactType }).strict())
      .min(1)
      .max(20)
      .optional(),
    phones: z
      .array(z.object({ value: text(40), type: contactType }).strict())
      .max(20)
      .optional(),
    company: text(300).nullable().optional(),
    title: text(300).nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'UpdateCandidate' });

export const replaceTagsBody = z
  .object({ tags: z.array(text(100)).max(100) })
  .strict()
  .meta({ id: 'ReplaceTags' });

export const candidateTagsView = z.object({ candidateId: uuid, tags: z.array(z.string()) });

export const tagView = z
  .object({ id: uuid, name: z.string(), source: recordSource, createdAt: z.string() })
  .meta({ id: 'Tag' });
export const tagPage = page(tagView, 'TagPage');

// ---- interviews and scorecards

export const interviewStatus = z.enum(['scheduled', 'completed', 'cancelled', 'no_show']);
const person = z.object({ name: text(200), email: z.email().max(254).trim().optional() }).strict();

export const interviewView = z
  .object({
    id: uuid,
    applicationId: uuid,
    title: z.string(),
    stage: z.string().nullable(),
    startAt: z.string(),
    endAt: z.string(),
    location: z.string().nullable(),
    status: interviewStatus,
    interviewers: z.array(z.object({ name: z.string(), email: z.string().nullable() })),
    source: recordSource,
  })
  .meta({ id: 'Interview' });
export const interviewPage = page(interviewView, 'InterviewPage');

const endNotBeforeStart = (b: { startAt?: string | undefined; endAt?: string | undefined }) =>
  !b.startAt || !b.endAt || Date.parse(b.endAt) >= Date.parse(b.startAt);
const endRule = { message: 'endAt must not be before startAt', path: ['endAt'] };

export const scheduleInterviewBody = z
  .object({
    title: text(300),
    startAt: isoDateTime,
    endAt: isoDateTime,
    location: text(500).optional(),
    interviewers: z.array(person).max(50).default([]),
    /** A stage of the application's job (name or id); the application's current stage when absent. */
    stage: text(100).optional(),
  })
  .strict()
  .refine(endNotBeforeStart, endRule)
  .meta({ id: 'ScheduleInterview' });

export const updateInterviewBody = z
  .object({
    title: text(300).optional(),
    startAt: isoDateTime.optional(),
    endAt: isoDateTime.optional(),
    location: text(500).nullable().optional(),
    interviewers: z.array(person).max(50).optional(),
    status: interviewStatus.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' })
  .refine(endNotBeforeStart, endRule)
  .meta({ id: 'UpdateInterview' });

export const recommendation = z.enum(['strong_yes', 'yes', 'no', 'strong_no', 'no_decision']);

export const scorecardView = z
  .object({
    id: uuid,
    applicationId: uuid,
    interviewId: uuid.nullable(),
    interviewer: z.object({ name: z.string(), email: z.string().nullable() }),
    recommendation,
    submittedAt: z.string(),
    attributes: z.array(z.object({ name: z.string(), rating: z.string() })),
    source: recordSource,
  })
  .meta({ id: 'Scorecard' });
export const scorecardPage = page(scorecardView, 'ScorecardPage');

export const submitScorecardBody = z
  .object({
    interviewer: person,
    recommendation,
    attributes: z
      .array(z.object({ name: text(200), rating: text(50) }).strict())
      .max(100)
      .default([]),
  })
  .strict()
  .meta({ id: 'SubmitScorecard' });

// ---- offers, notes, rejection reasons

export const offerView = z
  .object({
    id: uuid,
    applicationId: uuid,
    status: z.enum(['draft', 'sent', 'accepted', 'declined', 'withdrawn']),
    sentAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    startsAt: z.string().nullable(),
    source: recordSource,
  })
  .meta({ id: 'Offer' });
export const offerPage = page(offerView, 'OfferPage');

export const noteVisibility = z.enum(['private', 'organization', 'shared']);

export const noteView = z
  .object({
    id: uuid,
    applicationId: uuid.nullable(),
    body: z.string(),
    author: z.string().nullable(),
    /** The user whose personal key wrote the note (docs/api.md, "Users"); null for an organization key. */
    authorUserId: uuid.nullable(),
    visibility: noteVisibility,
    createdAt: z.string(),
    source: recordSource,
  })
  .meta({ id: 'Note' });
export const notePage = page(noteView, 'NotePage');

export const createNoteBody = z
  .object({ body: text(20_000), visibility: noteVisibility })
  .strict()
  .meta({ id: 'CreateNote' });

export const rejectionReasonView = z
  .object({
    id: uuid,
    name: z.string(),
    category: z.string().nullable(),
    source: recordSource,
    createdAt: z.string(),
  })
  .meta({ id: 'RejectionReason' });
export const rejectionReasonPage = page(rejectionReasonView, 'RejectionReasonPage');

export const createRejectionReasonBody = z
  .object({ name: text(200), category: text(100).optional() })
  .strict()
  .meta({ id: 'CreateRejectionReason' });

export type CandidateView = z.infer<typeof candidateView>;
export type CandidateListQuery = z.infer<typeof candidateListQuery>;
export type UpdateCandidateBody = z.infer<typeof updateCandidateBody>;
export type ListQuery = z.infer<typeof listQuery>;
export type ScheduleInterviewBody = z.infer<typeof scheduleInterviewBody>;
export type UpdateInterviewBody = z.infer<typeof updateInterviewBody>;
export type SubmitScorecardBody = z.infer<typeof submitScorecardBody>;
export type CreateNoteBody = z.infer<typeof createNoteBody>;
export type CreateRejectionReasonBody = z.infer<typeof createRejectionReasonBody>;

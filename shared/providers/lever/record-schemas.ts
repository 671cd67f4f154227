/**
 * Raw Lever shapes of the full ATS record (docs/providers.md §3.7): the per-opportunity interviews, feedback forms,
 * offers and notes, the users they name, and the replies of the note and tag writes. Timestamps are epoch ms.
 * Fields Lever may omit are nullish; unknown fields pass through untouched (they stay in the raw payload).
 */
import * as z from 'zod';

const ms = z.number().nullish();

export const leverUserSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
export type LeverUser = z.output<typeof leverUserSchema>;

export const leverInterviewSchema = z.object({
  id: z.string().min(1),
  panel: z.string().nullish(),
  subject: z.string().nullish(),
  interviewers: z
    .array(z.object({ id: z.string().nullish(), name: z.string().nullish(), email: z.string().nullish() }))
    .nullish(),
  timezone: z.string().nullish(),
  createdAt: ms,
  /** Start, epoch ms. */
  date: z.number(),
  /** Minutes. */
  duration: z.number().nonnegative().nullish(),
  location: z.string().nullish(),
  stage: z.string().nullish(),
  canceledAt: ms,
  postings: z.array(z.string()).nullish(),
});
export type LeverInterview = z.output<typeof leverInterviewSchema>;

/** One question of a feedback form; `value` is text, a number, or a list, by the field's `type`. */
export const leverFormFieldSchema = z.object({
  type: z.string().nullish(),
  text: z.string().nullish(),
  identifier: z.string().nullish(),
  value: z.unknown().optional(),
});
export type LeverFormField = z.output<typeof leverFormFieldSchema>;

export const leverFeedbackSchema = z.object({
  id: z.string().min(1),
  type: z.string().nullish(),
  text: z.string().nullish(),
  fields: z.array(leverFormFieldSchema).nullish(),
  interview: z.string().nullish(),
  panel: z.string().nullish(),
  user: z.string().nullish(),
  createdAt: ms,
  completedAt: ms,
  updatedAt: ms,
  deletedAt: ms,
});
export type LeverFeedback = z.output<typeof leverFeedbackSchema>;

const leverDocumentSchema = z.object({ fileName: z.string().nullish(), uploadedAt: ms }).nullish();

export const leverOfferSchema = z.object({
  id: z.string().min(1),
  createdAt: ms,
  status: z.string(),
  creator: z.string().nullish(),
  fields: z.array(leverFormFieldSchema).nullish(),
  sentDocument: leverDocumentSchema,
  signedDocument: leverDocumentSchema,
});
export type LeverOffer = z.output<typeof leverOfferSchema>;

export const leverNoteSchema = z.object({
  id: z.string().min(1),
  text: z.string().nullish(),
  fields: z.array(leverFormFieldSchema).nullish(),
  user: z.string().nullish(),
  secret: z.boolean().nullish(),
  completedAt: ms,
  createdAt: ms,
  deletedAt: ms,
});
export type LeverNote = z.output<typeof leverNoteSchema>;

/** `POST /opportunities/:id/notes` answers the new note's id as `noteId` (or `id`). */
export const leverNoteCreatedSchema = z
  .object({ noteId: z.string().min(1).optional(), id: z.string().min(1).optional() })
  .refine((v) => v.noteId !== undefined || v.id !== undefined);

/** Attachment metadata: `GET /opportunities/:id/files` and `/resumes` (a resume's name sits under `file`). */
export const leverAttachmentSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  file: z.object({ name: z.string().nullish() }).nullish(),
  uploadedAt: ms,
  createdAt: ms,
});
export type LeverAttachment = z.output<typeof leverAttachmentSchema>;

/** Interview webhooks: the ids, plus the interview itself where the delivery carries it. */
export const interviewEventDataSchema = z.object({
  opportunityId: z.string().min(1),
  contactId: z.string().nullish(),
  interviewId: z.string().min(1).optional(),
  panelId: z.string().nullish(),
  interview: z.unknown().optional(),
});

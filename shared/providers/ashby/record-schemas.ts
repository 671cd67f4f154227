/**
 * Raw Ashby shapes of the full ATS record (docs/providers.md §4.6): interview schedules with their events,
 * application feedback, offers, candidate notes, tags, archive reasons and users. Fields Ashby may omit are
 * optional; only what the mappers read is declared (zod strips the rest).
 */
import * as z from 'zod';

const text = z.string().nullish();

export const ashbyUserSchema = z.object({
  id: z.string().min(1),
  firstName: text,
  lastName: text,
  email: text,
});
export type AshbyUser = z.output<typeof ashbyUserSchema>;

export const ashbyArchiveReasonSchema = z.object({
  id: z.string().min(1),
  text: text,
  reasonType: text,
  isArchived: z.boolean().nullish(),
});
export type AshbyArchiveReason = z.output<typeof ashbyArchiveReasonSchema>;

export const ashbyInterviewEventSchema = z.object({
  id: z.string().min(1),
  startTime: text,
  endTime: text,
  location: text,
  interviewerUserIds: z.array(z.string()).nullish(),
  /** Present on some payloads (secondary); the ids above are what every payload carries. */
  interviewers: z.array(ashbyUserSchema).nullish(),
  interview: z.object({ id: z.string().nullish(), title: text }).nullish(),
  updatedAt: text,
});

export const ashbyInterviewScheduleSchema = z.object({
  id: z.string().min(1),
  applicationId: z.string().min(1),
  interviewStageId: text,
  status: text,
  createdAt: text,
  updatedAt: text,
  interviewEvents: z.array(ashbyInterviewEventSchema).nullish(),
});
export type AshbyInterviewSchedule = z.output<typeof ashbyInterviewScheduleSchema>;

const feedbackField = z.object({
  field: z.object({ path: z.string(), title: text, type: text }),
});

export const ashbyFeedbackSchema = z.object({
  id: z.string().min(1),
  applicationId: z.string().min(1),
  interviewEventId: text,
  submittedAt: text,
  submittedByUser: ashbyUserSchema.nullish(),
  formDefinition: z
    .object({ sections: z.array(z.object({ fields: z.array(feedbackField).nullish() })).nullish() })
    .nullish(),
  submittedValues: z.record(z.string(), z.unknown()).nullish(),
});
export type AshbyFeedback = z.output<typeof ashbyFeedbackSchema>;

export const ashbyOfferSchema = z.object({
  id: z.string().min(1),
  applicationId: z.string().min(1),
  offerStatus: text,
  acceptanceStatus: text,
  decidedAt: text,
  latestVersion: z.object({ startDate: text, createdAt: text }).nullish(),
});
export type AshbyOffer = z.output<typeof ashbyOfferSchema>;

export const ashbyNoteSchema = z.object({
  id: z.string().min(1),
  createdAt: z.string().min(1),
  isPrivate: z.boolean().nullish(),
  content: text,
  author: ashbyUserSchema.partial().nullish(),
});
export type AshbyNote = z.output<typeof ashbyNoteSchema>;

export const ashbyTagSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  isArchived: z.boolean().nullish(),
});
export type AshbyTag = z.output<typeof ashbyTagSchema>;

// --- webhooks ---------------------------------------------------------------------------------------------

export const interviewScheduleDataSchema = z.object({ interviewSchedule: ashbyInterviewScheduleSchema });
export const offerDataSchema = z.object({ offer: ashbyOfferSchema });
export const offerDeleteDataSchema = z.object({ offer: z.object({ id: z.string().min(1) }) });

/**
 * Raw Harvest v3 shapes of the full ATS record (docs/ats-record.md "Greenhouse"): rejection reasons, interviews,
 * scorecards, offers, notes, users and attachments, plus the webhook payloads of interview, scorecard and offer
 * events. Where v3 field names are (unverified) the schemas also read the v1 names the webhooks still use, so
 * either spelling maps; unknown fields are ignored and the raw payload is kept by the engine.
 */
import * as z from 'zod';
import { ghId } from './schemas.js';

const text = z.string().nullish();
const nullableId = ghId.nullish();

/** A Greenhouse user as embedded (v1 style) or as `GET /v3/users` lists it. */
export const v3UserSchema = z.object({
  id: ghId,
  name: text,
  first_name: text,
  last_name: text,
  primary_email_address: text,
  email: text,
});
export type V3User = z.output<typeof v3UserSchema>;

/** `GET /v3/rejection_reasons` (confirmed path and `type` groups; `type` as object or plain name, unverified). */
export const v3RejectionReasonSchema = z.object({
  id: ghId,
  name: text,
  type: z.union([z.string(), z.object({ id: nullableId, name: text }).partial()]).nullish(),
  rejection_reason_type: text,
  updated_at: text,
});
export type V3RejectionReason = z.output<typeof v3RejectionReasonSchema>;

const interviewerSchema = z
  .object({
    id: nullableId,
    user_id: nullableId,
    name: text,
    first_name: text,
    last_name: text,
    email: text,
  })
  .partial();

/** `GET /v3/interviews` (confirmed path and filters; field names unverified, v1 `start.date_time` also read). */
export const v3InterviewSchema = z.object({
  id: ghId,
  application_id: nullableId,
  name: text,
  interview: z.object({ id: nullableId, name: text }).partial().nullish(),
  job_interview_id: nullableId,
  job_interview_stage: z.object({ id: nullableId, name: text }).partial().nullish(),
  starts_at: text,
  ends_at: text,
  start: z.object({ date_time: text, date: text }).partial().nullish(),
  end: z.object({ date_time: text, date: text }).partial().nullish(),
  all_day_start_on: text,
  all_day_end_on: text,
  location: text,
  video_conferencing_url: text,
  status: text,
  interviewers: z.array(z.union([interviewerSchema, ghId])).nullish(),
  created_at: text,
  updated_at: text,
});
export type V3Interview = z.output<typeof v3InterviewSchema>;

/** `GET /v3/scorecards` (confirmed path, `status` draft/complete and filters; field names secondary). */
export const v3ScorecardSchema = z.object({
  id: ghId,
  application_id: nullableId,
  interview_id: nullableId,
  interviewer_id: nullableId,
  interviewer: v3UserSchema.partial().nullish(),
  status: text,
  overall_recommendation: text,
  interviewed_at: text,
  submitted_at: text,
  attributes: z.array(z.object({ name: text, rating: text, type: text }).partial()).nullish(),
  created_at: text,
  updated_at: text,
});
export type V3Scorecard = z.output<typeof v3ScorecardSchema>;

/** `GET /v3/offers` (confirmed: statuses Created/Accepted/Rejected/Deprecated, versions; field names secondary). */
export const v3OfferSchema = z.object({
  id: ghId,
  application_id: nullableId,
  version: z.number().nullish(),
  status: text,
  offer_status: text,
  sent_at: text,
  sent_on: text,
  resolved_at: text,
  start_date: text,
  starts_at: text,
  created_at: text,
  updated_at: text,
});
export type V3Offer = z.output<typeof v3OfferSchema>;

/** `GET /v3/notes`, the v3 home of the v1 activity feed's notes (confirmed route; fields unverified). */
export const v3NoteSchema = z.object({
  id: ghId,
  candidate_id: nullableId,
  application_id: nullableId,
  body: text,
  visibility: text,
  user_id: nullableId,
  user: v3UserSchema.partial().nullish(),
  created_at: text,
  updated_at: text,
});
export type V3Note = z.output<typeof v3NoteSchema>;

/** A candidate's attachment: `GET /v3/attachments` rows and webhook `candidate.attachments[]` (no id there). */
export const candidateAttachmentSchema = z.object({
  id: nullableId,
  application_id: nullableId,
  candidate_id: nullableId,
  filename: text,
  type: text,
});
export type CandidateAttachment = z.output<typeof candidateAttachmentSchema>;

/** `GET /v3/candidate_tags` (the organisation's tag dictionary) and `GET /v3/applied_candidate_tags`. */
export const v3CandidateTagSchema = z.object({ id: ghId, name: z.string() });
export const v3AppliedTagSchema = z.object({
  id: ghId,
  candidate_id: nullableId,
  candidate_tag_id: nullableId,
});

// --- webhooks (grnhse/greenhouse-api-docs source/includes/webhooks/_application_events.md, _interview_events.md) --

/** `offer_created` / `offer_updated` / `offer_approved`: the offer is the flat payload. */
export const offerPayloadSchema = v3OfferSchema;
/** `offer_deleted` wraps it in `offer`. */
export const offerDeletedPayloadSchema = z.object({ offer: z.object({ id: ghId }) });
export const interviewDeletedPayloadSchema = z.object({ interview: z.object({ id: ghId }) });
export const scorecardDeletedPayloadSchema = z.object({ scorecard: z.object({ id: ghId }) });

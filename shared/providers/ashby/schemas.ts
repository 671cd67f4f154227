/**
 * Raw Ashby shapes: RPC responses `{success, results, moreDataAvailable, nextCursor, syncToken}` (confirmed,
 * pagination guide) and records as in Ashby's API reference (secondary: api-evangelist ashby-hq JSON schemas).
 */
import * as z from 'zod';

const text = z.string().nullish();
const contact = z.object({
  value: z.string().nullish(),
  type: z.string().nullish(),
  isPrimary: z.boolean().nullish(),
});

export const ashbyEnvelopeSchema = z.object({
  success: z.boolean(),
  results: z.unknown().optional(),
  moreDataAvailable: z.boolean().optional(),
  nextCursor: z.string().nullish(),
  syncToken: z.string().nullish(),
  errors: z.array(z.unknown()).optional(),
  errorInfo: z.object({ code: z.string().optional(), message: z.string().optional() }).partial().optional(),
});
export type AshbyEnvelope = z.output<typeof ashbyEnvelopeSchema>;

export const ashbyStageSchema = z.object({
  id: z.string().min(1),
  title: text,
  type: text,
  orderInInterviewPlan: z.number().nullish(),
  interviewPlanId: text,
});
export type AshbyStage = z.output<typeof ashbyStageSchema>;

export const ashbyJobSchema = z.object({
  id: z.string().min(1),
  title: text,
  status: text,
  employmentType: text,
  defaultInterviewPlanId: text,
  updatedAt: text,
  /** (secondary, Nango's Ashby job model) the job's primary location; `departmentId` names no department. */
  location: z
    .object({ id: text, name: text, isRemote: z.boolean().nullish(), workplaceType: text })
    .partial()
    .nullish(),
});
export type AshbyJob = z.output<typeof ashbyJobSchema>;

const fileHandle = z.object({ id: z.string().min(1), name: z.string(), handle: text });

export const ashbyCandidateSchema = z.object({
  id: z.string().min(1),
  name: text,
  /** Omitted when the profile has none (secondary: docs/providers.md §4.6). */
  company: text,
  position: text,
  tags: z
    .array(z.object({ id: z.string().min(1), title: z.string(), isArchived: z.boolean().nullish() }))
    .nullish(),
  resumeFileHandle: fileHandle.nullish(),
  fileHandles: z.array(fileHandle).nullish(),
  primaryEmailAddress: contact.nullish(),
  emailAddresses: z.array(contact).nullish(),
  primaryPhoneNumber: contact.nullish(),
  phoneNumbers: z.array(contact).nullish(),
  updatedAt: text,
  createdAt: text,
});
export type AshbyCandidate = z.output<typeof ashbyCandidateSchema>;

export const ashbyApplicationSchema = z.object({
  id: z.string().min(1),
  status: text,
  createdAt: text,
  updatedAt: text,
  candidate: ashbyCandidateSchema
    .partial()
    .extend({ id: z.string().min(1) })
    .nullish(),
  job: z.object({ id: z.string().min(1), title: text }).nullish(),
  currentInterviewStage: ashbyStageSchema.nullish(),
  archiveReason: z.object({ id: z.string().nullish(), text: text, reasonType: text }).nullish(),
});
export type AshbyApplication = z.output<typeof ashbyApplicationSchema>;

// --- write-back (docs/write-back-notes.md §3; secondary: ASHBY-SPEC) ----------------------------------------

/** `candidate.info` / `candidate.search` / `candidate.create` / `candidate.uploadResume` results. */
export const ashbyWriteCandidateSchema = ashbyCandidateSchema.extend({
  applicationIds: z.array(z.string()).nullish(),
});
export type AshbyWriteCandidate = z.output<typeof ashbyWriteCandidateSchema>;

/** `file.createFileUploadHandle` results: a presigned POST (expires after 10 minutes) and the handle to pass on. */
export const ashbyUploadHandleSchema = z.object({
  handle: z.string().min(1),
  url: z.string().url(),
  fields: z.record(z.string(), z.string()),
});

// --- webhooks ---------------------------------------------------------------------------------------------

export const ashbyWebhookSchema = z.object({
  action: z.string().min(1),
  data: z.record(z.string(), z.unknown()).nullish(),
});

export const applicationDataSchema = z.object({ application: ashbyApplicationSchema });
export const candidateDataSchema = z.object({ candidate: z.object({ id: z.string().min(1) }) });
/** (unverified) merge payload: surviving `candidate`, merged ids under `mergedCandidateIds` or `mergedCandidate`. */
export const candidateMergeDataSchema = z.object({
  candidate: z.object({ id: z.string().min(1) }),
  mergedCandidateIds: z.array(z.string()).optional(),
  mergedCandidate: z.object({ id: z.string().min(1) }).optional(),
});

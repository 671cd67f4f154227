/**
 * Raw Greenhouse shapes. v3 list records follow the Airbyte v3 manifest schemas (secondary: field names of
 * `airbytehq/airbyte` source-greenhouse `manifest.yaml`); webhook shapes follow docs/providers.md §2.5 and
 * `grnhse/greenhouse-api-docs` `source/includes/webhooks/*`. Unknown fields are ignored, the raw payload is
 * kept by the engine.
 */
import * as z from 'zod';

export const ghId = z.union([z.number().int(), z.string().min(1)]).transform(String);
const text = z.string().nullish();
const contacts = z
  .array(z.object({ value: z.string().nullish(), type: z.string().nullish() }).nullable())
  .nullish();

/** A job's department or office: `{id, name}` (offices also carry `location.name`). */
const namedRef = z.object({ id: ghId.nullish(), name: text }).nullable();

export const v3JobSchema = z.object({
  id: ghId,
  name: text,
  status: text,
  updated_at: text,
  // (unverified for the v3 list; documented on the job webhook's `jobs[]`) absent: not reported
  departments: z.array(namedRef).nullish(),
  offices: z.array(namedRef).nullish(),
  custom_fields: z.record(z.string(), z.object({ value: z.unknown() }).partial().nullable()).nullish(),
});
export type V3Job = z.output<typeof v3JobSchema>;

export const v3JobStageSchema = z.object({
  id: ghId,
  job_id: ghId.nullish(),
  name: text,
  sort_order: z.number().nullish(),
  active: z.boolean().nullish(),
});
export type V3JobStage = z.output<typeof v3JobStageSchema>;

export const v3CandidateSchema = z.object({
  id: ghId,
  first_name: text,
  last_name: text,
  company: text,
  title: text,
  email_addresses: contacts,
  phone_numbers: contacts,
  /** Tag names (v3 candidate and webhook `candidate.tags`). */
  tags: z.array(z.string()).nullish(),
  /** Webhook `candidate.attachments[{filename, url, type}]`; v3 lists them at `/v3/attachments` instead. */
  attachments: z
    .array(z.object({ id: ghId.nullish(), filename: text, type: text, application_id: ghId.nullish() }))
    .nullish(),
  updated_at: text,
});
export type V3Candidate = z.output<typeof v3CandidateSchema>;

export const v3ApplicationSchema = z.object({
  id: ghId,
  candidate_id: ghId.nullish(),
  job_id: ghId.nullish(),
  prospect: z.boolean().nullish(),
  stage_id: ghId.nullish(),
  job_interview_stage_id: ghId.nullish(),
  stage_name: text,
  status: text,
  rejected_at: text,
  rejection_reason_id: ghId.nullish(),
  created_at: text,
  updated_at: text,
  last_activity_at: text,
});
export type V3Application = z.output<typeof v3ApplicationSchema>;

// --- write-back (docs/write-back-notes.md §1.4: secondary, GH-SPEC) ----------------------------------------

/** A `GET /v3/candidates?email=` row: `private` picks among duplicates (notes §1.5). */
export const v3CandidateMatchSchema = v3CandidateSchema.extend({ private: z.boolean().nullish() });

/** `POST /v3/candidates` with a nested application answers 201 `{candidate, application}`. */
export const v3CreatedCandidateSchema = z.object({
  candidate: z.object({ id: ghId }),
  application: z.object({ id: ghId }).nullish(),
});

/** `POST /v3/attachments` (201) and `GET /v3/attachments` rows: no size or checksum, only the file name. */
export const v3AttachmentSchema = z.object({
  id: ghId,
  application_id: ghId.nullish(),
  type: text,
  filename: text,
});

/** v3 list endpoints answer a bare JSON array (Airbyte's extractor uses the root). */
export const v3ListSchema = z.array(z.unknown());

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  // (unverified) which of these Greenhouse sends; the lifetime is 1 h (confirmed).
  expires_in: z.number().positive().optional(),
  expires_at: z.union([z.string(), z.number()]).optional(),
});

/**
 * Harvest error body: v1's `{message, errors:[{message, field}]}` (confirmed, `_introduction.md`); the v3 shape is
 * unverified (notes §1.6) and read the same way.
 */
export const v1ErrorSchema = z.object({
  message: z.string().optional(),
  errors: z.array(z.object({ message: z.string().optional(), field: z.string().optional() })).optional(),
});

// --- webhooks ---------------------------------------------------------------------------------------------

/** A webhook's embedded candidate carries the fields the hub reads from a v3 candidate, under the same names. */
export const webhookCandidateSchema = v3CandidateSchema;

export const webhookApplicationSchema = z.object({
  id: ghId,
  status: text,
  prospect: z.boolean().nullish(),
  applied_at: text,
  last_activity_at: text,
  rejected_at: text,
  rejection_reason: z
    .object({ id: ghId.nullish(), name: text, type: z.object({ name: text }).partial().nullish() })
    .nullish(),
  current_stage: z.object({ id: ghId.nullish(), name: text }).nullish(),
  candidate: webhookCandidateSchema.nullish(),
  jobs: z.array(z.object({ id: ghId, name: text })).nullish(),
});
export type WebhookApplication = z.output<typeof webhookApplicationSchema>;

export const webhookEnvelopeSchema = z.object({
  action: z.string().min(1),
  payload: z.unknown().optional(),
});

export const applicationPayloadSchema = z.object({ application: webhookApplicationSchema });
export const candidatePayloadSchema = z.object({ candidate: webhookCandidateSchema });

/** docs/providers.md: flat payload; the vendor's doc example wraps it in `application`. Both are accepted. */
export const deleteApplicationPayloadSchema = z.union([
  z.object({ application: z.object({ id: ghId }) }),
  z.object({ id: ghId }),
]);

export const personPayloadSchema = z.object({
  person: z.object({
    id: ghId,
    deleted_application_ids: z.array(ghId).nullish(),
    new_candidate_id: ghId.nullish(),
  }),
});

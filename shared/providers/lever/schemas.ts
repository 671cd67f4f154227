/**
 * Raw Lever shapes (docs/providers.md §3; https://hire.lever.co/developer/documentation). Timestamps are epoch ms.
 * With `expand=stage` the stage is `{id, text}`, otherwise its id; with `expand=applications` each application
 * is an object carrying its `posting`.
 */
import * as z from 'zod';

const ms = z.number().nullish();

export const leverListSchema = z.object({
  data: z.array(z.unknown()),
  next: z.string().nullish(),
  hasNext: z.boolean().optional(),
});

export const leverStageSchema = z.object({ id: z.string().min(1), text: z.string().nullish() });
export type LeverStage = z.output<typeof leverStageSchema>;

export const leverArchiveReasonSchema = z.object({
  id: z.string().min(1),
  text: z.string().nullish(),
  type: z.string().nullish(),
});
export type LeverArchiveReason = z.output<typeof leverArchiveReasonSchema>;

export const leverPostingSchema = z.object({
  id: z.string().min(1),
  text: z.string().nullish(),
  state: z.string().nullish(),
  categories: z
    .object({
      commitment: z.string().nullish(),
      team: z.string().nullish(),
      department: z.string().nullish(),
      location: z.string().nullish(),
    })
    .partial()
    .nullish(),
  content: z.object({ description: z.string().nullish() }).partial().nullish(),
  /** `onsite`, `remote`, `hybrid` or `unspecified`. */
  workplaceType: z.string().nullish(),
  /** Left out when the posting has no structured pay; `interval` such as `per-year-salary`. */
  salaryRange: z
    .object({ min: z.number().nullish(), max: z.number().nullish(), currency: z.string().nullish() })
    .partial()
    .nullish(),
  createdAt: ms,
  updatedAt: ms,
});
export type LeverPosting = z.output<typeof leverPostingSchema>;

export const leverOpportunitySchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  /** Free text under the name, usually the person's current role: the hub's candidate title. */
  headline: z.string().nullish(),
  contact: z.string().min(1),
  emails: z.array(z.string()).nullish(),
  phones: z.array(z.object({ value: z.string().nullish(), type: z.string().nullish() })).nullish(),
  stage: z.union([z.string(), leverStageSchema]).nullish(),
  archived: z.object({ archivedAt: ms, reason: z.string().nullish() }).nullish(),
  tags: z.array(z.string()).nullish(),
  applications: z
    .array(z.union([z.string(), z.object({ id: z.string(), posting: z.string().nullish() }).partial()]))
    .nullish(),
  createdAt: ms,
  updatedAt: ms,
});
export type LeverOpportunity = z.output<typeof leverOpportunitySchema>;

/** (unverified) shape of `GET /opportunities/deleted` entries: the id under `id` or `opportunityId`. */
export const leverDeletedSchema = z
  .object({ id: z.string().optional(), opportunityId: z.string().optional(), deletedAt: ms })
  .refine((v) => v.id !== undefined || v.opportunityId !== undefined);

export const leverSingleSchema = z.object({ data: z.unknown() });

export const leverTokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
});

export const leverErrorSchema = z.object({ code: z.string().optional(), message: z.string().optional() });

// --- webhooks ---------------------------------------------------------------------------------------------

export const leverWebhookSchema = z.object({
  id: z.string().optional(),
  event: z.string().min(1),
  triggeredAt: z.number(),
  token: z.string().min(1),
  signature: z.string().optional(),
  data: z.record(z.string(), z.unknown()).nullish(),
});

export const stageChangeDataSchema = z.object({
  opportunityId: z.string().min(1),
  contactId: z.string().nullish(),
  toStageId: z.string().nullish(),
  fromStageId: z.string().nullish(),
});

export const archiveChangeDataSchema = z.object({
  opportunityId: z.string().min(1),
  toArchived: z.object({ archivedAt: ms, reason: z.string().nullish() }).nullish(),
  fromArchived: z.object({ archivedAt: ms, reason: z.string().nullish() }).nullish(),
});

export const opportunityDataSchema = z.object({
  opportunityId: z.string().min(1),
  contactId: z.string().nullish(),
});

// --- write-back ---------------------------------------------------------------------------------------------

/** An opportunity file (`POST`/`GET /opportunities/{id}/files`): `size` in bytes lets a retry match name + size. */
export const leverFileSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  size: z.number().int().nonnegative().nullish(),
  ext: z.string().nullish(),
  uploadedAt: ms,
});

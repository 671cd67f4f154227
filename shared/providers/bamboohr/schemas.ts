/**
 * Raw BambooHR shapes (docs/providers.md §6): applicant-tracking lists (PipedreamHQ/pipedream `components/bamboohr`,
 * confirmed for paths and parameters; field names of the items secondary), the changed-employees feed
 * (confirmed) and the employee webhook body. Unknown fields are kept; the engine stores the raw payload.
 */
import * as z from 'zod';

export const bambooId = z.union([z.number().int(), z.string().min(1)]).transform(String);
const text = z.string().nullish();
/** `{id, label}` pairs used for statuses, titles, departments. */
const labelled = z.looseObject({ id: bambooId.nullish(), label: text });

export const statusSchema = z.looseObject({
  id: bambooId,
  code: text,
  name: text,
  translatedName: text,
  enabled: z.boolean().nullish(),
});
export type BambooStatus = z.output<typeof statusSchema>;
export const statusesResponseSchema = z.array(statusSchema);

export const jobSchema = z.looseObject({
  id: bambooId,
  title: z.union([z.string(), labelled]).nullish(),
  status: labelled.nullish(),
  postedDate: text,
  employmentType: z.union([z.string(), labelled]).nullish(),
  department: z.union([z.string(), labelled]).nullish(),
  location: z.union([z.string(), labelled]).nullish(),
});
export type BambooJob = z.output<typeof jobSchema>;
export const jobsResponseSchema = z.array(z.unknown());

/**
 * The applicant as BambooHR embeds it (official SDK BambooHR/bhr-api-python, models
 * `ApplicationsListApplicationsInnerApplicant` and `ApplicationDetailsApplicant`): the list reports id, names, one
 * email and the source but no phone; the single-application read adds `phone` and the address. `phoneNumber` is
 * the field name of the create form, read too in case a read echoes it (unverified).
 */
export const applicantSchema = z.looseObject({
  id: bambooId,
  firstName: text,
  lastName: text,
  email: text,
  phone: text,
  phoneNumber: text,
  source: text,
});
export type BambooApplicant = z.output<typeof applicantSchema>;

export const applicationSchema = z.looseObject({
  id: bambooId,
  appliedDate: text,
  status: labelled.nullish(),
  applicant: applicantSchema,
  job: z.looseObject({ id: bambooId, title: z.union([z.string(), labelled]).nullish() }),
  /** (unverified) Present on the single-application read. */
  lastUpdated: text,
});
export type BambooApplication = z.output<typeof applicationSchema>;

/**
 * `GET …/applications/{id}` (secondary, Knit BambooHR use-cases: applicant email and the resume file id; the
 * field name `resumeFileId` is unverified).
 */
export const applicationDetailSchema = applicationSchema.extend({
  resumeFileId: bambooId.nullish(),
  coverLetterFileId: bambooId.nullish(),
});

/** (unverified) Body of `POST …/application`: docs say "returns the new candidate ID", the SDK says empty. */
export const createdApplicationSchema = z.looseObject({
  candidateId: bambooId.nullish(),
  applicationId: bambooId.nullish(),
});

/** `paginationComplete` / `nextPageUrl` (unverified, docs/providers.md §6.1). */
export const applicationsPageSchema = z.looseObject({
  paginationComplete: z.boolean().nullish(),
  nextPageUrl: z.string().nullish(),
  applications: z.array(z.unknown()).default([]),
});

/** `{"latest": "...", "employees": {"3": {"id":"3","action":"Deleted","lastChanged":"..."}}}` (confirmed). */
export const changedEmployeesSchema = z.looseObject({
  latest: z.string().nullish(),
  employees: z
    .union([
      z.record(z.string(), z.looseObject({ id: bambooId, action: text, lastChanged: text })),
      // An empty PHP array serialises as [].
      z.array(z.looseObject({ id: bambooId, action: text, lastChanged: text })),
    ])
    .nullish(),
});

/** Employee webhook body: `{"employees": [{"id", "action", "changedFields", "fields", "timestamp"}]}`. */
export const webhookBodySchema = z.looseObject({
  employees: z
    .array(
      z.looseObject({
        id: bambooId.nullish(),
        action: text,
        timestamp: text,
        changedFields: z.array(z.string()).nullish(),
      }),
    )
    .default([]),
});
export type BambooWebhookBody = z.output<typeof webhookBodySchema>;

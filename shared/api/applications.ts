import * as z from 'zod';
import { cursorQuery, text, uuid } from './common.js';

export const RESUME_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/msword',
  'text/plain',
] as const;
export const MAX_RESUME_BYTES = 10 * 1024 * 1024;

export const submitApplicationBody = z
  .object({
    jobId: uuid,
    candidate: z
      .object({
        firstName: text(100),
        lastName: text(100),
        email: z.email().max(254).trim(),
        phone: text(40).optional(),
      })
      .strict(),
    externalPortalId: text(200).optional(),
    submittedBy: text(200).optional(),
    resume: z
      .object({
        fileName: text(255).refine((n) => !/[\\/]/.test(n), { message: 'must be a file name, not a path' }),
        contentType: z.enum(RESUME_TYPES),
        sizeBytes: z.number().int().min(1).max(MAX_RESUME_BYTES),
      })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'SubmitApplication' });

const KEY_RULE = 'must be 1 to 200 characters, without control characters';
/** PostgreSQL text cannot hold NUL; no client has a reason to send other control characters (R11). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
export const idempotencyKeyHeader = z
  .string()
  .min(1, KEY_RULE)
  .max(200, KEY_RULE)
  .regex(NO_CONTROL_CHARACTERS, KEY_RULE);

/** POST /applications: a retry with the same Idempotency-Key replays the first answer. */
export const submissionHeaders = z.object({
  'idempotency-key': idempotencyKeyHeader
    .optional()
    .describe('A retry with the same key and body answers the first response again; another body is refused'),
});

export const applicationStatus = z.enum(['active', 'rejected', 'withdrawn', 'hired']);

export const applicationView = z
  .object({
    id: uuid,
    jobId: uuid,
    candidateId: uuid,
    stage: z.string(),
    status: applicationStatus,
    source: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Application' });

/** Several parties (docs/parties.md): who submitted the application, who receives it, and how it came. */
export const applicationWithParties = applicationView
  .extend({
    submittingOrganizationId: uuid,
    receivingOrganizationId: uuid,
    applicationType: z.enum(['direct', 'agency_submission', 'platform_referral']),
  })
  .meta({ id: 'ApplicationWithParties' });

export const resumeUploadView = z.object({
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const submissionView = z
  .object({ application: applicationWithParties, resumeUpload: resumeUploadView.optional() })
  .meta({ id: 'Submission' });

export const stageMoveBody = z
  .object({
    toStage: text(100),
    expectedStage: text(100).optional(),
    note: text(2000).optional(),
  })
  .strict()
  .meta({ id: 'StageMove' });

export const statusChangeBody = z
  .object({
    status: z.enum(['rejected', 'withdrawn']),
    reasonId: uuid.optional(),
    note: text(2000).optional(),
  })
  .strict()
  .meta({ id: 'StatusChange' });

export const transitionView = z.object({
  from: z.string().nullable(),
  to: z.string(),
  at: z.string(),
  by: z.string(),
  note: z.string().nullable(),
});

export const transitionResult = z
  .object({ application: applicationView, transition: transitionView })
  .meta({ id: 'TransitionResult' });

export const applicationIdParams = z.object({ id: uuid });

export const historyEntry = z.object({
  from: z.string().nullable(),
  to: z.string(),
  at: z.string(),
  by: z.string(),
  /** The user whose personal key acted (docs/api.md, "Users"); null for organization keys, providers, workers. */
  user: z.object({ id: uuid, name: z.string() }).nullable(),
  source: z.string(),
  note: z.string().nullable(),
});

/** The write-back of a portal submission to its job's provider; not_applicable when nothing is pushed. */
export const pushView = z
  .object({
    state: z.enum(['pending', 'pushed', 'failed', 'not_applicable']),
    attempts: z.number().int(),
    lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
    pushedAt: z.string().nullable(),
  })
  .meta({ id: 'SubmissionPush' });

export const externalRefView = z
  .object({
    provider: z.string(),
    integrationId: uuid,
    type: z.enum(['candidate', 'application', 'attachment']),
    remoteId: z.string(),
  })
  .meta({ id: 'ExternalRef' });

export const applicationDetail = z
  .object({
    application: applicationWithParties,
    candidate: z.object({
      id: uuid,
      firstName: z.string(),
      lastName: z.string(),
      email: z.string(),
      phone: z.string().nullable(),
    }),
    job: z.object({ id: uuid, title: z.string() }),
    history: z.array(historyEntry),
    documents: z.array(
      z.object({
        id: uuid,
        fileName: z.string(),
        contentType: z.string(),
        sizeBytes: z.number(),
        scanStatus: z.string(),
      }),
    ),
    push: pushView,
    externalRefs: z.array(externalRefView),
  })
  .meta({ id: 'ApplicationDetail' });

export const documentParams = z.object({ id: uuid, documentId: uuid });

export const documentDownload = z
  .object({ url: z.string(), expiresAt: z.string() })
  .meta({ id: 'DocumentDownload' });

export const pushRequested = z
  .object({ applicationId: uuid, state: z.literal('pending') })
  .meta({ id: 'PushRequested' });

export const listApplicationsQuery = cursorQuery.extend({
  stage: text(100).optional(),
  status: applicationStatus.optional(),
});

export const applicationListItem = applicationView.extend({
  candidate: z.object({ firstName: z.string(), lastName: z.string(), email: z.string() }),
});

export const applicationList = z
  .object({ items: z.array(applicationListItem), nextCursor: z.string().nullable() })
  .meta({ id: 'ApplicationList' });

export type SubmitApplicationBody = z.infer<typeof submitApplicationBody>;
export type SubmissionHeaders = z.infer<typeof submissionHeaders>;
export type StageMoveBody = z.infer<typeof stageMoveBody>;
export type StatusChangeBody = z.infer<typeof statusChangeBody>;
export type ApplicationView = z.infer<typeof applicationView>;

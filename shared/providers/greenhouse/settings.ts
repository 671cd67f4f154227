/** Per-integration settings for Greenhouse, with the defaults of docs/providers.md §2. */
import * as z from 'zod';
import { configParser, oauthClientSettings } from '../common/parse.js';
import { providerUrl } from '../common/provider-url.js';
import { syncSettings } from '../common/sync-settings.js';
import { writeBackSettings } from '../common/write-back-settings.js';
import { greenhouseCredentialsSchema } from './credentials.js';

export const greenhouseSettingsSchema = z.object({
  /** Harvest origin; the v3 paths hang off it. */
  baseUrl: providerUrl.default('https://harvest.greenhouse.io'),
  /** OAuth client-credentials token endpoint. */
  authUrl: providerUrl.default('https://auth.greenhouse.io/token'),
  /** Overlap subtracted from the stored `updated_at` cursor (Airbyte uses PT1H). */
  lookbackSeconds: z.number().int().min(0).default(3600),
  /** First-request `per_page`; the v3 maximum of 500 is (unverified). */
  perPage: z.number().int().min(1).max(500).default(500),
  /** Fill CanonicalJob.stages from `GET /v3/job_interview_stages` (one extra paged call per jobs page). */
  fetchJobStages: z.boolean().default(true),
  /**
   * Fill CanonicalCandidate.attachments (metadata only) from `GET /v3/attachments?candidate_ids=` (one batched
   * call per 50 candidates of a page): v3 lists attachments apart from candidates.
   */
  fetchCandidateAttachments: z.boolean().default(true),
  /** (unverified) path and filter name of the v3 job stage list. */
  jobStagesPath: z.string().default('/v3/job_interview_stages'),
  jobStagesFilterParam: z.string().default('job_ids'),
  /**
   * (unverified) Which v3 application field holds the job-stage id that `move`'s `from_stage_id`, webhook
   * `current_stage.id` and the job stage list use. The Airbyte schema shows both fields.
   */
  applicationStageIdField: z.enum(['job_interview_stage_id', 'stage_id']).default('job_interview_stage_id'),
  /** (unverified) v3 `sub` stands in for v1's On-Behalf-Of, so moves get a token for the acting user. */
  actAsActorOnV3: z.boolean().default(true),
  /** Rejection reasons meaning "they rejected us": mapped to status `withdrawn` on reads. */
  withdrawnRejectionReasonIds: z.array(z.string()).default([]),
  /**
   * v3 reject requires `rejection_reason_id` (docs/write-back-notes.md §1.4): sent when the hub's rejection has no
   * synced reason. A withdrawal sends the first of `withdrawnRejectionReasonIds` instead.
   */
  defaultRejectionReasonId: z.string().trim().min(1).nullable().default(null),
  ...oauthClientSettings,
  ...writeBackSettings,
  ...syncSettings,
});

export type GreenhouseSettings = z.output<typeof greenhouseSettingsSchema>;

export const parseGreenhouseConfig = configParser('greenhouse', {
  credentials: greenhouseCredentialsSchema,
  settings: greenhouseSettingsSchema,
});

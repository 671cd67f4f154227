/**
 * Per-integration settings for BambooHR with the defaults of docs/providers.md §6. The meaning of status ids is the
 * tenant's (statuses are configurable in BambooHR), so every mapping is a setting.
 */
import * as z from 'zod';
import { configParser } from '../common/parse.js';
import { providerUrl } from '../common/provider-url.js';
import { syncSettings } from '../common/sync-settings.js';
import { writeBackSettings } from '../common/write-back-settings.js';
import { bamboohrCredentialsSchema } from './credentials.js';

const codes = z.array(z.string().min(1)).transform((list) => list.map((code) => code.toUpperCase()));

export const bamboohrSettingsSchema = z.object({
  /**
   * Origin (`https://api.bamboohr.com`) to which `/api/gateway.php/{companyDomain}/v1` is appended, or a URL that
   * already contains `/api/gateway.php/`.
   */
  baseUrl: providerUrl.default('https://api.bamboohr.com'),
  /** Overlap subtracted from the previous pass start for `newSince` (docs/providers.md §8). */
  lookbackSeconds: z.number().int().min(0).default(3600),
  requestTimeoutMs: z.number().int().positive().default(30_000),
  /** (unverified) `applicationStatus` filter sent on list reads so closed applications are included. */
  applicationStatusFilter: z.string().min(1).default('ALL'),
  /** (unverified) `statusGroups` filter of GET /applicant_tracking/jobs so every job, deleted ones too, is listed. */
  jobStatusGroups: z.string().min(1).default('ALL'),
  /** (unverified) Job status labels meaning the job was deleted: reported in `deletedRemoteIds`. */
  deletedJobStatuses: z.array(z.string().min(1)).default(['Deleted']),
  /** (unverified) Status codes (GET /applicant_tracking/statuses `code`) read as hired / rejected / withdrawn. */
  hiredStatusCodes: codes.default(['HIRED']),
  rejectedStatusCodes: codes.default(['NOT_A_FIT', 'NOT_QUALIFIED', 'OVER_QUALIFIED', 'HIRED_ELSEWHERE']),
  withdrawnStatusCodes: codes.default(['DECLINED_OFFER']),
  /**
   * (unverified) Status ids written by reject / withdraw / hire. Without them the first status whose code is in
   * the corresponding list above is used.
   */
  statusIds: z
    .object({
      rejected: z.string().min(1).optional(),
      withdrawn: z.string().min(1).optional(),
      hired: z.string().min(1).optional(),
    })
    .default({}),
  /** (unverified) Body field of POST …/applications/{id}/status carrying the status id. */
  statusWriteField: z.string().min(1).default('status'),
  /** Read the application before a move or hire and refuse when its status is not the expected one. */
  guardWithCurrentStatus: z.boolean().default(true),
  /**
   * (unverified) Report ids from `GET /employees/changed?type=deleted` as deleted candidates on incremental
   * candidate passes. That feed lists employees, not applicants; enable only where a tenant uses employee ids
   * as candidate ids. Off by default.
   */
  employeeDeletesAsCandidateDeletes: z.boolean().default(false),
  ...writeBackSettings,
  ...syncSettings,
});

export type BamboohrSettings = z.output<typeof bamboohrSettingsSchema>;

export const parseBamboohrConfig = configParser('bamboohr', {
  credentials: bamboohrCredentialsSchema,
  settings: bamboohrSettingsSchema,
});

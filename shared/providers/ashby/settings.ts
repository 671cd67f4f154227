/** Per-integration settings for Ashby, with the defaults of docs/providers.md §4. */
import * as z from 'zod';
import { configParser } from '../common/parse.js';
import { providerUrl } from '../common/provider-url.js';
import { syncSettings } from '../common/sync-settings.js';
import { writeBackSettings } from '../common/write-back-settings.js';
import { ashbyCredentialsSchema } from './credentials.js';

export const ashbySettingsSchema = z.object({
  baseUrl: providerUrl.default('https://api.ashbyhq.com'),
  /** (unverified) maximum page size; Nango's template uses 100. */
  pageSize: z.number().int().min(1).max(1000).default(100),
  /** Fill CanonicalJob.stages from `interviewStage.list` of the job's default interview plan (cached per plan). */
  fetchJobStages: z.boolean().default(true),
  /** (unverified) whether `job.list` takes a syncToken; off: jobs are always read in full. */
  jobIncremental: z.boolean().default(false),
  /** Archived-type stage used by reject(); read from the application's interview plan when absent. */
  archivedStageId: z.string().optional(),
  /** Archive reason used by reject() when the hub passes none (required for an Archived-type stage). */
  defaultArchiveReasonId: z.string().optional(),
  /**
   * Sync candidate notes: `candidate.listNotes` answers for one candidate at a time, so a note pass costs one call
   * per candidate (docs/ats-record.md, "Ashby"). Off by default.
   */
  candidateNotes: z.boolean().default(false),
  /** Candidates walked per page of a note pass: each costs one more call. */
  noteCandidatesPerPage: z.number().int().min(1).max(100).default(20),
  requestTimeoutMs: z.number().int().positive().default(30_000),
  ...writeBackSettings,
  ...syncSettings,
});

export type AshbySettings = z.output<typeof ashbySettingsSchema>;

export const parseAshbyConfig = configParser('ashby', {
  credentials: ashbyCredentialsSchema,
  settings: ashbySettingsSchema,
});

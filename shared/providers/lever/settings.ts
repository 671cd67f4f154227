/** Per-integration settings for Lever, with the defaults of docs/providers.md §3. */
import * as z from 'zod';
import { configParser, oauthClientSettings } from '../common/parse.js';
import { providerUrl } from '../common/provider-url.js';
import { syncSettings } from '../common/sync-settings.js';
import { writeBackSettings } from '../common/write-back-settings.js';
import { leverCredentialsSchema } from './credentials.js';

export const leverSettingsSchema = z.object({
  baseUrl: providerUrl.default('https://api.lever.co/v1'),
  authUrl: providerUrl.default('https://auth.lever.co/oauth/token'),
  /** `limit` 1–100 (confirmed). */
  pageSize: z.number().int().min(1).max(100).default(100),
  /** Overlap subtracted from the stored `updated_at_start` cursor. */
  lookbackSeconds: z.number().int().min(0).default(3600),
  /**
   * Opportunities walked per page of an interview, scorecard, offer or note pass: each costs one more request
   * (docs/providers.md §3.7), so a page stays a couple of seconds at Lever's pace.
   */
  recordOpportunitiesPerPage: z.number().int().min(1).max(100).default(20),
  /** Read each opportunity's resumes and files with the candidates (two more requests per opportunity). */
  candidateAttachments: z.boolean().default(false),
  /** Read `GET /opportunities/deleted` at the end of incremental application passes (secondary endpoint). */
  deletedFeed: z.boolean().default(true),
  deletedPath: z.string().default('/opportunities/deleted'),
  /** (unverified) time filter name of the deleted feed, epoch ms. */
  deletedSinceParam: z.string().default('deleted_at_start'),
  /** Archive reasons meaning hired; when empty they are read from `GET /archive_reasons` (type `hired`). */
  hiredArchiveReasonIds: z.array(z.string()).default([]),
  /** Archive reasons meaning the candidate withdrew (status `withdrawn` on reads). */
  withdrawnArchiveReasonIds: z.array(z.string()).default([]),
  /** Reason used by reject() when the hub passes none (Lever requires one to archive). */
  defaultArchiveReasonId: z.string().optional(),
  /** Requisition sent with a hire (a hired reason plus a requisition marks the candidate hired). */
  hireRequisitionId: z.string().optional(),
  /** (unverified) attribute writes with `perform_as=<actorRemoteId>`. */
  sendPerformAs: z.boolean().default(true),
  /**
   * Called with the new refresh token after each rotation: the old one stops working, so the caller must
   * persist it (the ProviderContext has no credential-update hook).
   */
  onRefreshTokenRotated: z
    .custom<(refreshToken: string) => void | Promise<void>>((v) => typeof v === 'function')
    .optional(),
  /** Hold on a 429 without Retry-After: one second refills 10 tokens of Lever's bucket (docs/providers.md §3.4). */
  rateLimitedBackoffSeconds: z.number().min(0).max(60).default(1),
  ...oauthClientSettings,
  ...writeBackSettings,
  ...syncSettings,
});

export type LeverSettings = z.output<typeof leverSettingsSchema>;

export const parseLeverConfig = configParser('lever', {
  credentials: leverCredentialsSchema,
  settings: leverSettingsSchema,
});

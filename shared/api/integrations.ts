import * as z from 'zod';
import { providerUrl } from '../providers/common/provider-url.js';
import { providerNameSchema } from '../providers/names.js';
import { text, uuid } from './common.js';

/**
 * The settings every integration takes; each provider's own settings schema then validates the whole object
 * (shared/providers/<provider>/settings.ts), so a bad value is named by its field.
 */
export const integrationSettings = z
  .object({
    baseUrl: providerUrl.optional(),
    authUrl: providerUrl.optional(),
    syncIntervalSeconds: z.number().int().min(60).max(86_400).optional(),
    fullSyncIntervalSeconds: z
      .number()
      .int()
      .min(3600)
      .max(30 * 86_400)
      .optional(),
    /** Hub stage name → provider stage id, for status pushes. */
    stageMap: z.record(z.string(), z.string()).optional(),
    /** Write-back of portal submissions (default true). */
    pushSubmissions: z.boolean().optional(),
    /** The provider user recorded as acting (Greenhouse On-Behalf-Of, Lever perform_as); null clears it. */
    actingUserId: z.string().nullable().optional(),
    /** The provider's source a submission credits; null clears it. */
    sourceId: z.string().nullable().optional(),
  })
  .catchall(z.unknown());

export type IntegrationSettings = z.infer<typeof integrationSettings>;

export const createIntegrationBody = z
  .object({
    provider: providerNameSchema,
    credentials: z.record(z.string(), z.unknown()),
    settings: integrationSettings.default({}),
  })
  .strict()
  .meta({ id: 'CreateIntegration' });

export const createdIntegration = z
  .object({
    id: uuid,
    provider: providerNameSchema,
    enabled: z.boolean(),
    webhookUrl: z.string().nullable(),
    webhookSecret: z.string().optional(),
  })
  .meta({ id: 'CreatedIntegration' });

export const syncRunView = z
  .object({
    id: uuid,
    mode: z.enum(['full', 'incremental']),
    status: z.enum(['queued', 'running', 'succeeded', 'partial', 'failed']),
    recordsProcessed: z.number().int(),
    recordsCreated: z.number().int(),
    recordsUpdated: z.number().int(),
    recordsDeleted: z.number().int(),
    recordsFailed: z.number().int(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'SyncRun' });

export const integrationStatus = z
  .object({
    id: uuid,
    provider: providerNameSchema,
    enabled: z.boolean(),
    health: z.enum(['healthy', 'degraded', 'unhealthy']),
    healthDetail: z.record(z.string(), z.unknown()),
    webhookUrl: z.string().nullable(),
    cursors: z.array(
      z.object({ objectType: z.string(), cursor: z.record(z.string(), z.unknown()), updatedAt: z.string() }),
    ),
    lastRuns: z.array(syncRunView),
  })
  .meta({ id: 'IntegrationStatus' });

/** PATCH /integrations/{id}: the given settings replace those keys; the others stay. */
export const updateIntegrationBody = z
  .object({ settings: integrationSettings })
  .strict()
  .meta({ id: 'UpdateIntegration' });

export const integrationSettingsView = z
  .object({
    id: uuid,
    provider: providerNameSchema,
    enabled: z.boolean(),
    /** The effective settings, the provider's defaults filled in. */
    settings: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'IntegrationSettings' });

export const integrationIdParams = z.object({ id: uuid });

export const syncRequestBody = z
  .object({ mode: z.enum(['full', 'incremental']).default('incremental') })
  .strict();

export const rotateSecretBody = z
  .object({
    /** The provider-issued secret (Lever signing token, BambooHR private key); generated when absent. */
    webhookSecret: text(500).optional(),
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .optional(),
  })
  .strict();

export type CreateIntegrationBody = z.infer<typeof createIntegrationBody>;
export type UpdateIntegrationBody = z.infer<typeof updateIntegrationBody>;

import { randomBytes, randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type * as z from 'zod';
import type {
  CreateIntegrationBody,
  IntegrationSettings,
  UpdateIntegrationBody,
} from '../../shared/api/integrations.js';
import { iso, isoOrNull } from '../../shared/api/views.js';
import {
  type IntegrationStatusRow,
  insertIntegration,
  listIntegrationStatus,
  listRuns,
  lockIntegration,
  requestSync,
  updateIntegrationSettings,
} from '../../shared/db/repositories/integrations.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import {
  isWebhookSecretState,
  rotateSecret,
  type WebhookSecretState,
} from '../../shared/domain/webhook-secrets.js';
import type { Principal } from '../../shared/http/types.js';
import { providerCredentialsSecret, webhookSecretName } from '../../shared/integrations/secret-names.js';
import { logger } from '../../shared/observability/logger.js';
import { publishOutbox } from '../../shared/outbox/publisher.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ProviderModule } from '../../shared/ports/provider.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { SecretStore } from '../../shared/ports/secrets.js';

export interface IntegrationsDependencies {
  sql: Sql;
  secrets: SecretStore;
  queues: Readonly<Record<'sync' | 'notify', Queue | undefined>>;
  providers: Readonly<Record<string, ProviderModule>>;
  /** Each provider's settings schema (shared/providers/<provider>/settings.ts). */
  settingsSchemas: Readonly<Record<string, z.ZodType<Record<string, unknown>>>>;
  clock: Clock;
  publicBaseUrl: string;
}

const generateSecret = () => randomBytes(32).toString('base64url');

function webhookUrl(deps: IntegrationsDependencies, module: ProviderModule, id: string): string | null {
  return module.webhookVerifier
    ? `${deps.publicBaseUrl.replace(/\/$/, '')}/webhooks/${module.name}/${id}`
    : null;
}

/**
 * The provider's own settings schema judges the whole object, so an unknown stage map shape or a bad
 * `actingUserId` answers 400 naming `body.settings.<field>`. Returns the effective settings, defaults filled in.
 */
function validSettings(
  deps: IntegrationsDependencies,
  provider: string,
  settings: Record<string, unknown>,
): Record<string, unknown> {
  const schema = deps.settingsSchemas[provider];
  if (!schema) throw new DomainError('VALIDATION_FAILED', 'unknown provider');
  const parsed = schema.safeParse(settings);
  if (parsed.success) return parsed.data;
  throw new DomainError('VALIDATION_FAILED', 'invalid settings for this provider', {
    issues: parsed.error.issues.map((i) => ({
      path: ['body', 'settings', ...i.path.map(String)].join('.'),
      message: i.message,
    })),
  });
}

/** The sync intervals are columns of their own; everything else is the provider's settings object. */
function splitSettings(settings: IntegrationSettings) {
  const { syncIntervalSeconds, fullSyncIntervalSeconds, ...rest } = settings;
  return { syncIntervalSeconds, fullSyncIntervalSeconds, rest: rest as Record<string, unknown> };
}

/**
 * Credentials go to the secrets store first (named by the new integration's id), then the row; a failure in
 * between leaves at most an unreferenced secret, never an integration without credentials.
 */
export async function connectIntegration(
  deps: IntegrationsDependencies,
  principal: Principal,
  body: CreateIntegrationBody,
) {
  const module = deps.providers[body.provider];
  if (!module) throw new DomainError('VALIDATION_FAILED', 'unknown provider');
  const { webhookSecret: givenSecret, ...credentials } = body.credentials as Record<string, unknown> & {
    webhookSecret?: unknown;
  };
  const parsed = module.credentialsSchema.safeParse(credentials);
  if (!parsed.success) {
    // paths and messages only: a credential value never appears in an error
    throw new DomainError('VALIDATION_FAILED', 'invalid credentials for this provider', {
      issues: parsed.error.issues.map((i) => ({
        path: ['body', 'credentials', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    });
  }
  if (
    givenSecret !== undefined &&
    (typeof givenSecret !== 'string' || givenSecret.length < 8 || givenSecret.length > 500)
  ) {
    throw new DomainError('VALIDATION_FAILED', 'invalid webhook secret', {
      issues: [
        { path: 'body.credentials.webhookSecret', message: 'must be a string of 8 to 500 characters' },
      ],
    });
  }
  const { syncIntervalSeconds, fullSyncIntervalSeconds, rest: settings } = splitSettings(body.settings);
  validSettings(deps, body.provider, settings);
  const id = randomUUID();
  const generated = givenSecret === undefined && module.webhookVerifier && module.hubGeneratesWebhookSecret;
  const webhookSecret =
    typeof givenSecret === 'string' ? givenSecret : generated ? generateSecret() : undefined;
  await deps.secrets.put(providerCredentialsSecret(id), parsed.data);
  if (webhookSecret) {
    await deps.secrets.put(webhookSecretName(id), {
      current: webhookSecret,
      previous: [],
    } satisfies WebhookSecretState);
  }
  await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    insertIntegration(tx, {
      id,
      organizationId: principal.organizationId,
      provider: body.provider,
      settings,
      secretRef: providerCredentialsSecret(id),
      ...(syncIntervalSeconds ? { syncIntervalSeconds } : {}),
      ...(fullSyncIntervalSeconds ? { fullSyncIntervalSeconds } : {}),
    }),
  );
  logger.info('integration connected', { integrationId: id, provider: body.provider });
  return {
    id,
    provider: body.provider,
    enabled: true,
    webhookUrl: webhookUrl(deps, module, id),
    ...(generated ? { webhookSecret } : {}),
  };
}

function toStatus(deps: IntegrationsDependencies, row: IntegrationStatusRow) {
  const module = deps.providers[row.provider];
  return {
    id: row.id,
    provider: row.provider,
    enabled: row.enabled,
    health: row.health,
    healthDetail: row.health_detail,
    webhookUrl: module ? webhookUrl(deps, module, row.id) : null,
    cursors: row.cursors.map((c) => ({
      objectType: c.object_type,
      cursor: c.cursor,
      updatedAt: iso(c.updated_at),
    })),
    lastRuns: row.last_runs.map(toRun),
  };
}

function toRun(r: IntegrationStatusRow['last_runs'][number]) {
  return {
    id: r.id,
    mode: r.mode,
    status: r.status,
    recordsProcessed: r.records_processed,
    recordsCreated: r.records_created,
    recordsUpdated: r.records_updated,
    recordsDeleted: r.records_deleted,
    recordsFailed: r.records_failed,
    startedAt: isoOrNull(r.started_at),
    completedAt: isoOrNull(r.completed_at),
    error: r.error,
  };
}

export async function getIntegrations(deps: IntegrationsDependencies, principal: Principal) {
  const rows = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    listIntegrationStatus(tx),
  );
  return { items: rows.map((r) => toStatus(deps, r)) };
}

export async function getIntegration(deps: IntegrationsDependencies, principal: Principal, id: string) {
  const [row] = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    listIntegrationStatus(tx, id),
  );
  if (!row) throw notFound('integration');
  return toStatus(deps, row);
}

export async function getRuns(deps: IntegrationsDependencies, principal: Principal, id: string) {
  const rows = await withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    const [exists] = await listIntegrationStatus(tx, id);
    if (!exists) throw notFound('integration');
    return listRuns(tx, id);
  });
  return { items: rows.map(toRun) };
}

/** The run and its request are one transaction (outbox); the request is then relayed to the worker at once. */
export async function triggerSync(
  deps: IntegrationsDependencies,
  principal: Principal,
  id: string,
  mode: 'full' | 'incremental',
) {
  const syncRunId = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    requestSync(tx, { integrationId: id, mode, requestedBy: `api:${principal.keyId}` }),
  );
  if (!syncRunId) throw notFound('integration');
  await publishOutbox(deps.sql, deps.queues, {
    organizationId: principal.organizationId,
    aggregateId: id,
  }).catch((error: Error) =>
    logger.warn('sync request not relayed yet; the scheduler will', { errorName: error.name }),
  );
  return { syncRunId };
}

/** New signing secret; the previous one keeps verifying for the grace period (R20). */
export async function rotateWebhookSecret(
  deps: IntegrationsDependencies,
  principal: Principal,
  id: string,
  body: { webhookSecret?: string; graceSeconds?: number },
) {
  const status = await getIntegration(deps, principal, id);
  const module = deps.providers[status.provider];
  if (!module?.webhookVerifier)
    throw new DomainError('VALIDATION_FAILED', 'this provider sends no signed webhooks');
  if (!body.webhookSecret && !module.hubGeneratesWebhookSecret) {
    throw new DomainError('VALIDATION_FAILED', 'this provider issues its own secret', {
      issues: [{ path: 'body.webhookSecret', message: 'required for this provider' }],
    });
  }
  const next = body.webhookSecret ?? generateSecret();
  const stored = await deps.secrets.get(webhookSecretName(id));
  const state: WebhookSecretState = isWebhookSecretState(stored)
    ? rotateSecret(stored, next, deps.clock.now(), body.graceSeconds)
    : { current: next, previous: [] };
  await deps.secrets.put(webhookSecretName(id), state as unknown as Record<string, unknown>);
  return {
    id,
    ...(body.webhookSecret ? {} : { webhookSecret: next }),
    previousValidUntil: state.previous[0]?.validUntil ?? null,
  };
}

/** PATCH /integrations/{id}: the given keys replace the stored ones (null clears a nullable one), then validated. */
export async function updateIntegration(
  deps: IntegrationsDependencies,
  principal: Principal,
  id: string,
  body: UpdateIntegrationBody,
) {
  const { syncIntervalSeconds, fullSyncIntervalSeconds, rest } = splitSettings(body.settings);
  return withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    const row = await lockIntegration(tx, id);
    if (!row) throw notFound('integration');
    const settings = { ...row.settings, ...rest };
    const effective = validSettings(deps, row.provider, settings);
    await updateIntegrationSettings(tx, { id, settings, syncIntervalSeconds, fullSyncIntervalSeconds });
    logger.info('integration settings changed', { integrationId: id, keys: Object.keys(rest) });
    return { id, provider: row.provider, enabled: row.enabled, settings: effective };
  });
}

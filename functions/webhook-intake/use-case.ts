import { createHash } from 'node:crypto';
import type { Sql } from 'postgres';
import { findIntegrationRoute } from '../../shared/db/repositories/integrations.js';
import { recordDelivery } from '../../shared/db/repositories/webhook-deliveries.js';
import { withIntegrationRoute, withTenant } from '../../shared/db/tenant.js';
import { PROVIDERS, type ProviderName } from '../../shared/domain/canonical.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import { activeSecrets, isWebhookSecretState } from '../../shared/domain/webhook-secrets.js';
import { decodeUtf8 } from '../../shared/http/body.js';
import { webhookSecretName } from '../../shared/integrations/secret-names.js';
import type { WebhookMessage } from '../../shared/messages/queue-messages.js';
import { logger } from '../../shared/observability/logger.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ProviderModule } from '../../shared/ports/provider.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { SecretStore } from '../../shared/ports/secrets.js';

export interface WebhookIntakeDependencies {
  sql: Sql;
  secrets: SecretStore;
  syncQueue: Queue | undefined;
  providers: Readonly<Record<string, ProviderModule>>;
  clock: Clock;
  routes: IntegrationRouteCache;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Integration → tenant, remembered per execution environment: integrations change rarely. */
export class IntegrationRouteCache {
  private readonly entries = new Map<string, { organizationId: string; provider: ProviderName; expires: number }>();
  constructor(private readonly ttlMs = 5 * 60_000) {}

  async resolve(sql: Sql, integrationId: string, now: number) {
    const hit = this.entries.get(integrationId);
    if (hit && hit.expires > now) return hit;
    const row = await withIntegrationRoute(sql, integrationId, (tx) => findIntegrationRoute(tx, integrationId));
    if (!row) return undefined;
    const entry = { organizationId: row.organization_id, provider: row.provider, expires: now + this.ttlMs };
    this.entries.set(integrationId, entry);
    return entry;
  }
}

export interface WebhookInput {
  provider: string;
  integrationId: string;
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
}

/**
 * Size was checked before this runs; then: verify over the raw bytes with secrets from the secrets store
 * (no database call for a bad signature), record the delivery once, enqueue it, answer 200.
 */
export async function receiveWebhook(deps: WebhookIntakeDependencies, input: WebhookInput): Promise<{ received: true }> {
  const module = (PROVIDERS as readonly string[]).includes(input.provider) ? deps.providers[input.provider] : undefined;
  const verifier = module?.webhookVerifier;
  if (!verifier || !UUID.test(input.integrationId)) throw notFound('integration');
  const state = await deps.secrets.get(webhookSecretName(input.integrationId));
  if (!isWebhookSecretState(state)) throw notFound('integration');
  const now = deps.clock.now();
  const verification = verifier.verify({
    rawBody: input.rawBody,
    headers: input.headers,
    secrets: activeSecrets(state, now),
    now,
  });
  if (!verification.ok) {
    logger.info('webhook refused', { provider: input.provider, reason: verification.reason });
    if (verification.reason === 'malformed') {
      throw new DomainError('VALIDATION_FAILED', 'malformed webhook', {
        issues: [{ path: 'body', message: 'signature fields are malformed' }],
      });
    }
    throw new DomainError('UNAUTHORIZED', 'webhook signature missing or wrong');
  }
  if (verification.eventType === 'ping') return { received: true };
  const route = await deps.routes.resolve(deps.sql, input.integrationId, now.getTime());
  if (!route || route.provider !== input.provider) throw notFound('integration');
  const payload = decodeUtf8(input.rawBody);
  if (payload === undefined || payload.includes('\u0000')) {
    throw new DomainError('MALFORMED_JSON', 'webhook body is not valid UTF-8 text');
  }
  const rowId = await withTenant(deps.sql, route.organizationId, 'worker', (tx) =>
    recordDelivery(tx, {
      organizationId: route.organizationId,
      integrationId: input.integrationId,
      deliveryId: verification.deliveryId,
      bodySha256: createHash('sha256').update(input.rawBody).digest('hex'),
      eventType: verification.eventType,
      payload,
      sourceTimestamp: verification.sourceTimestamp,
    }),
  );
  if (rowId && deps.syncQueue) {
    const message: WebhookMessage = {
      type: 'webhook',
      organizationId: route.organizationId,
      integrationId: input.integrationId,
      deliveryRowId: rowId,
    };
    // recorded durably already: if this send fails the scheduler re-enqueues unapplied deliveries
    await deps.syncQueue
      .sendBatch([{ id: `w${rowId}`, body: JSON.stringify(message) }])
      .catch((error: Error) => logger.warn('webhook enqueue failed; left for the sweep', { errorName: error.name }));
  }
  return { received: true };
}

import type { Sql } from 'postgres';
import { findIntegrationRoute } from '../../shared/db/repositories/integrations.js';
import { recordDeliveryAsTenant } from '../../shared/db/repositories/webhook-deliveries.js';
import { withIntegrationRoute } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import {
  activeSecrets,
  isWebhookSecretState,
  type WebhookSecretState,
} from '../../shared/domain/webhook-secrets.js';
import { decodeUtf8, rawBodySha256 } from '../../shared/http/body.js';
import { webhookSecretName } from '../../shared/integrations/secret-names.js';
import type { WebhookMessage } from '../../shared/messages/queue-messages.js';
import { logger } from '../../shared/observability/logger.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ProviderLookup } from '../../shared/ports/provider.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import type { ProviderName } from '../../shared/providers/names.js';

export interface WebhookIntakeDependencies {
  sql: Sql;
  secrets: SecretStore;
  syncQueue: Queue | undefined;
  /** Production: the registry's `findProvider`, which imports only the adapter a request names. */
  providers: ProviderLookup;
  clock: Clock;
  routes: IntegrationRouteCache;
  /** Re-reads a webhook secret past the cache after a failed verification (rotation in another environment). */
  secretRefresh?: SecretRefreshLimiter;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

const isStorableKey = (value: string, max: number) =>
  value.length > 0 && value.length <= max && !CONTROL.test(value);

/** Integration → tenant, remembered per execution environment: integrations change rarely. */
export class IntegrationRouteCache {
  private readonly entries = new Map<
    string,
    { organizationId: string; provider: ProviderName; expires: number }
  >();
  constructor(private readonly ttlMs = 5 * 60_000) {}

  async resolve(sql: Sql, integrationId: string, now: number) {
    const hit = this.entries.get(integrationId);
    if (hit && hit.expires > now) return hit;
    const row = await withIntegrationRoute(sql, integrationId, (tx) =>
      findIntegrationRoute(tx, integrationId),
    );
    if (!row) return undefined;
    const entry = { organizationId: row.organization_id, provider: row.provider, expires: now + this.ttlMs };
    this.entries.set(integrationId, entry);
    return entry;
  }
}

/**
 * The secrets store caches webhook secrets per execution environment (SECRETS_CACHE_SECONDS), so a rotation done
 * in another environment would be refused here until the cache expires. After a failed verification the secret
 * is read once more past the cache, at most once per integration per `intervalMs`, so a flood of bad signatures
 * costs at most one read per integration and interval.
 */
export class SecretRefreshLimiter {
  private readonly last = new Map<string, number>();
  constructor(readonly intervalMs = 30_000) {}

  allow(integrationId: string, now: number): boolean {
    const previous = this.last.get(integrationId);
    if (previous !== undefined && now - previous < this.intervalMs && now >= previous) return false;
    if (this.last.size >= 10_000) this.last.clear();
    this.last.set(integrationId, now);
    return true;
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
export async function receiveWebhook(
  deps: WebhookIntakeDependencies,
  input: WebhookInput,
): Promise<{ received: true }> {
  const verifier = (await deps.providers(input.provider))?.webhookVerifier;
  if (!verifier || !UUID.test(input.integrationId)) throw notFound('integration');
  const secretName = webhookSecretName(input.integrationId);
  const state = await deps.secrets.get(secretName);
  if (!isWebhookSecretState(state)) throw notFound('integration');
  const now = deps.clock.now();
  const verify = (secrets: WebhookSecretState) =>
    verifier.verify({
      rawBody: input.rawBody,
      headers: input.headers,
      secrets: activeSecrets(secrets, now),
      now,
    });
  let verification = verify(state);
  if (
    !verification.ok &&
    verification.reason === 'bad_signature' &&
    deps.secretRefresh?.allow(input.integrationId, now.getTime())
  ) {
    const fresh = await deps.secrets.get(secretName, { fresh: true });
    if (isWebhookSecretState(fresh) && JSON.stringify(fresh) !== JSON.stringify(state))
      verification = verify(fresh);
  }
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
  // stored as text and indexed: PostgreSQL text holds no NUL, and a btree entry is limited to ~2.7 kB (R11)
  if (!isStorableKey(verification.deliveryId, 500) || !isStorableKey(verification.eventType, 200)) {
    throw new DomainError('VALIDATION_FAILED', 'malformed webhook', {
      issues: [
        { path: 'body', message: 'delivery id or event type is empty, too long or holds control characters' },
      ],
    });
  }
  // one statement: the tenant settings and the insert in one function call (migration 0019); the body's text
  // and digest were computed once, shared with the verifier (shared/http/body.ts)
  const rowId = await recordDeliveryAsTenant(deps.sql, {
    organizationId: route.organizationId,
    integrationId: input.integrationId,
    deliveryId: verification.deliveryId,
    bodySha256: rawBodySha256(input.rawBody),
    eventType: verification.eventType,
    payload,
    sourceTimestamp: verification.sourceTimestamp,
  });
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
      .catch((error: Error) =>
        logger.warn('webhook enqueue failed; left for the sweep', { errorName: error.name }),
      );
  }
  return { received: true };
}

import type { RetryPolicy } from 'cockatiel';
import type { IntegrationCore } from '../db/repositories/integrations.js';
import type { BreakerColumns } from '../db/repositories/sync-breaker.js';
import { providerCredentialsSecret } from '../integrations/secret-names.js';
import { type ProviderClient, ProviderError } from '../ports/provider.js';
import { countsAgainstBreaker, PersistentCircuitBreaker } from './circuit-breaker.js';
import type { SyncDependencies } from './dependencies.js';
import { IntegrationSetupError } from './errors.js';
import { bucketFor } from './rate-limit-config.js';
import { SharedRateLimiter } from './rate-limiter.js';
import { providerRetryPolicy } from './retry-policy.js';

export interface SessionIntegration
  extends Pick<IntegrationCore, 'id' | 'organization_id' | 'provider' | 'settings'>,
    BreakerColumns {}

/**
 * A provider client for one integration wired to the engine's machinery: credentials from the secrets store,
 * the shared rate limiter on every request, and `call()` = breaker gate → retries with backoff → breaker
 * bookkeeping.
 */
export class ProviderSession {
  readonly limiter: SharedRateLimiter;
  private readonly breaker: PersistentCircuitBreaker;
  private readonly retry: RetryPolicy;

  private constructor(
    readonly client: ProviderClient,
    limiter: SharedRateLimiter,
    breaker: PersistentCircuitBreaker,
    retry: RetryPolicy,
  ) {
    this.limiter = limiter;
    this.breaker = breaker;
    this.retry = retry;
  }

  static async open(deps: SyncDependencies, integration: SessionIntegration): Promise<ProviderSession> {
    const module = await deps.providers(integration.provider);
    if (!module) throw new IntegrationSetupError(`provider ${integration.provider} is not available`);
    const credentials = await deps.secrets.get(providerCredentialsSecret(integration.id));
    if (!credentials) throw new IntegrationSetupError('provider credentials are missing');
    const scope = { organizationId: integration.organization_id, integrationId: integration.id };
    const limiter = new SharedRateLimiter(
      { sql: deps.sql, clock: deps.clock, sleep: deps.sleep, onWait: deps.hooks?.onRateLimitWait },
      scope,
      await bucketFor(integration.provider, integration.settings),
    );
    const breaker = new PersistentCircuitBreaker(
      { sql: deps.sql, clock: deps.clock },
      { ...scope, provider: integration.provider },
      deps.options.breaker,
      integration,
    );
    let client: ProviderClient;
    try {
      client = module.createClient({
        integrationId: integration.id,
        credentials,
        settings: {
          ...integration.settings,
          // providers whose refresh tokens rotate on use (Lever) hand the new one back to be persisted
          onRefreshTokenRotated: (refreshToken: string) =>
            deps.secrets.put(providerCredentialsSecret(integration.id), { ...credentials, refreshToken }),
        },
        clock: deps.clock,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        beforeRequest: limiter.beforeRequest,
        onRateLimit: limiter.onRateLimit,
      });
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw new IntegrationSetupError('provider client could not be configured');
    }
    return new ProviderSession(client, limiter, breaker, providerRetryPolicy(deps.options.retry));
  }

  /** One provider operation: refused while the breaker is open, retried when retryable, counted by the breaker. */
  call<T>(operation: (client: ProviderClient) => Promise<T>): Promise<T> {
    return this.guarded(() => this.retry.execute(() => operation(this.client)));
  }

  /**
   * A create that must never be repeated blind (docs/write-back.md): the breaker and the limiter apply, but a
   * failure is not retried here. The caller looks the provider up before it tries again.
   */
  callOnce<T>(operation: (client: ProviderClient) => Promise<T>): Promise<T> {
    return this.guarded(() => operation(this.client));
  }

  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    await this.breaker.ensureCallable();
    let result: T;
    try {
      result = await run();
    } catch (error) {
      await this.limiter.flush();
      if (countsAgainstBreaker(error)) await this.breaker.onFailure(error as ProviderError);
      throw error;
    }
    await this.limiter.flush();
    await this.breaker.onSuccess();
    return result;
  }
}

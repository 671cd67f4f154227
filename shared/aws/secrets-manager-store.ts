import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { prefixedSecretId, type SecretGetOptions, type SecretStore } from '../ports/secrets.js';

/**
 * SecretStore over Secrets Manager. Reads go through Powertools Parameters' `SecretsProvider` with
 * `maxAge` = SECRETS_CACHE_SECONDS (Powertools' own default is 5 s, far too short: docs/performance.md B6
 * wants at most one GetSecretValue per environment per cache period) and the JSON transform. Concurrent
 * reads of one name share one fetch. A `put` writes with PutSecretValue, creates the secret when it does
 * not exist yet, and then drops the cached entry for that name in this environment; other environments
 * see the new value when their cache period ends, or at once with `get(name, { fresh: true })` (Powertools
 * `forceFetch`, which also re-caches what it read).
 */
export interface SecretsManagerStoreOptions {
  /** Cache period in seconds (SECRETS_CACHE_SECONDS). */
  maxAgeSeconds: number;
  /** A ready client (tests, shared clients). Wins over `clientConfig`. */
  client?: SecretsManagerClient;
  clientConfig?: SecretsManagerClientConfig;
  /** When set, the secret id is `${prefix}/${name}` (e.g. SECRETS_PREFIX). */
  prefix?: string;
  /** The customer-managed key secrets created here are encrypted with (SECRETS_KMS_KEY_ID); else AWS's own key. */
  kmsKeyId?: string;
}

/** `{ AWS_REGION }` as a client config; Secrets Manager has no endpoint override in the hub's env. */
export function secretsManagerClientConfigFromEnv(env: { AWS_REGION: string }): SecretsManagerClientConfig {
  return { region: env.AWS_REGION };
}

/** SecretsProvider whose cache entries for one name can be dropped (the cache map is protected). */
class ForgettingSecretsProvider extends SecretsProvider {
  /** Cache keys are `[name, transform].toString()` in @aws-lambda-powertools/parameters 2.x. */
  forget(name: string): void {
    for (const key of [...this.store.keys()]) {
      if (key.startsWith(`${name},`) && !key.slice(name.length + 1).includes(',')) this.store.delete(key);
    }
  }
}

function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; cause?: unknown };
  if (typeof e.name === 'string' && e.name.endsWith('Exception')) return e.name;
  return e.cause !== undefined ? errorName(e.cause) : typeof e.name === 'string' ? e.name : undefined;
}

function assertObject(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`secret ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

export class SecretsManagerStore implements SecretStore {
  readonly client: SecretsManagerClient;
  private readonly kmsKeyId: string | undefined;
  private readonly provider: ForgettingSecretsProvider;
  private readonly maxAgeSeconds: number;
  private readonly prefix: string | undefined;
  private readonly inflight = new Map<string, Promise<Record<string, unknown> | undefined>>();
  /** Bumped by every put, so a read that started before the put never re-caches the old value. */
  private readonly generation = new Map<string, number>();

  constructor(options: SecretsManagerStoreOptions) {
    if (!Number.isFinite(options.maxAgeSeconds) || options.maxAgeSeconds <= 0) {
      throw new Error('SecretsManagerStore needs maxAgeSeconds > 0');
    }
    this.client = options.client ?? new SecretsManagerClient(options.clientConfig ?? {});
    this.provider = new ForgettingSecretsProvider({ awsSdkV3Client: this.client });
    this.maxAgeSeconds = options.maxAgeSeconds;
    this.prefix = options.prefix;
    this.kmsKeyId = options.kmsKeyId;
  }

  secretId(name: string): string {
    return prefixedSecretId(this.prefix, name);
  }

  async get<T extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    options: SecretGetOptions = {},
  ): Promise<T | undefined> {
    const id = this.secretId(name);
    // a fresh read never joins a cached-read fetch (that one may return the cached value)
    const key = options.fresh ? `${id}\u0000fresh` : id;
    let pending = this.inflight.get(key);
    if (!pending) {
      const fetching = this.fetch(id, options.fresh === true).finally(() => {
        if (this.inflight.get(key) === fetching) this.inflight.delete(key);
      });
      pending = fetching;
      this.inflight.set(key, fetching);
    }
    const value = await pending;
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  /** `fresh`: Powertools `forceFetch`, which skips the cache and stores the value read for the next reads. */
  private async fetch(id: string, fresh = false): Promise<Record<string, unknown> | undefined> {
    const generation = this.generation.get(id) ?? 0;
    try {
      const value = await this.provider.get(id, {
        maxAge: this.maxAgeSeconds,
        transform: 'json',
        ...(fresh ? { forceFetch: true } : {}),
      });
      if ((this.generation.get(id) ?? 0) !== generation) this.provider.forget(id);
      return value === undefined ? undefined : assertObject(id, value);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async put(name: string, value: Record<string, unknown>): Promise<void> {
    const id = this.secretId(name);
    const secretString = JSON.stringify(assertObject(id, value));
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: id, SecretString: secretString }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
      try {
        await this.client.send(
          new CreateSecretCommand({
            Name: id,
            SecretString: secretString,
            ...(this.kmsKeyId ? { KmsKeyId: this.kmsKeyId } : {}),
          }),
        );
      } catch (createError) {
        // Created by someone else in between: write our value as a new version.
        if (errorName(createError) !== 'ResourceExistsException') throw createError;
        await this.client.send(new PutSecretValueCommand({ SecretId: id, SecretString: secretString }));
      }
    }
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
    this.inflight.delete(id);
    this.provider.forget(id);
  }
}

/** Secrets store (Secrets Manager in AWS, `.local/secrets.json` locally). Values are JSON objects. */
export interface SecretGetOptions {
  /**
   * Skip this environment's cache and read the stored value (which then replaces the cached one). For a
   * value another environment may have changed, e.g. a webhook secret rotated elsewhere; callers rate-limit it.
   */
  fresh?: boolean;
}

export interface SecretStore {
  /** Cached per execution environment for the configured period, unless `fresh`. */
  get<T extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    options?: SecretGetOptions,
  ): Promise<T | undefined>;
  put(name: string, value: Record<string, unknown>): Promise<void>;
}

/** The stored id of a secret: the deployment's prefix (one per stage), then the hub's name for it. */
export const prefixedSecretId = (prefix: string | undefined, name: string): string =>
  prefix ? `${prefix}/${name}` : name;

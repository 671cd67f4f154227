/** Secrets store (Secrets Manager in AWS, `.local/secrets.json` locally). Values are JSON objects. */
export interface SecretStore {
  /** Cached per execution environment for the configured period. */
  get<T extends Record<string, unknown> = Record<string, unknown>>(name: string): Promise<T | undefined>;
  put(name: string, value: Record<string, unknown>): Promise<void>;
}

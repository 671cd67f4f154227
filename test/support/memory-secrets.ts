import type { SecretStore } from '../../shared/ports/secrets.js';

export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, Record<string, unknown>>();
  gets = 0;

  async get<T extends Record<string, unknown>>(name: string): Promise<T | undefined> {
    this.gets++;
    const value = this.values.get(name);
    return value ? (structuredClone(value) as T) : undefined;
  }

  async put(name: string, value: Record<string, unknown>): Promise<void> {
    this.values.set(name, structuredClone(value));
  }
}

import type { SecretGetOptions, SecretStore } from '../../shared/ports/secrets.js';

/**
 * In-memory SecretStore. Without `maxAgeMs` it has no cache (every get reads the stored value); with it, it
 * caches per instance like the real stores, so tests can simulate several execution environments sharing one
 * backing map (`shared`). `gets` counts calls, `reads` counts reads of the backing map, `freshReads` counts
 * `get(..., { fresh: true })`.
 */
export class MemorySecretStore implements SecretStore {
  readonly values: Map<string, Record<string, unknown>>;
  gets = 0;
  reads = 0;
  freshReads = 0;
  private readonly cache = new Map<
    string,
    { value: Record<string, unknown> | undefined; expiresAt: number }
  >();

  constructor(
    options: { shared?: Map<string, Record<string, unknown>>; maxAgeMs?: number; now?: () => number } = {},
  ) {
    this.values = options.shared ?? new Map();
    this.maxAgeMs = options.maxAgeMs;
    this.now = options.now ?? Date.now;
  }

  private readonly maxAgeMs: number | undefined;
  private readonly now: () => number;

  async get<T extends Record<string, unknown>>(
    name: string,
    options: SecretGetOptions = {},
  ): Promise<T | undefined> {
    this.gets++;
    if (options.fresh) this.freshReads++;
    const cached = this.cache.get(name);
    if (!options.fresh && this.maxAgeMs !== undefined && cached && cached.expiresAt > this.now()) {
      return cached.value ? (structuredClone(cached.value) as T) : undefined;
    }
    this.reads++;
    const value = this.values.get(name);
    if (this.maxAgeMs !== undefined && value) {
      this.cache.set(name, { value: structuredClone(value), expiresAt: this.now() + this.maxAgeMs });
    }
    return value ? (structuredClone(value) as T) : undefined;
  }

  async put(name: string, value: Record<string, unknown>): Promise<void> {
    this.values.set(name, structuredClone(value));
    this.cache.delete(name);
  }
}

import type { ObjectStore, PresignedPost, StoredObject } from '../../shared/ports/object-store.js';

interface Entry extends StoredObject {
  tags: Record<string, string>;
}

/**
 * In-memory ObjectStore for tests. Keeps every call in `puts` so tests can count writes; `failPut` lets a
 * test make chosen writes fail.
 */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, Entry>();
  readonly puts: string[] = [];
  failPut: ((key: string) => boolean) | undefined;

  async put(
    key: string,
    body: Buffer | string,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<void> {
    if (this.failPut?.(key)) throw new Error(`simulated put failure for ${key}`);
    this.puts.push(key);
    this.objects.set(key, {
      body: Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(body, 'utf8'),
      contentType: options.contentType,
      metadata: { ...(options.metadata ?? {}) },
      tags: this.objects.get(key)?.tags ?? {},
    });
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const entry = this.objects.get(key);
    if (!entry) return undefined;
    return { body: Buffer.from(entry.body), contentType: entry.contentType, metadata: { ...entry.metadata } };
  }

  /** Convenience for tests: the body as UTF-8 text, or undefined. */
  text(key: string): string | undefined {
    return this.objects.get(key)?.body.toString('utf8');
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async getTags(key: string): Promise<Record<string, string>> {
    return { ...(this.objects.get(key)?.tags ?? {}) };
  }

  async putTags(key: string, tags: Record<string, string>): Promise<void> {
    const entry = this.objects.get(key);
    if (!entry) throw new Error(`no such key: ${key}`);
    entry.tags = { ...tags };
  }

  async presignPost(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresSeconds: number;
  }): Promise<PresignedPost> {
    return {
      url: 'http://memory-object-store.invalid/upload',
      fields: { key: input.key, 'Content-Type': input.contentType },
      expiresAt: new Date(Date.now() + input.expiresSeconds * 1000).toISOString(),
    };
  }
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as port from '../../shared/ports/object-store.js';
import { ObjectAccessDeniedError } from '../../shared/ports/object-store.js';

interface Entry extends port.StoredObject {
  tags: Record<string, string>;
}

/**
 * In-memory port.ObjectStore for tests. Keeps every call in `puts` so tests can count writes; `failPut` lets a
 * test make chosen writes fail.
 */
export class MemoryObjectStore implements port.ObjectStore {
  readonly objects = new Map<string, Entry>();
  readonly puts: string[] = [];
  failPut: ((key: string) => boolean) | undefined;
  /** As S3 without s3:ListBucket: a read of a missing key or version is refused (403), not a 404. */
  denyMissing = false;
  /** Every version of every key (a versioned bucket); `delete` removes them all. */
  private readonly versions = new Map<string, Map<string, Entry>>();
  private nextVersion = 0;
  /** Signs the links of presignGet, so a test can only follow one the store handed out, and only in time. */
  private readonly linkKey = randomBytes(32);

  async put(
    key: string,
    body: Buffer | string,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<void> {
    if (this.failPut?.(key)) throw new Error(`simulated put failure for ${key}`);
    this.puts.push(key);
    const entry = {
      body: Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(body, 'utf8'),
      contentType: options.contentType,
      metadata: { ...(options.metadata ?? {}) },
      tags: this.objects.get(key)?.tags ?? {},
    };
    this.objects.set(key, entry);
    const versions = this.versions.get(key) ?? new Map<string, Entry>();
    versions.set(String(++this.nextVersion), entry);
    this.versions.set(key, versions);
  }

  async get(key: string, options: { versionId?: string } = {}): Promise<port.StoredObject | undefined> {
    const entry = options.versionId ? this.versions.get(key)?.get(options.versionId) : this.objects.get(key);
    if (!entry) {
      if (this.denyMissing) throw new ObjectAccessDeniedError(key);
      return undefined;
    }
    return { body: Buffer.from(entry.body), contentType: entry.contentType, metadata: { ...entry.metadata } };
  }

  /** The id of the key's latest version (what S3 reports in the scan event). */
  versionIdOf(key: string): string | undefined {
    return [...(this.versions.get(key)?.keys() ?? [])].at(-1);
  }

  /** Convenience for tests: the body as UTF-8 text, or undefined. */
  text(key: string): string | undefined {
    return this.objects.get(key)?.body.toString('utf8');
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
    this.versions.delete(key);
  }

  /** Keys whose versions an erasure removed, in call order. */
  readonly versionDeletes: string[] = [];

  async deleteAllVersions(key: string, options: { keepCurrent?: boolean } = {}): Promise<number> {
    this.versionDeletes.push(key);
    const versions = this.versions.get(key);
    if (!versions) return 0;
    if (options.keepCurrent) {
      const latest = this.versionIdOf(key);
      let removed = 0;
      for (const id of [...versions.keys()]) {
        if (id !== latest) {
          versions.delete(id);
          removed++;
        }
      }
      return removed;
    }
    const removed = versions.size;
    this.objects.delete(key);
    this.versions.delete(key);
    return removed;
  }

  /** How many versions a key holds (a versioned bucket keeps them after overwrites). */
  versionCount(key: string): number {
    return this.versions.get(key)?.size ?? 0;
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

  async presignPost(input: port.PresignPostInput): Promise<port.PresignedPost> {
    return {
      url: 'http://memory-object-store.invalid/upload',
      fields: { key: input.key, 'Content-Type': input.contentType },
      expiresAt: new Date(Date.now() + input.expiresSeconds * 1000).toISOString(),
    };
  }

  async presignGet(key: string, expiresSeconds: number): Promise<port.PresignedGet> {
    const expires = Date.now() + expiresSeconds * 1000;
    const url = new URL(`http://memory-object-store.invalid/${encodeURIComponent(key)}`);
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', this.linkSignature(key, expires));
    return { url: url.href, expiresAt: new Date(expires).toISOString() };
  }

  /** Follows a presigned GET as the store would serve it: a wrong signature or an expired link is refused. */
  async followLink(href: string, now = Date.now()): Promise<port.StoredObject | undefined> {
    const url = new URL(href);
    const key = decodeURIComponent(url.pathname.slice(1));
    const expires = Number(url.searchParams.get('expires'));
    const given = Buffer.from(url.searchParams.get('signature') ?? '');
    const expected = Buffer.from(this.linkSignature(key, expires));
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new Error('signature mismatch');
    if (now > expires) throw new Error('link expired');
    return this.get(key);
  }

  private linkSignature(key: string, expires: number): string {
    return createHmac('sha256', this.linkKey).update(`${key}\n${expires}`).digest('hex');
  }
}

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Objects on disk for the local S3 server. Layout under `root`:
 *   buckets/<bucket>/<sha256(key)>.json         metadata (key, size, etag, type, user metadata, tags)
 *   buckets/<bucket>/<sha256(key)>.<uuid>.bin   body
 *   tmp/                                        uploads in progress
 * A write puts the body in a new file, then renames the metadata into place: that rename is the commit,
 * so a reader never sees a half-written object and a refused upload leaves nothing behind. An
 * in-memory index (rebuilt from the metadata files at start) answers listings.
 */
export interface ObjectMeta {
  key: string;
  size: number;
  /** Hex MD5 of the body (S3's ETag for a single-part upload, without quotes). */
  md5: string;
  contentType: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  /** Cache-Control, Content-Disposition, Content-Encoding, Expires as stored. */
  headers: Record<string, string>;
  lastModified: string;
  bodyFile: string;
}

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export class FsObjectStorage {
  private readonly buckets = new Map<string, Map<string, ObjectMeta>>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(readonly root: string) {}

  /** Serialises writes to one key (commit, tags, delete), so none of them undoes another. */
  private withLock<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${bucket}\n${key}`;
    const run = (this.locks.get(id) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    this.locks.set(id, tail);
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    });
    return run;
  }

  private bucketDir(bucket: string): string {
    return join(this.root, 'buckets', bucket);
  }

  tmpDir(): string {
    return join(this.root, 'tmp');
  }

  newTmpPath(): string {
    return join(this.tmpDir(), `${randomUUID()}.upload`);
  }

  async init(): Promise<void> {
    await mkdir(join(this.root, 'buckets'), { recursive: true });
    await rm(this.tmpDir(), { recursive: true, force: true });
    await mkdir(this.tmpDir(), { recursive: true });
    for (const entry of await readdir(join(this.root, 'buckets'), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const index = new Map<string, ObjectMeta>();
      const dir = this.bucketDir(entry.name);
      const files = await readdir(dir);
      const referenced = new Set<string>();
      for (const file of files) {
        if (!file.endsWith('.json')) continue;
        try {
          const meta = JSON.parse(await readFile(join(dir, file), 'utf8')) as ObjectMeta;
          index.set(meta.key, meta);
          referenced.add(meta.bodyFile);
        } catch {
          await rm(join(dir, file), { force: true });
        }
      }
      for (const file of files) {
        if (!file.endsWith('.json') && !referenced.has(file)) await rm(join(dir, file), { force: true });
      }
      this.buckets.set(entry.name, index);
    }
  }

  bucketExists(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  listBuckets(): string[] {
    return [...this.buckets.keys()].sort();
  }

  async createBucket(bucket: string): Promise<boolean> {
    if (this.buckets.has(bucket)) return false;
    await mkdir(this.bucketDir(bucket), { recursive: true });
    this.buckets.set(bucket, new Map());
    return true;
  }

  /** Returns false when the bucket is not empty. */
  async deleteBucket(bucket: string): Promise<boolean> {
    const index = this.buckets.get(bucket);
    if (!index) return true;
    if (index.size > 0) return false;
    this.buckets.delete(bucket);
    await rm(this.bucketDir(bucket), { recursive: true, force: true });
    return true;
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** The body of the current version; undefined if it vanished (deleted or overwritten meanwhile). */
  async readBody(bucket: string, meta: ObjectMeta): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.bucketDir(bucket), meta.bodyFile));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Stores an object whose body is already in `tmpPath` (moved, not copied). */
  async commitFromFile(
    bucket: string,
    key: string,
    tmpPath: string,
    body: { size: number; md5: string },
    attributes: Pick<ObjectMeta, 'contentType' | 'metadata' | 'tags' | 'headers'>,
  ): Promise<ObjectMeta> {
    if (!this.buckets.has(bucket)) throw new Error(`no bucket ${bucket}`);
    return this.withLock(bucket, key, async () => {
      const bodyFile = `${hashKey(key)}.${randomUUID()}.bin`;
      await rename(tmpPath, join(this.bucketDir(bucket), bodyFile));
      const meta: ObjectMeta = {
        key,
        size: body.size,
        md5: body.md5,
        ...attributes,
        lastModified: new Date().toISOString(),
        bodyFile,
      };
      await this.writeMeta(bucket, meta);
      return meta;
    });
  }

  async commitFromBuffer(
    bucket: string,
    key: string,
    body: Buffer,
    attributes: Pick<ObjectMeta, 'contentType' | 'metadata' | 'tags' | 'headers'>,
  ): Promise<ObjectMeta> {
    const tmp = this.newTmpPath();
    await writeFile(tmp, body);
    return this.commitFromFile(
      bucket,
      key,
      tmp,
      { size: body.length, md5: createHash('md5').update(body).digest('hex') },
      attributes,
    );
  }

  async setTags(bucket: string, key: string, tags: Record<string, string>): Promise<boolean> {
    return this.withLock(bucket, key, async () => {
      const meta = this.head(bucket, key);
      if (!meta) return false;
      await this.writeMeta(bucket, { ...meta, tags });
      return true;
    });
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.withLock(bucket, key, async () => {
      const index = this.buckets.get(bucket);
      const meta = index?.get(key);
      if (!index || !meta) return;
      index.delete(key);
      const dir = this.bucketDir(bucket);
      await rm(join(dir, `${hashKey(key)}.json`), { force: true });
      await rm(join(dir, meta.bodyFile), { force: true });
    });
  }

  /** Keys of a bucket in S3 order (UTF-8 byte order). */
  keys(bucket: string): ObjectMeta[] {
    const index = this.buckets.get(bucket);
    if (!index) return [];
    return [...index.values()].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  private async writeMeta(bucket: string, meta: ObjectMeta): Promise<void> {
    const index = this.buckets.get(bucket);
    if (!index) throw new Error(`no bucket ${bucket}`);
    const dir = this.bucketDir(bucket);
    const target = join(dir, `${hashKey(meta.key)}.json`);
    const tmp = join(this.tmpDir(), `${randomUUID()}.json`);
    await writeFile(tmp, JSON.stringify(meta));
    await rename(tmp, target);
    const previous = index.get(meta.key);
    index.set(meta.key, meta);
    if (previous && previous.bodyFile !== meta.bodyFile)
      await rm(join(dir, previous.bodyFile), { force: true });
  }
}

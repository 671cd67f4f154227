import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { prefixedSecretId, type SecretGetOptions, type SecretStore } from '../../shared/ports/secrets.js';

/**
 * The SecretStore port backed by one JSON file (`.local/secrets.json`): `{ "<secret id>": { ...value } }`.
 * Same caching semantics as `shared/aws/secrets-manager-store.ts`: a read is cached in memory for
 * `maxAgeSeconds` (SECRETS_CACHE_SECONDS), concurrent reads of one name share one file read, missing
 * secrets are not cached, and a `put` drops this store's cache entry for that name. Another store
 * instance (another simulated environment) sees the change when its cache period ends, or at once with
 * `get(name, { fresh: true })`, which skips the cache and refreshes it.
 *
 * The file is created (mode 0600) when first touched. Writes go to a temporary file in the same
 * directory (mode 0600, fsync) that is then renamed over the target, so a reader sees the old or the new
 * file, never a half-written one. Puts from this process are serialised; separate processes writing the
 * same file at once can still lose an update (the local runtime is one process).
 */
export interface FileSecretStoreOptions {
  path: string;
  maxAgeSeconds: number;
  /** When set, the entry name is `${prefix}/${name}`, as in SecretsManagerStore. */
  prefix?: string;
  /** Milliseconds since the epoch; tests inject their clock. */
  now?: () => number;
}

type SecretsFile = Record<string, Record<string, unknown>>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class FileSecretStore implements SecretStore {
  readonly path: string;
  private readonly maxAgeMs: number;
  private readonly prefix: string | undefined;
  private readonly now: () => number;
  private readonly cache = new Map<string, { value: Record<string, unknown>; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<Record<string, unknown> | undefined>>();
  private readonly generation = new Map<string, number>();
  private writeChain: Promise<unknown> = Promise.resolve();
  /** File reads made to answer `get` (not counting the read-modify-write of `put`). */
  fetchCount = 0;

  constructor(options: FileSecretStoreOptions) {
    if (!Number.isFinite(options.maxAgeSeconds) || options.maxAgeSeconds <= 0) {
      throw new Error('FileSecretStore needs maxAgeSeconds > 0');
    }
    this.path = options.path;
    this.maxAgeMs = options.maxAgeSeconds * 1000;
    this.prefix = options.prefix;
    this.now = options.now ?? Date.now;
  }

  secretId(name: string): string {
    return prefixedSecretId(this.prefix, name);
  }

  async get<T extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    options: SecretGetOptions = {},
  ): Promise<T | undefined> {
    const id = this.secretId(name);
    const cached = this.cache.get(id);
    if (!options.fresh && cached && cached.expiresAt > this.now()) return structuredClone(cached.value) as T;
    // `fresh` skips the cache (the read refreshes it); it may join a file read already under way
    let pending = this.inflight.get(id);
    if (!pending) {
      const fetching = this.fetch(id).finally(() => {
        if (this.inflight.get(id) === fetching) this.inflight.delete(id);
      });
      pending = fetching;
      this.inflight.set(id, fetching);
    }
    const value = await pending;
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  private async fetch(id: string): Promise<Record<string, unknown> | undefined> {
    const generation = this.generation.get(id) ?? 0;
    this.fetchCount += 1;
    const file = await this.readFileOrCreate();
    const value = file[id];
    if (value === undefined) return undefined;
    if (!isObject(value)) throw new Error(`secret ${id} is not a JSON object`);
    if ((this.generation.get(id) ?? 0) === generation) {
      this.cache.set(id, { value, expiresAt: this.now() + this.maxAgeMs });
    }
    return value;
  }

  async put(name: string, value: Record<string, unknown>): Promise<void> {
    const id = this.secretId(name);
    if (!isObject(value)) throw new Error(`secret ${id} is not a JSON object`);
    const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    await this.serialised(async () => {
      const file = (await this.readSecretsFile()) ?? {};
      file[id] = copy;
      await this.writeAtomically(file);
    });
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
    this.inflight.delete(id);
    this.cache.delete(id);
  }

  /** Runs `work` after every earlier write of this store (read-modify-write without lost updates). */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writeChain.then(work);
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  private async readSecretsFile(): Promise<SecretsFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
    if (!isObject(parsed)) throw new Error(`${this.path} must hold a JSON object`);
    return parsed as SecretsFile;
  }

  private async readFileOrCreate(): Promise<SecretsFile> {
    const file = await this.readSecretsFile();
    if (file) return file;
    return this.serialised(async () => {
      const again = await this.readSecretsFile();
      if (again) return again;
      await this.writeAtomically({});
      return {};
    });
  }

  private async writeAtomically(content: SecretsFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await chmod(tmp, 0o600);
      await rename(tmp, this.path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}

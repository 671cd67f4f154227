import {
  DeleteObjectCommand,
  type DeleteObjectCommandInput,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  ObjectAccessDeniedError,
  type ObjectStore,
  type PresignedGet,
  type PresignedPost,
  type PresignPostInput,
  type StoredObject,
} from '../ports/object-store.js';

/**
 * ObjectStore over S3 (AWS, or any S3-compatible endpoint such as `infra/local/object-store-server.ts`).
 * Build it once at module scope; the constructor does no I/O.
 */
export interface S3ObjectStoreOptions {
  bucket: string;
  /** A ready client (tests, shared clients). Wins over `clientConfig`. */
  client?: S3Client;
  /** Config for a client built here; see `s3ClientConfig()` for the hub's defaults. */
  clientConfig?: S3ClientConfig;
  /** Keys per ListObjectsV2 page (S3 maximum and default: 1000). */
  listPageSize?: number;
  /** `s3PostPresigner` (./s3-post-presigner.ts) for the functions that hand out upload forms; others omit it. */
  presigner?: PostPresigner;
}

export type PostPresigner = typeof createPresignedPost;

/**
 * The hub's S3 client settings. With `endpoint` (S3_ENDPOINT) requests go path-style to that endpoint.
 * Checksums only when an operation requires them (docs/reliability.md §8: SDK ≥ 3.729 would otherwise add
 * CRC32 to every PutObject, which S3-compatible stores and presigned flows trip over).
 */
export function s3ClientConfig(input: { region: string; endpoint?: string | undefined }): S3ClientConfig {
  return {
    region: input.region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(input.endpoint ? { endpoint: input.endpoint, forcePathStyle: true } : {}),
  };
}

/** Maps `{ AWS_REGION, S3_ENDPOINT }` (shared/config/env.ts) to a client config. */
export function s3ClientConfigFromEnv(env: {
  AWS_REGION: string;
  S3_ENDPOINT?: string | undefined;
}): S3ClientConfig {
  return s3ClientConfig({ region: env.AWS_REGION, endpoint: env.S3_ENDPOINT });
}

function s3Error(error: unknown): { name?: string; $metadata?: { httpStatusCode?: number } } {
  return typeof error === 'object' && error !== null ? error : {};
}

function isNotFound(error: unknown): boolean {
  const e = s3Error(error);
  return (
    e.name === 'NoSuchKey' ||
    e.name === 'NoSuchVersion' ||
    e.name === 'NotFound' ||
    e.$metadata?.httpStatusCode === 404
  );
}

function isAccessDenied(error: unknown): boolean {
  const e = s3Error(error);
  return e.name === 'AccessDenied' || e.$metadata?.httpStatusCode === 403;
}

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly client: S3Client;
  private readonly listPageSize: number;
  private readonly presigner: PostPresigner | undefined;

  constructor(options: S3ObjectStoreOptions) {
    if (!options.bucket) throw new Error('S3ObjectStore needs a bucket');
    this.bucket = options.bucket;
    this.client = options.client ?? new S3Client(options.clientConfig ?? {});
    this.listPageSize = options.listPageSize ?? 1000;
    this.presigner = options.presigner;
  }

  async put(
    key: string,
    body: Buffer | string,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
        ContentType: options.contentType,
        Metadata: options.metadata,
      }),
    );
  }

  /** A missing key or version is undefined; a 403 (also S3's answer for a missing key without s3:ListBucket) throws ObjectAccessDeniedError. */
  async get(key: string, options: { versionId?: string } = {}): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: options.versionId }),
      );
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return {
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        contentType: out.ContentType,
        metadata: { ...(out.Metadata ?? {}) },
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (isAccessDenied(error)) throw new ObjectAccessDeniedError(key);
      throw error;
    }
  }

  /** Deleting a missing key succeeds, as in S3. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /**
   * Every version and delete marker of exactly this key, deleted by version id (docs/reliability.md §8: on a
   * versioned bucket a plain DELETE only adds a delete marker). A store that keeps no versions (the local S3, which
   * answers 501 to `?versions`) has only the current object: a plain delete removes it.
   */
  async deleteAllVersions(key: string, options: { keepCurrent?: boolean } = {}): Promise<number> {
    const targets: DeleteObjectCommandInput[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectVersionsCommand({
            Bucket: this.bucket,
            Prefix: key,
            KeyMarker: keyMarker,
            VersionIdMarker: versionMarker,
          }),
        );
        for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
          if (v.Key !== key || (options.keepCurrent && v.IsLatest)) continue;
          targets.push({ Bucket: this.bucket, Key: key, VersionId: v.VersionId });
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);
    } catch (error) {
      if (s3Error(error).$metadata?.httpStatusCode !== 501) throw error;
      if (options.keepCurrent) return 0;
      // (reading first to count would need a read grant the erasure does not hold)
      await this.delete(key);
      return 1;
    }
    for (const target of targets) await this.client.send(new DeleteObjectCommand(target));
    return targets.length;
  }

  /** Every key under `prefix`, following continuation tokens to the end. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: this.listPageSize },
      { Bucket: this.bucket, Prefix: prefix },
    );
    for await (const page of pages) {
      for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
    }
    return keys;
  }

  /** Tags of an existing object; a missing object is an error (S3 `NoSuchKey`), not an empty set. */
  async getTags(key: string): Promise<Record<string, string>> {
    const out = await this.client.send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key }));
    const tags: Record<string, string> = {};
    for (const tag of out.TagSet ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    return tags;
  }

  /** Replaces the whole tag set, as PutObjectTagging does. */
  async putTags(key: string, tags: Record<string, string>): Promise<void> {
    await this.client.send(
      new PutObjectTaggingCommand({
        Bucket: this.bucket,
        Key: key,
        Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  }

  /**
   * Presigned POST for exactly one key and one content type, 1..maxBytes bytes (docs/reliability.md §8).
   * Conditions: bucket and exact key (added by the SDK), `eq $Content-Type`, `content-length-range`,
   * and the SigV4 fields. `expiresAt` is read back from the signed policy, so it is the instant S3 enforces.
   */
  async presignPost(input: PresignPostInput): Promise<PresignedPost> {
    const { key, contentType, maxBytes, expiresSeconds } = input;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} form variable
    if (!key || key.includes('${filename}')) throw new Error('presignPost needs one literal key');
    if (!contentType) throw new Error('presignPost needs a content type');
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
      throw new Error('presignPost maxBytes must be an integer ≥ 1');
    if (!Number.isSafeInteger(expiresSeconds) || expiresSeconds < 1) {
      throw new Error('presignPost expiresSeconds must be an integer ≥ 1');
    }
    if (!this.presigner) throw new Error('this object store was built without a POST presigner');
    const { url, fields } = await this.presigner(this.client, {
      Bucket: this.bucket,
      Key: key,
      Fields: { 'Content-Type': contentType },
      Conditions: [
        ['eq', '$Content-Type', contentType],
        ['content-length-range', 1, maxBytes],
      ],
      Expires: expiresSeconds,
    });
    return { url, fields, expiresAt: policyExpiration(fields) };
  }

  /**
   * Presigned GetObject (query-string SigV4). The request is built by the client's own middleware stack, so the
   * endpoint (virtual-hosted in AWS, path-style with S3_ENDPOINT) is exactly the one the SDK would call; the stack
   * stops where it would sign and send. (What `@aws-sdk/s3-request-presigner` does; that package is not installed.)
   */
  async presignGet(key: string, expiresSeconds: number): Promise<PresignedGet> {
    if (!key) throw new Error('presignGet needs a key');
    if (!Number.isSafeInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_SECONDS) {
      throw new Error(`presignGet expiresSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}`);
    }
    const signingDate = new Date();
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresSeconds,
      signingDate,
    });
    return { url, expiresAt: new Date(signingDate.getTime() + expiresSeconds * 1000).toISOString() };
  }
}

/** S3 refuses a SigV4 presigned URL valid for more than seven days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

function policyExpiration(fields: Record<string, string>): string {
  const policy = fields.Policy ?? fields.policy;
  if (!policy) throw new Error('presigned POST came back without a policy');
  const doc = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { expiration?: unknown };
  if (typeof doc.expiration !== 'string') throw new Error('presigned POST policy has no expiration');
  return new Date(doc.expiration).toISOString();
}

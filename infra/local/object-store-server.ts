/**
 * A local S3-compatible object store: node:http on 127.0.0.1, objects persisted under a directory
 * (`.local/objects/`), path-style URLs `/{bucket}/{key}`. It serves what the hub's S3 adapter
 * (`shared/aws/s3-object-store.ts`, AWS SDK v3) and browsers need:
 *   PutObject, GetObject (single byte range too), HeadObject, DeleteObject, ListObjectsV2 (prefix,
 *   delimiter, max-keys, continuation, start-after), Put/Get/DeleteObjectTagging, CreateBucket,
 *   HeadBucket, DeleteBucket, ListBuckets, with S3's XML bodies and error XML (`NoSuchKey` 404, ...);
 *   and browser POST uploads (multipart/form-data) that enforce the presigned POST policy exactly as S3
 *   does (`s3/post-policy.ts`): SigV4 signature over the policy with the configured credentials,
 *   expiration, every condition (bucket, key, Content-Type, content-length-range, x-amz-*), every field
 *   covered by a condition, and S3's status codes and error XML when one fails. Nothing is stored when
 *   an upload is refused. A successful upload stores the Content-Type of the form and answers 204 (or
 *   `success_action_status` 200/201, or a 303 to `success_action_redirect`).
 *
 * Why not s3rver: its 3.7.1 source accepts browser POST uploads without enforcing the POST policy
 * conditions (no content-length-range, key or Content-Type checks; SigV4 signatures are marked
 * "unimplemented" and never verified), so it would let exactly the uploads through that
 * docs/reliability.md §8 and R19 must see refused. LocalStack's POST path does not verify signatures or the
 * coverage rule either. Hence this small server.
 *
 * The parts, in `s3/`: `router.ts` (routing and errors), `auth.ts` (REST access keys), `buckets.ts`,
 * `list-objects.ts`, `objects.ts` (object operations), `post-object.ts` and `post-upload.ts` (browser
 * POST uploads) with `post-policy.ts` and `multipart.ts` (the form parser), `storage.ts` (files on disk),
 * `checksums.ts`, `object-attributes.ts`, `http.ts` and `xml.ts`. Not implemented (501): multipart
 * uploads, copy, versioning, ACLs, ListObjects v1 and other subresources.
 *
 * `onObjectCreated(key, info)` is called after every stored object (PUT or POST), after the answer has
 * been sent, so the local runtime can simulate the GuardDuty malware scan by tagging the object.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectCreatedInfo, StoreContext } from './s3/context.js';
import type { CorsPolicy } from './s3/http.js';
import { objectStoreHandler } from './s3/router.js';
import { BUCKET_NAME, FsObjectStorage } from './s3/storage.js';

export type { ObjectCreatedInfo } from './s3/context.js';

/** An access key the store accepts. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface LocalObjectStoreServerOptions {
  /** Persistence directory, e.g. `.local/objects`. */
  dir: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The region POST policies must be signed for (AWS_REGION). */
  region: string;
  /** Accepted credentials; POST policy signatures are verified with their secrets. */
  credentials: S3Credentials | S3Credentials[];
  /** Buckets created at start when missing (e.g. BUCKET_NAME). */
  buckets?: string[];
  onObjectCreated?: (key: string, info: ObjectCreatedInfo) => void | Promise<void>;
  /** Milliseconds since the epoch, for policy and presigned URL expiry; tests move it. */
  now?: () => number;
  /** CORS for browser uploads: '*' (default) or a list of allowed origins; false to send no CORS headers. */
  cors?: CorsPolicy;
  /** Largest object (S3: 5 GiB for PUT and POST). */
  maxObjectBytes?: number;
  /** Largest PUT body held in memory (default 64 MiB). */
  maxPutBytes?: number;
  /** Errors of onObjectCreated; defaults to console.error. */
  onError?: (error: unknown) => void;
}

export interface LocalObjectStoreServer {
  /** `http://127.0.0.1:<port>`: use as S3_ENDPOINT (path-style). */
  readonly url: string;
  readonly port: number;
  getTags(bucket: string, key: string): Record<string, string> | undefined;
  putTags(bucket: string, key: string, tags: Record<string, string>): Promise<boolean>;
  /** Waits for onObjectCreated callbacks under way. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs onObjectCreated after the current answer, keeping track of the calls under way. */
function createdNotifier(options: LocalObjectStoreServerOptions) {
  const pending = new Set<Promise<void>>();
  const onError =
    options.onError ?? ((error: unknown) => console.error('object store: onObjectCreated failed', error));
  const notify = (key: string, info: ObjectCreatedInfo) => {
    const hook = options.onObjectCreated;
    if (!hook) return;
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => hook(key, info))
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      );
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };
  return { notify, pending };
}

export async function startObjectStoreServer(
  options: LocalObjectStoreServerOptions,
): Promise<LocalObjectStoreServer> {
  const storage = new FsObjectStorage(options.dir);
  await storage.init();
  for (const bucket of options.buckets ?? []) {
    if (!BUCKET_NAME.test(bucket)) throw new Error(`invalid bucket name ${bucket}`);
    await storage.createBucket(bucket);
  }
  const credentials = Array.isArray(options.credentials) ? options.credentials : [options.credentials];
  const created = createdNotifier(options);
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';
  const ctx: StoreContext = {
    storage,
    region: options.region,
    secretOf: (accessKeyId) => credentials.find((c) => c.accessKeyId === accessKeyId)?.secretAccessKey,
    now: options.now ?? Date.now,
    maxObjectBytes: options.maxObjectBytes ?? 5 * 1024 ** 3,
    maxPutBytes: options.maxPutBytes ?? 64 * 1024 * 1024,
    baseUrl: () => baseUrl,
    notifyCreated: created.notify,
  };
  const handle = objectStoreHandler(ctx, options.cors ?? '*');
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: baseUrl,
    port,
    getTags: (bucket, key) => {
      const meta = storage.head(bucket, key);
      return meta ? { ...meta.tags } : undefined;
    },
    putTags: (bucket, key, tags) => storage.setTags(bucket, key, { ...tags }),
    idle: async () => {
      while (created.pending.size > 0) await Promise.allSettled([...created.pending]);
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...created.pending]);
    },
  };
}

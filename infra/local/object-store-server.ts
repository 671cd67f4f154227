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
 * reliability.md §8 and R19 must see refused. LocalStack's POST path does not verify signatures or the
 * coverage rule either. Hence this small server.
 *
 * REST calls are authorised by access key only: a SigV4 Authorization header or presigned query must
 * name a configured access key (and a presigned URL must not have expired); the request signature
 * itself is not recomputed. Anonymous REST calls are refused (private buckets). Not implemented
 * (501): multipart uploads, copy, versioning, ACLs, ListObjects v1 and other subresources.
 *
 * `onObjectCreated(key, info)` is called after every stored object (PUT or POST), after the answer has
 * been sent, so the local runtime can simulate the GuardDuty malware scan by tagging the object.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import {
  accessDenied,
  invalidArgument,
  malformedPost,
  malformedXml,
  noSuchBucket,
  noSuchKey,
  S3Error,
} from './s3/errors.js';
import { MultipartError, MultipartParser, multipartBoundary, type PartHeaders } from './s3/multipart.js';
import {
  type CheckedPolicy,
  checkPolicy,
  checkSize,
  type FormField,
  FormFields,
  verifySignature,
} from './s3/post-policy.js';
import { BUCKET_NAME, FsObjectStorage, type ObjectMeta } from './s3/storage.js';
import { parseTagging, xmlDocument } from './s3/xml.js';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ObjectCreatedInfo {
  bucket: string;
  size: number;
  contentType: string;
  source: 'put' | 'post';
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
  credentials: LocalCredentials | LocalCredentials[];
  /** Buckets created at start when missing (e.g. BUCKET_NAME). */
  buckets?: string[];
  onObjectCreated?: (key: string, info: ObjectCreatedInfo) => void | Promise<void>;
  /** Milliseconds since the epoch, for policy and presigned URL expiry; tests move it. */
  now?: () => number;
  /** CORS for browser uploads: '*' (default) or a list of allowed origins; false to send no CORS headers. */
  cors?: '*' | string[] | false;
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
  readonly storage: FsObjectStorage;
  getTags(bucket: string, key: string): Record<string, string> | undefined;
  putTags(bucket: string, key: string, tags: Record<string, string>): Promise<boolean>;
  /** Waits for onObjectCreated callbacks under way. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_PRE_DATA_BYTES = 20 * 1024;
const MAX_KEY_BYTES = 1024;
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'expires'] as const;
const UNSUPPORTED_SUBRESOURCES = [
  'acl',
  'uploads',
  'uploadId',
  'partNumber',
  'versionId',
  'versions',
  'versioning',
  'retention',
  'legal-hold',
  'attributes',
  'torrent',
  'restore',
  'select',
  'delete',
  'cors',
  'policy',
  'lifecycle',
  'website',
  'notification',
  'encryption',
  'replication',
  'logging',
  'ownershipControls',
  'publicAccessBlock',
  'accelerate',
  'requestPayment',
  'object-lock',
  'inventory',
  'metrics',
  'analytics',
  'intelligent-tiering',
];

const notImplemented = () =>
  new S3Error(
    501,
    'NotImplemented',
    'A header or query you provided implies functionality that is not implemented.',
  );

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** Header-safe value: non-ASCII is sent RFC 2047 encoded, as S3 does for user metadata. */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function basename(filename: string): string {
  const i = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
  return i >= 0 ? filename.slice(i + 1) : filename;
}

function encodeKeyForUrl(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function tagsFromQueryString(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(value)) tags[k] = v;
  return tags;
}

function validateTags(tags: { key: string; value: string }[]): Record<string, string> {
  if (tags.length > 10) throw new S3Error(400, 'BadRequest', 'Object tags cannot be greater than 10');
  const out: Record<string, string> = {};
  for (const { key, value } of tags) {
    if (key.length < 1 || key.length > 128)
      throw new S3Error(400, 'InvalidTag', 'The TagKey you have provided is invalid');
    if (value.length > 256)
      throw new S3Error(400, 'InvalidTag', 'The TagValue you have provided is too long, max 256');
    if (key in out) throw new S3Error(400, 'InvalidTag', 'Cannot provide multiple Tags with the same key');
    out[key] = value;
  }
  return out;
}

/** Decodes an `aws-chunked` body (`<hex-size>[;ext]\r\n<data>\r\n ... 0\r\n<trailers>\r\n\r\n`). */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');
    const sizeText = body.subarray(offset, lineEnd).toString('latin1').split(';')[0]!.trim();
    const size = Number.parseInt(sizeText, 16);
    if (!Number.isFinite(size) || size < 0) throw new S3Error(400, 'IncompleteBody', 'Invalid chunk size');
    offset = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    if (offset + size > body.length)
      throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');
    parts.push(body.subarray(offset, offset + size));
    offset += size + 2;
  }
}

interface Digests {
  md5: ReturnType<typeof createHash>;
  sha256?: ReturnType<typeof createHash>;
  sha1?: ReturnType<typeof createHash>;
  crc?: number;
}

/** Verifies Content-MD5 and x-amz-checksum-{sha256,sha1,crc32} against the body's digests. */
function verifyChecksums(get: (name: string) => string | undefined, digests: Digests, md5Hex: string): void {
  const contentMd5 = get('content-md5');
  if (contentMd5 !== undefined && Buffer.from(md5Hex, 'hex').toString('base64') !== contentMd5) {
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const checks: [string, string | undefined][] = [
    ['sha256', digests.sha256?.digest('base64')],
    ['sha1', digests.sha1?.digest('base64')],
    [
      'crc32',
      digests.crc === undefined
        ? undefined
        : (() => {
            const b = Buffer.alloc(4);
            b.writeUInt32BE(digests.crc >>> 0);
            return b.toString('base64');
          })(),
    ],
  ];
  for (const [algorithm, actual] of checks) {
    const expected = get(`x-amz-checksum-${algorithm}`);
    if (expected !== undefined && actual !== undefined && expected !== actual) {
      throw new S3Error(
        400,
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
  }
}

function newDigests(get: (name: string) => string | undefined): Digests {
  return {
    md5: createHash('md5'),
    ...(get('x-amz-checksum-sha256') !== undefined ? { sha256: createHash('sha256') } : {}),
    ...(get('x-amz-checksum-sha1') !== undefined ? { sha1: createHash('sha1') } : {}),
    ...(get('x-amz-checksum-crc32') !== undefined ? { crc: 0 } : {}),
  };
}

function updateDigests(d: Digests, data: Buffer): void {
  d.md5.update(data);
  d.sha256?.update(data);
  d.sha1?.update(data);
  if (d.crc !== undefined) d.crc = crc32(data, d.crc);
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
  const secretOf = (accessKeyId: string) =>
    credentials.find((c) => c.accessKeyId === accessKeyId)?.secretAccessKey;
  const now = options.now ?? Date.now;
  const maxObjectBytes = options.maxObjectBytes ?? 5 * 1024 ** 3;
  const maxPutBytes = options.maxPutBytes ?? 64 * 1024 * 1024;
  const cors = options.cors ?? '*';
  const onError =
    options.onError ?? ((error: unknown) => console.error('object store: onObjectCreated failed', error));
  const pending = new Set<Promise<void>>();
  let baseUrl = '';

  const notifyCreated = (key: string, info: ObjectCreatedInfo) => {
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

  // ------------------------------------------------------------------ helpers per request

  const applyCors = (req: IncomingMessage, res: ServerResponse) => {
    if (cors === false) return;
    const origin = req.headers.origin;
    if (cors === '*') res.setHeader('Access-Control-Allow-Origin', '*');
    else if (origin && cors.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Location, x-amz-request-id, x-amz-version-id');
  };

  const sendXml = (res: ServerResponse, status: number, body: string) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/xml');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  };

  const sendError = (req: IncomingMessage, res: ServerResponse, error: S3Error, requestId: string) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (req.method === 'HEAD') {
      res.statusCode = error.status;
      res.end();
      return;
    }
    sendXml(res, error.status, error.toXml(requestId));
  };

  const readBody = async (req: IncomingMessage, limit: number): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limit) {
        throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          MaxSizeAllowed: limit,
        });
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks);
  };

  /** Reads the rest of a request without keeping it (so the client gets to read our answer). */
  const drain = (req: IncomingMessage): Promise<void> =>
    new Promise((resolve) => {
      if (req.readableEnded) {
        resolve();
        return;
      }
      req.on('data', () => undefined);
      req.on('end', () => resolve());
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.resume();
    });

  /** REST calls: a configured access key in the Authorization header or in a presigned query. */
  const authorizeRest = (req: IncomingMessage, query: URLSearchParams) => {
    const authorization = req.headers.authorization;
    let accessKeyId: string | undefined;
    if (authorization) {
      const match = /Credential=([^/,\s]+)\//.exec(authorization);
      if (!authorization.startsWith('AWS4-HMAC-SHA256') || !match) {
        throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
      }
      accessKeyId = match[1];
    } else if (query.has('X-Amz-Credential')) {
      accessKeyId = query.get('X-Amz-Credential')!.split('/')[0];
      const date = query.get('X-Amz-Date') ?? '';
      const expires = Number(query.get('X-Amz-Expires') ?? '0');
      const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
      if (!m)
        throw new S3Error(
          400,
          'AuthorizationQueryParametersError',
          'X-Amz-Date must be in the ISO8601 Long Format',
        );
      const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
      if (now() > signedAt + expires * 1000) throw accessDenied('Request has expired');
    } else {
      throw accessDenied();
    }
    if (!accessKeyId || secretOf(accessKeyId) === undefined) {
      throw new S3Error(
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        {
          AWSAccessKeyId: accessKeyId ?? '',
        },
      );
    }
  };

  const objectHeaders = (res: ServerResponse, meta: ObjectMeta) => {
    res.setHeader('ETag', `"${meta.md5}"`);
    res.setHeader('Last-Modified', httpDate(meta.lastModified));
    res.setHeader('Content-Type', meta.contentType);
    res.setHeader('Accept-Ranges', 'bytes');
    for (const [name, value] of Object.entries(meta.headers)) res.setHeader(name, headerValue(value));
    for (const [name, value] of Object.entries(meta.metadata))
      res.setHeader(`x-amz-meta-${name}`, headerValue(value));
    const tagCount = Object.keys(meta.tags).length;
    if (tagCount > 0) res.setHeader('x-amz-tagging-count', String(tagCount));
  };

  // ------------------------------------------------------------------ operations

  const listObjectsV2 = (res: ServerResponse, bucket: string, query: URLSearchParams) => {
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const maxKeysRaw = query.get('max-keys');
    const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) {
      throw invalidArgument(
        'Provided max-keys not an integer or within integer range',
        'max-keys',
        maxKeysRaw ?? '',
      );
    }
    const limit = Math.min(maxKeys, 1000);
    const token = query.get('continuation-token');
    const startAfter = query.get('start-after');
    let after: string | undefined = startAfter ?? undefined;
    if (token !== null) {
      try {
        after = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k: string }).k;
      } catch {
        throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
      }
    }
    const encode = query.get('encoding-type') === 'url';
    const enc = (s: string) => (encode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
    const afterBytes = after === undefined ? undefined : Buffer.from(after);
    const candidates = storage
      .keys(bucket)
      .filter(
        (m) =>
          m.key.startsWith(prefix) && (!afterBytes || Buffer.compare(Buffer.from(m.key), afterBytes) > 0),
      );
    const contents: Record<string, unknown>[] = [];
    const commonPrefixes: string[] = [];
    let count = 0;
    let lastKey: string | undefined;
    let i = 0;
    while (i < candidates.length && count < limit) {
      const meta = candidates[i]!;
      const rest = meta.key.slice(prefix.length);
      const d = delimiter ? rest.indexOf(delimiter) : -1;
      if (d >= 0) {
        const common = prefix + rest.slice(0, d + delimiter.length);
        commonPrefixes.push(common);
        while (i < candidates.length && candidates[i]!.key.startsWith(common)) {
          lastKey = candidates[i]!.key;
          i += 1;
        }
      } else {
        contents.push({
          Key: enc(meta.key),
          LastModified: meta.lastModified,
          ETag: `"${meta.md5}"`,
          Size: meta.size,
          StorageClass: 'STANDARD',
        });
        lastKey = meta.key;
        i += 1;
      }
      count += 1;
    }
    const truncated = i < candidates.length;
    const body: Record<string, unknown> = {
      Name: bucket,
      Prefix: enc(prefix),
      ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
      MaxKeys: maxKeys,
      KeyCount: count,
      IsTruncated: truncated,
      ...(token !== null ? { ContinuationToken: token } : {}),
      ...(truncated && lastKey !== undefined
        ? { NextContinuationToken: Buffer.from(JSON.stringify({ k: lastKey })).toString('base64url') }
        : {}),
      ...(startAfter !== null ? { StartAfter: enc(startAfter) } : {}),
      ...(encode ? { EncodingType: 'url' } : {}),
      ...(contents.length > 0 ? { Contents: contents } : {}),
      ...(commonPrefixes.length > 0
        ? { CommonPrefixes: commonPrefixes.map((p) => ({ Prefix: enc(p) })) }
        : {}),
    };
    sendXml(res, 200, xmlDocument('ListBucketResult', body));
  };

  const putObject = async (req: IncomingMessage, res: ServerResponse, bucket: string, key: string) => {
    if (req.headers['x-amz-copy-source'] !== undefined) throw notImplemented();
    let body = await readBody(req, maxPutBytes);
    const encoding = String(req.headers['content-encoding'] ?? '');
    const sha = String(req.headers['x-amz-content-sha256'] ?? '');
    if (encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-')) {
      body = decodeAwsChunked(body);
      const declared = req.headers['x-amz-decoded-content-length'];
      if (declared !== undefined && Number(declared) !== body.length) {
        throw new S3Error(
          400,
          'IncompleteBody',
          'You did not provide the number of bytes specified by the header',
        );
      }
    }
    if (body.length > maxObjectBytes) {
      throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
        ProposedSize: body.length,
        MaxSizeAllowed: maxObjectBytes,
      });
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const digests = newDigests(header);
    updateDigests(digests, body);
    const md5 = digests.md5.digest('hex');
    verifyChecksums(header, digests, md5);
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith('x-amz-meta-') && value !== undefined) {
        metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
      }
    }
    const headers: Record<string, string> = {};
    for (const name of STORED_HEADERS) {
      const value = header(name);
      if (value !== undefined && !(name === 'content-encoding' && value.includes('aws-chunked')))
        headers[name] = value;
    }
    const taggingHeader = header('x-amz-tagging');
    const tags = taggingHeader
      ? validateTags(
          Object.entries(tagsFromQueryString(taggingHeader)).map(([k, v]) => ({ key: k, value: v })),
        )
      : {};
    const meta = await storage.commitFromBuffer(bucket, key, body, {
      contentType: header('content-type') ?? 'binary/octet-stream',
      metadata,
      tags,
      headers,
    });
    res.statusCode = 200;
    res.setHeader('ETag', `"${meta.md5}"`);
    for (const algorithm of ['sha256', 'sha1', 'crc32']) {
      const v = header(`x-amz-checksum-${algorithm}`);
      if (v !== undefined) res.setHeader(`x-amz-checksum-${algorithm}`, v);
    }
    res.setHeader('Content-Length', 0);
    res.end();
    notifyCreated(key, { bucket, size: meta.size, contentType: meta.contentType, source: 'put' });
  };

  const getObject = async (req: IncomingMessage, res: ServerResponse, bucket: string, key: string) => {
    const meta = storage.head(bucket, key);
    if (!meta) throw noSuchKey(key);
    objectHeaders(res, meta);
    const range = req.headers.range;
    let start = 0;
    let end = meta.size - 1;
    let partial = false;
    if (range && meta.size > 0) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (m && (m[1] !== '' || m[2] !== '')) {
        if (m[1] === '') start = Math.max(0, meta.size - Number(m[2]));
        else {
          start = Number(m[1]);
          if (m[2] !== '') end = Math.min(end, Number(m[2]));
        }
        if (start >= meta.size || start > end) {
          throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
            RangeRequested: range,
            ActualObjectSize: meta.size,
          });
        }
        partial = true;
      }
    }
    if (req.method === 'HEAD') {
      res.statusCode = 200;
      res.setHeader('Content-Length', meta.size);
      res.end();
      return;
    }
    const body = await storage.readBody(bucket, meta);
    if (!body) throw noSuchKey(key);
    const slice = partial ? body.subarray(start, end + 1) : body;
    res.statusCode = partial ? 206 : 200;
    if (partial) res.setHeader('Content-Range', `bytes ${start}-${end}/${meta.size}`);
    res.setHeader('Content-Length', slice.length);
    res.end(slice);
  };

  // ------------------------------------------------------------------ POST upload

  const postObject = async (req: IncomingMessage, res: ServerResponse, bucket: string, requestId: string) => {
    const contentType = req.headers['content-type'];
    const { multipart, boundary } = multipartBoundary(contentType);
    if (!multipart) {
      await drain(req);
      throw new S3Error(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        {
          Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
        },
      );
    }
    if (!boundary) {
      await drain(req);
      throw malformedPost();
    }
    if (!storage.bucketExists(bucket)) {
      await drain(req);
      throw noSuchBucket(bucket);
    }

    const fields: FormField[] = [];
    let preDataBytes = 0;
    let failure: S3Error | undefined;
    let current:
      | { kind: 'field'; name: string; chunks: Buffer[] }
      | { kind: 'file' }
      | { kind: 'ignore' }
      | undefined;
    let fileSeen = false;
    let fileDone = false;
    let size = 0;
    let tooLarge = false;
    let tmpPath: string | undefined;
    let stream: WriteStream | undefined;
    let accepted: { key: string; policy: CheckedPolicy; form: FormFields; digests: Digests } | undefined;
    let waitingForDrain = false;
    let requestBytes = 0;

    const fail = (error: S3Error) => {
      failure ??= error;
    };

    const startFile = (part: PartHeaders) => {
      fileSeen = true;
      const form = new FormFields(fields);
      try {
        const rawKey = form.get('key');
        if (rawKey === undefined) {
          throw invalidArgument(
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
            'key',
          );
        }
        // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} form variable
        const variable = '${filename}';
        const key =
          part.filename !== undefined ? rawKey.split(variable).join(basename(part.filename)) : rawKey;
        if (key.length === 0) throw invalidArgument('User key must have a length greater than 0.', 'key');
        if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
          throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', {
            Size: Buffer.byteLength(key),
            MaxSizeAllowed: 1024,
          });
        }
        const policyText = verifySignature(form, { credentials: secretOf, region: options.region });
        const policy = checkPolicy(policyText, form, { bucket, key, now: now() });
        const tagging = form.get('tagging');
        if (tagging !== undefined && parseTagging(tagging) === undefined) throw malformedXml();
        accepted = { key, policy, form, digests: newDigests((n) => form.get(n)) };
        tmpPath = storage.newTmpPath();
        stream = createWriteStream(tmpPath, { flags: 'wx' });
        stream.on('error', (error) =>
          fail(new S3Error(500, 'InternalError', `cannot store the upload: ${error.message}`)),
        );
      } catch (error) {
        if (error instanceof S3Error) fail(error);
        else throw error;
      }
    };

    const parser = new MultipartParser(boundary, {
      onPartStart(part) {
        if (failure || fileDone) {
          current = { kind: 'ignore' };
          return;
        }
        if (part.disposition !== 'form-data' || part.name === undefined) {
          fail(malformedPost());
          current = { kind: 'ignore' };
          return;
        }
        if (part.name.toLowerCase() === 'file') {
          current = { kind: 'file' };
          startFile(part);
          return;
        }
        preDataBytes += boundary.length + 64 + Buffer.byteLength(part.name);
        current = { kind: 'field', name: part.name, chunks: [] };
      },
      onPartData(data) {
        if (!current || current.kind === 'ignore') return;
        if (current.kind === 'field') {
          preDataBytes += data.length;
          if (preDataBytes > MAX_PRE_DATA_BYTES) {
            fail(
              new S3Error(
                400,
                'MaxPostPreDataLengthExceeded',
                'Your POST request fields preceeding the upload file was too large.',
                {
                  MaxPostPreDataLengthBytes: MAX_PRE_DATA_BYTES,
                },
              ),
            );
            current = { kind: 'ignore' };
            return;
          }
          current.chunks.push(data);
          return;
        }
        size += data.length;
        if (!accepted || failure) return;
        updateDigests(accepted.digests, data);
        if (size > Math.min(accepted.policy.maxSize, maxObjectBytes)) {
          // Keep counting (S3 reports the proposed size) but store nothing more.
          tooLarge = true;
          return;
        }
        if (stream && !stream.write(data) && !waitingForDrain) {
          waitingForDrain = true;
          req.pause();
          stream.once('drain', () => {
            waitingForDrain = false;
            req.resume();
          });
        }
      },
      onPartEnd() {
        if (current?.kind === 'field') {
          fields.push({ name: current.name, value: Buffer.concat(current.chunks).toString('utf8') });
        } else if (current?.kind === 'file') {
          fileDone = true;
        }
        current = undefined;
      },
    });

    await new Promise<void>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        requestBytes += chunk.length;
        if (requestBytes > maxObjectBytes + 1024 * 1024) {
          fail(new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
          req.destroy();
          resolve();
          return;
        }
        if (failure && !fileSeen) return;
        try {
          parser.write(chunk);
        } catch (error) {
          if (error instanceof MultipartError) fail(malformedPost());
          else fail(new S3Error(500, 'InternalError', String(error)));
        }
      });
      req.on('end', () => {
        if (!failure) {
          try {
            parser.end();
          } catch {
            fail(malformedPost());
          }
        }
        resolve();
      });
      req.on('error', () => {
        fail(new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly'));
        resolve();
      });
    });

    const discard = async () => {
      if (stream) {
        stream.destroy();
        await finished(stream).catch(() => undefined);
      }
      if (tmpPath) await rm(tmpPath, { force: true });
    };

    try {
      if (!failure && !fileSeen) {
        fail(invalidArgument('POST requires exactly one file upload per request.', 'file', '0'));
      }
      if (failure) throw failure;
      const upload = accepted!;
      checkSize(upload.policy, size);
      if (tooLarge) checkSize({ ...upload.policy, maxSize: maxObjectBytes }, size);
      stream!.end();
      await finished(stream!);
      if (failure) throw failure;
      const md5 = upload.digests.md5.digest('hex');
      verifyChecksums((n) => upload.form.get(n), upload.digests, md5);
      const metadata: Record<string, string> = {};
      const headers: Record<string, string> = {};
      for (const { name, value } of upload.form.entries()) {
        const lower = name.toLowerCase();
        if (lower.startsWith('x-amz-meta-')) metadata[lower.slice('x-amz-meta-'.length)] = value;
        if ((STORED_HEADERS as readonly string[]).includes(lower)) headers[lower] = value;
      }
      const tagging = upload.form.get('tagging');
      const tags = tagging ? validateTags(parseTagging(tagging) ?? []) : {};
      const meta = await storage.commitFromFile(
        bucket,
        upload.key,
        tmpPath!,
        { size, md5 },
        {
          contentType: upload.form.get('content-type') ?? 'binary/octet-stream',
          metadata,
          tags,
          headers,
        },
      );
      tmpPath = undefined;
      const location = `${baseUrl}/${bucket}/${encodeKeyForUrl(upload.key)}`;
      const etag = `"${meta.md5}"`;
      const redirect = upload.form.get('success_action_redirect') ?? upload.form.get('redirect');
      const status = upload.form.get('success_action_status');
      res.setHeader('ETag', etag);
      res.setHeader('Location', location);
      if (redirect && /^https?:\/\//i.test(redirect)) {
        const params = new URLSearchParams({ bucket, key: upload.key, etag });
        res.statusCode = 303;
        res.setHeader('Location', `${redirect}${redirect.includes('?') ? '&' : '?'}${params.toString()}`);
        res.end();
      } else if (status === '201') {
        sendXml(
          res,
          201,
          xmlDocument(
            'PostResponse',
            { Location: location, Bucket: bucket, Key: upload.key, ETag: etag },
            false,
          ),
        );
      } else {
        res.statusCode = status === '200' ? 200 : 204;
        res.end();
      }
      notifyCreated(upload.key, { bucket, size, contentType: meta.contentType, source: 'post' });
    } catch (error) {
      await discard();
      if (error instanceof S3Error) sendError(req, res, error, requestId);
      else throw error;
    }
  };

  // ------------------------------------------------------------------ routing

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    applyCors(req, res);
    try {
      if (req.method === 'OPTIONS') {
        res.statusCode = 200;
        res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, HEAD');
        const requested = req.headers['access-control-request-headers'];
        if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
        res.setHeader('Access-Control-Max-Age', '3000');
        res.end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const query = url.searchParams;
      const path = url.pathname;
      const slash = path.indexOf('/', 1);
      const bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
      let key: string | undefined;
      if (slash >= 0 && slash < path.length - 1) {
        try {
          key = decodeURIComponent(path.slice(slash + 1));
        } catch {
          throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
        }
      }
      const method = req.method ?? 'GET';

      if (!bucket) {
        authorizeRest(req, query);
        if (method !== 'GET')
          throw new S3Error(
            405,
            'MethodNotAllowed',
            'The specified method is not allowed against this resource.',
          );
        const buckets = storage
          .listBuckets()
          .map((name) => ({ Name: name, CreationDate: new Date(0).toISOString() }));
        sendXml(
          res,
          200,
          xmlDocument('ListAllMyBucketsResult', {
            Owner: { ID: 'local', DisplayName: 'local' },
            Buckets: buckets.length > 0 ? { Bucket: buckets } : '',
          }),
        );
        return;
      }

      if (method === 'POST' && key === undefined && [...query.keys()].length === 0) {
        await postObject(req, res, bucket, requestId);
        return;
      }

      authorizeRest(req, query);
      if (UNSUPPORTED_SUBRESOURCES.some((name) => query.has(name))) throw notImplemented();

      if (key === undefined) {
        switch (method) {
          case 'PUT': {
            await drain(req);
            if (!BUCKET_NAME.test(bucket)) {
              throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
                BucketName: bucket,
              });
            }
            if (!(await storage.createBucket(bucket))) {
              throw new S3Error(
                409,
                'BucketAlreadyOwnedByYou',
                'Your previous request to create the named bucket succeeded and you already own it.',
                { BucketName: bucket },
              );
            }
            res.statusCode = 200;
            res.setHeader('Location', `/${bucket}`);
            res.end();
            return;
          }
          case 'HEAD':
            if (!storage.bucketExists(bucket)) throw noSuchBucket(bucket);
            res.statusCode = 200;
            res.setHeader('x-amz-bucket-region', options.region);
            res.end();
            return;
          case 'GET':
            if (!storage.bucketExists(bucket)) throw noSuchBucket(bucket);
            if (query.get('list-type') !== '2') throw notImplemented();
            listObjectsV2(res, bucket, query);
            return;
          case 'DELETE':
            if (!storage.bucketExists(bucket)) throw noSuchBucket(bucket);
            if (!(await storage.deleteBucket(bucket))) {
              throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
                BucketName: bucket,
              });
            }
            res.statusCode = 204;
            res.end();
            return;
          default:
            throw new S3Error(
              405,
              'MethodNotAllowed',
              'The specified method is not allowed against this resource.',
            );
        }
      }

      if (!storage.bucketExists(bucket)) {
        await drain(req);
        throw noSuchBucket(bucket);
      }
      const tagging = query.has('tagging');
      switch (method) {
        case 'PUT':
          if (tagging) {
            const body = (await readBody(req, 64 * 1024)).toString('utf8');
            const parsed = parseTagging(body);
            if (!parsed) throw malformedXml();
            const tags = validateTags(parsed);
            if (!(await storage.setTags(bucket, key, tags))) throw noSuchKey(key);
            res.statusCode = 200;
            res.end();
          } else {
            await putObject(req, res, bucket, key);
          }
          return;
        case 'GET':
        case 'HEAD':
          if (tagging) {
            const meta = storage.head(bucket, key);
            if (!meta) throw noSuchKey(key);
            const tagSet = Object.entries(meta.tags).map(([Key, Value]) => ({ Key, Value }));
            sendXml(res, 200, xmlDocument('Tagging', { TagSet: tagSet.length > 0 ? { Tag: tagSet } : '' }));
          } else {
            await getObject(req, res, bucket, key);
          }
          return;
        case 'DELETE':
          if (tagging) {
            if (!(await storage.setTags(bucket, key, {}))) throw noSuchKey(key);
          } else {
            await storage.delete(bucket, key);
          }
          res.statusCode = 204;
          res.end();
          return;
        default:
          await drain(req);
          throw new S3Error(
            405,
            'MethodNotAllowed',
            'The specified method is not allowed against this resource.',
          );
      }
    } catch (error) {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(500, 'InternalError', 'We encountered an internal error.');
      if (!(error instanceof S3Error)) console.error('object store: internal error', error);
      if (!req.readableEnded && !req.destroyed) await drain(req);
      sendError(req, res, s3Error, requestId);
    }
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url: baseUrl,
    port: address.port,
    storage,
    getTags: (bucket, key) => {
      const meta = storage.head(bucket, key);
      return meta ? { ...meta.tags } : undefined;
    },
    putTags: (bucket, key, tags) => storage.setTags(bucket, key, { ...tags }),
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...pending]);
    },
  };
}

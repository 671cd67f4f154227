/**
 * Routing of the local object store: path-style `/{bucket}/{key}`, CORS and preflight, browser POST uploads
 * (authorised by their policy, not by a header), then access-key authorisation and dispatch of every other
 * call to its bucket or object operation; errors answer as S3's error XML.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeRest } from './auth.js';
import { bucketOperation, listBuckets } from './buckets.js';
import type { StoreContext } from './context.js';
import { noSuchBucket, S3Error } from './errors.js';
import {
  answerPreflight,
  applyCors,
  type CorsPolicy,
  drain,
  methodNotAllowed,
  notImplemented,
  sendError,
} from './http.js';
import {
  deleteObject,
  getObject,
  getObjectTagging,
  type ObjectCall,
  putObject,
  putObjectTagging,
} from './objects.js';
import { postObject } from './post-object.js';

/** Subresources S3 has and this store does not (multipart uploads, versioning, ACLs, ...): 501. */
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

/** Bucket and key of a path-style URL; the key is undefined for `/{bucket}` and `/{bucket}/`. */
function target(path: string): { bucket: string; key: string | undefined } {
  const slash = path.indexOf('/', 1);
  const bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
  if (slash < 0 || slash === path.length - 1) return { bucket, key: undefined };
  try {
    return { bucket, key: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

async function objectOperation(call: ObjectCall, query: URLSearchParams): Promise<void> {
  const { ctx, req, bucket } = call;
  if (!ctx.storage.bucketExists(bucket)) {
    await drain(req);
    throw noSuchBucket(bucket);
  }
  const tagging = query.has('tagging');
  switch (req.method) {
    case 'PUT':
      return tagging ? putObjectTagging(call) : putObject(call);
    case 'GET':
    case 'HEAD':
      return tagging ? getObjectTagging(call) : getObject(call);
    case 'DELETE':
      return deleteObject(call, tagging);
    default:
      await drain(req);
      throw methodNotAllowed();
  }
}

async function route(ctx: StoreContext, req: IncomingMessage, res: ServerResponse, requestId: string) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query = url.searchParams;
  const { bucket, key } = target(url.pathname);
  if (!bucket) {
    authorizeRest(req, query, ctx.secretOf, ctx.now());
    if (req.method !== 'GET') throw methodNotAllowed();
    listBuckets(ctx, res);
    return;
  }
  if (req.method === 'POST' && key === undefined && [...query.keys()].length === 0) {
    await postObject(ctx, req, res, bucket, requestId);
    return;
  }
  authorizeRest(req, query, ctx.secretOf, ctx.now());
  if (UNSUPPORTED_SUBRESOURCES.some((name) => query.has(name))) throw notImplemented();
  if (key === undefined) await bucketOperation(ctx, req, res, bucket, query);
  else await objectOperation({ ctx, req, res, bucket, key }, query);
}

/** The request listener of the local object store. */
export function objectStoreHandler(ctx: StoreContext, cors: CorsPolicy) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    applyCors(cors, req, res);
    try {
      if (req.method === 'OPTIONS') answerPreflight(req, res);
      else await route(ctx, req, res, requestId);
    } catch (error) {
      if (!(error instanceof S3Error)) console.error('object store: internal error', error);
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(500, 'InternalError', 'We encountered an internal error.');
      if (!req.readableEnded && !req.destroyed) await drain(req);
      sendError(req, res, s3Error, requestId);
    }
  };
}

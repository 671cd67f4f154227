/** Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket (ListObjectsV2 is in list-objects.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoreContext } from './context.js';
import { noSuchBucket, S3Error } from './errors.js';
import { drain, methodNotAllowed, notImplemented, sendXml } from './http.js';
import { listObjectsV2 } from './list-objects.js';
import { BUCKET_NAME } from './storage.js';
import { xmlDocument } from './xml.js';

export function listBuckets(ctx: StoreContext, res: ServerResponse): void {
  const buckets = ctx.storage
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
}

/** A request to `/{bucket}` without a key. */
export async function bucketOperation(
  ctx: StoreContext,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  query: URLSearchParams,
): Promise<void> {
  const { storage } = ctx;
  const method = req.method ?? 'GET';
  if (method === 'PUT') {
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
  if (method !== 'HEAD' && method !== 'GET' && method !== 'DELETE') throw methodNotAllowed();
  if (!storage.bucketExists(bucket)) throw noSuchBucket(bucket);
  if (method === 'HEAD') {
    res.statusCode = 200;
    res.setHeader('x-amz-bucket-region', ctx.region);
    res.end();
  } else if (method === 'GET') {
    if (query.get('list-type') !== '2') throw notImplemented();
    listObjectsV2(ctx, res, bucket, query);
  } else {
    if (!(await storage.deleteBucket(bucket))) {
      throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
        BucketName: bucket,
      });
    }
    res.statusCode = 204;
    res.end();
  }
}

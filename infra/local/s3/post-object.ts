/**
 * POST Object (browser uploads): the form is received and checked against its POST policy
 * (`post-upload.ts`), the object is stored with the form's Content-Type, metadata and tags, and the answer
 * is S3's: 204, or `success_action_status` 200/201, or a 303 to `success_action_redirect`. Nothing is
 * stored when an upload is refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import { verifyChecksums } from './checksums.js';
import type { StoreContext } from './context.js';
import { invalidArgument, malformedPost, noSuchBucket, S3Error } from './errors.js';
import { drain, sendError, sendXml } from './http.js';
import { multipartBoundary } from './multipart.js';
import { storedAttributes, validateTags } from './object-attributes.js';
import { checkSize } from './post-policy.js';
import { type AcceptedUpload, PostUploadReceiver } from './post-upload.js';
import type { ObjectMeta } from './storage.js';
import { parseTagging, xmlDocument } from './xml.js';

function encodeKeyForUrl(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** Refusals S3 makes before reading the form. */
async function checkEnclosure(ctx: StoreContext, req: IncomingMessage, bucket: string): Promise<string> {
  const { multipart, boundary } = multipartBoundary(req.headers['content-type']);
  const refusal = !multipart
    ? new S3Error(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        {
          Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
        },
      )
    : !boundary
      ? malformedPost()
      : !ctx.storage.bucketExists(bucket)
        ? noSuchBucket(bucket)
        : undefined;
  if (refusal) {
    await drain(req);
    throw refusal;
  }
  return boundary!;
}

/** Stores a received upload once its size and checksums hold; the temporary file becomes the object. */
async function store(
  ctx: StoreContext,
  receiver: PostUploadReceiver,
  bucket: string,
): Promise<{ upload: AcceptedUpload; meta: ObjectMeta }> {
  if (!receiver.failure && !receiver.fileSeen) {
    receiver.fail(invalidArgument('POST requires exactly one file upload per request.', 'file', '0'));
  }
  if (receiver.failure) throw receiver.failure;
  const upload = receiver.accepted!;
  const { size } = receiver;
  checkSize(upload.policy, size);
  if (receiver.tooLarge) checkSize({ ...upload.policy, maxSize: ctx.maxObjectBytes }, size);
  receiver.stream!.end();
  await finished(receiver.stream!);
  if (receiver.failure) throw receiver.failure;
  const md5 = verifyChecksums((n) => upload.form.get(n), upload.digests);
  const { metadata, headers } = storedAttributes(upload.form.entries().map((f) => [f.name, f.value]));
  const tagging = upload.form.get('tagging');
  const meta = await ctx.storage.commitFromFile(
    bucket,
    upload.key,
    receiver.tmpPath!,
    { size, md5 },
    {
      contentType: upload.form.get('content-type') ?? 'binary/octet-stream',
      metadata,
      tags: tagging ? validateTags(parseTagging(tagging) ?? []) : {},
      headers,
    },
  );
  receiver.tmpPath = undefined;
  return { upload, meta };
}

function answer(
  ctx: StoreContext,
  res: ServerResponse,
  bucket: string,
  upload: AcceptedUpload,
  meta: ObjectMeta,
) {
  const location = `${ctx.baseUrl()}/${bucket}/${encodeKeyForUrl(upload.key)}`;
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
    const body = { Location: location, Bucket: bucket, Key: upload.key, ETag: etag };
    sendXml(res, 201, xmlDocument('PostResponse', body, false));
  } else {
    res.statusCode = status === '200' ? 200 : 204;
    res.end();
  }
}

export async function postObject(
  ctx: StoreContext,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  requestId: string,
): Promise<void> {
  const boundary = await checkEnclosure(ctx, req, bucket);
  const receiver = new PostUploadReceiver(ctx, req, bucket, boundary);
  await receiver.receive();
  try {
    const { upload, meta } = await store(ctx, receiver, bucket);
    answer(ctx, res, bucket, upload, meta);
    ctx.notifyCreated(upload.key, {
      bucket,
      size: receiver.size,
      contentType: meta.contentType,
      source: 'post',
    });
  } catch (error) {
    await receiver.discard();
    if (error instanceof S3Error) sendError(req, res, error, requestId);
    else throw error;
  }
}

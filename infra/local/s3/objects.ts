/** Object operations: PutObject, GetObject/HeadObject (one byte range), DeleteObject and object tagging. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHECKSUM_ALGORITHMS, newDigests, updateDigests, verifyChecksums } from './checksums.js';
import type { StoreContext } from './context.js';
import { malformedXml, noSuchKey, S3Error } from './errors.js';
import { headerOf, notImplemented, readBody, sendXml } from './http.js';
import {
  setObjectHeaders,
  storedAttributes,
  tagsFromQueryString,
  validateTags,
} from './object-attributes.js';
import { parseTagging, xmlDocument } from './xml.js';

/** One request to `/{bucket}/{key}`. */
export interface ObjectCall {
  ctx: StoreContext;
  req: IncomingMessage;
  res: ServerResponse;
  bucket: string;
  key: string;
}

const incompleteBody = (message = 'The request body terminated unexpectedly') =>
  new S3Error(400, 'IncompleteBody', message);

/** Decodes an `aws-chunked` body (`<hex-size>[;ext]\r\n<data>\r\n ... 0\r\n<trailers>\r\n\r\n`). */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw incompleteBody();
    const sizeText = body.subarray(offset, lineEnd).toString('latin1').split(';')[0]!.trim();
    const size = Number.parseInt(sizeText, 16);
    if (!Number.isFinite(size) || size < 0) throw incompleteBody('Invalid chunk size');
    offset = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    if (offset + size > body.length) throw incompleteBody();
    parts.push(body.subarray(offset, offset + size));
    offset += size + 2;
  }
}

/** The PUT body as stored: aws-chunked (what the AWS SDK streams) decoded, size checked. */
async function putBody(ctx: StoreContext, req: IncomingMessage): Promise<Buffer> {
  let body = await readBody(req, ctx.maxPutBytes);
  const encoding = headerOf(req, 'content-encoding') ?? '';
  const sha = headerOf(req, 'x-amz-content-sha256') ?? '';
  if (encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-')) {
    body = decodeAwsChunked(body);
    const declared = req.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length) {
      throw incompleteBody('You did not provide the number of bytes specified by the header');
    }
  }
  if (body.length > ctx.maxObjectBytes) {
    throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: body.length,
      MaxSizeAllowed: ctx.maxObjectBytes,
    });
  }
  return body;
}

export async function putObject({ ctx, req, res, bucket, key }: ObjectCall): Promise<void> {
  if (req.headers['x-amz-copy-source'] !== undefined) throw notImplemented();
  const body = await putBody(ctx, req);
  const header = (name: string) => headerOf(req, name);
  const digests = newDigests(header);
  updateDigests(digests, body);
  verifyChecksums(header, digests);
  const { metadata, headers } = storedAttributes(
    Object.keys(req.headers)
      .map((name): [string, string] => [name, header(name)!])
      .filter(([name, value]) => !(name === 'content-encoding' && value.includes('aws-chunked'))),
  );
  const taggingHeader = header('x-amz-tagging');
  const meta = await ctx.storage.commitFromBuffer(bucket, key, body, {
    contentType: header('content-type') ?? 'binary/octet-stream',
    metadata,
    tags: taggingHeader ? tagsFromQueryString(taggingHeader) : {},
    headers,
  });
  res.statusCode = 200;
  res.setHeader('ETag', `"${meta.md5}"`);
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const v = header(`x-amz-checksum-${algorithm}`);
    if (v !== undefined) res.setHeader(`x-amz-checksum-${algorithm}`, v);
  }
  res.setHeader('Content-Length', 0);
  res.end();
  ctx.notifyCreated(key, { bucket, size: meta.size, contentType: meta.contentType, source: 'put' });
}

/** The byte range of a `Range: bytes=a-b` header (one range; suffix and open ranges too), if any. */
function byteRange(range: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!range || size === 0) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end = size - 1;
  if (m[1] === '') start = Math.max(0, size - Number(m[2]));
  else {
    start = Number(m[1]);
    if (m[2] !== '') end = Math.min(end, Number(m[2]));
  }
  if (start >= size || start > end) {
    throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: range,
      ActualObjectSize: size,
    });
  }
  return { start, end };
}

/** GetObject and HeadObject. */
export async function getObject({ ctx, req, res, bucket, key }: ObjectCall): Promise<void> {
  const meta = ctx.storage.head(bucket, key);
  if (!meta) throw noSuchKey(key);
  setObjectHeaders(res, meta);
  const range = byteRange(req.headers.range, meta.size);
  if (req.method === 'HEAD') {
    res.statusCode = 200;
    res.setHeader('Content-Length', meta.size);
    res.end();
    return;
  }
  const body = await ctx.storage.readBody(bucket, meta);
  if (!body) throw noSuchKey(key);
  const slice = range ? body.subarray(range.start, range.end + 1) : body;
  res.statusCode = range ? 206 : 200;
  if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${meta.size}`);
  res.setHeader('Content-Length', slice.length);
  res.end(slice);
}

export async function putObjectTagging({ ctx, req, res, bucket, key }: ObjectCall): Promise<void> {
  const parsed = parseTagging((await readBody(req, 64 * 1024)).toString('utf8'));
  if (!parsed) throw malformedXml();
  if (!(await ctx.storage.setTags(bucket, key, validateTags(parsed)))) throw noSuchKey(key);
  res.statusCode = 200;
  res.end();
}

export function getObjectTagging({ ctx, res, bucket, key }: ObjectCall): void {
  const meta = ctx.storage.head(bucket, key);
  if (!meta) throw noSuchKey(key);
  const tagSet = Object.entries(meta.tags).map(([Key, Value]) => ({ Key, Value }));
  sendXml(res, 200, xmlDocument('Tagging', { TagSet: tagSet.length > 0 ? { Tag: tagSet } : '' }));
}

/** DeleteObject, or DeleteObjectTagging with `tagging`. */
export async function deleteObject({ ctx, res, bucket, key }: ObjectCall, tagging: boolean): Promise<void> {
  if (tagging) {
    if (!(await ctx.storage.setTags(bucket, key, {}))) throw noSuchKey(key);
  } else {
    await ctx.storage.delete(bucket, key);
  }
  res.statusCode = 204;
  res.end();
}

import type { ServerResponse } from 'node:http';
import type { StoreContext } from './context.js';
import { invalidArgument } from './errors.js';
import { sendXml } from './http.js';
import type { ObjectMeta } from './storage.js';
import { xmlDocument } from './xml.js';

interface ListRequest {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  token: string | null;
  startAfter: string | null;
  /** List keys after this one (from the continuation token, else start-after). */
  after: string | undefined;
  urlEncoded: boolean;
}

function listRequest(query: URLSearchParams): ListRequest {
  const maxKeysRaw = query.get('max-keys');
  const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      maxKeysRaw ?? '',
    );
  }
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
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    maxKeys,
    token,
    startAfter,
    after,
    urlEncoded: query.get('encoding-type') === 'url',
  };
}

/** One page: objects and common prefixes (each counts as one key), and where the next page starts. */
function listPage(candidates: ObjectMeta[], request: ListRequest) {
  const { prefix, delimiter } = request;
  const limit = Math.min(request.maxKeys, 1000);
  const contents: ObjectMeta[] = [];
  const commonPrefixes: string[] = [];
  let lastKey: string | undefined;
  let i = 0;
  while (i < candidates.length && contents.length + commonPrefixes.length < limit) {
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
      contents.push(meta);
      lastKey = meta.key;
      i += 1;
    }
  }
  return { contents, commonPrefixes, lastKey, truncated: i < candidates.length };
}

/** ListObjectsV2: prefix, delimiter, max-keys, continuation token, start-after, encoding-type=url. */
export function listObjectsV2(
  ctx: StoreContext,
  res: ServerResponse,
  bucket: string,
  query: URLSearchParams,
): void {
  const request = listRequest(query);
  const { prefix, delimiter, token, startAfter } = request;
  const enc = (s: string) => (request.urlEncoded ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const afterBytes = request.after === undefined ? undefined : Buffer.from(request.after);
  const candidates = ctx.storage
    .keys(bucket)
    .filter(
      (m) => m.key.startsWith(prefix) && (!afterBytes || Buffer.compare(Buffer.from(m.key), afterBytes) > 0),
    );
  const { contents, commonPrefixes, lastKey, truncated } = listPage(candidates, request);
  const body: Record<string, unknown> = {
    Name: bucket,
    Prefix: enc(prefix),
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    MaxKeys: request.maxKeys,
    KeyCount: contents.length + commonPrefixes.length,
    IsTruncated: truncated,
    ...(token !== null ? { ContinuationToken: token } : {}),
    ...(truncated && lastKey !== undefined
      ? { NextContinuationToken: Buffer.from(JSON.stringify({ k: lastKey })).toString('base64url') }
      : {}),
    ...(startAfter !== null ? { StartAfter: enc(startAfter) } : {}),
    ...(request.urlEncoded ? { EncodingType: 'url' } : {}),
    ...(contents.length > 0
      ? {
          Contents: contents.map((meta) => ({
            Key: enc(meta.key),
            LastModified: meta.lastModified,
            ETag: `"${meta.md5}"`,
            Size: meta.size,
            StorageClass: 'STANDARD',
          })),
        }
      : {}),
    ...(commonPrefixes.length > 0 ? { CommonPrefixes: commonPrefixes.map((p) => ({ Prefix: enc(p) })) } : {}),
  };
  sendXml(res, 200, xmlDocument('ListBucketResult', body));
}

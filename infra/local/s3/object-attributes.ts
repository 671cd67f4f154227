import type { ServerResponse } from 'node:http';
import { S3Error } from './errors.js';
import type { ObjectMeta } from './storage.js';

/** Headers S3 stores with an object and answers GET/HEAD with. */
const STORED_HEADERS: readonly string[] = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'expires',
];

/** User metadata (`x-amz-meta-*`) and stored headers from a PUT's headers or a POST's form fields. */
export function storedAttributes(entries: Iterable<[string, string]>): {
  metadata: Record<string, string>;
  headers: Record<string, string>;
} {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-meta-')) metadata[lower.slice('x-amz-meta-'.length)] = value;
    else if (STORED_HEADERS.includes(lower)) headers[lower] = value;
  }
  return { metadata, headers };
}

/** S3's limits on an object's tag set. */
export function validateTags(tags: { key: string; value: string }[]): Record<string, string> {
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

/** Tags of an `x-amz-tagging` header (URL query syntax; a repeated key keeps its last value). */
export function tagsFromQueryString(value: string): Record<string, string> {
  const tags = new Map(new URLSearchParams(value));
  return validateTags([...tags].map(([key, v]) => ({ key, value: v })));
}

/** Header-safe value: non-ASCII is sent RFC 2047 encoded, as S3 does for user metadata. */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The headers of a GET or HEAD answer for a stored object. */
export function setObjectHeaders(res: ServerResponse, meta: ObjectMeta): void {
  res.setHeader('ETag', `"${meta.md5}"`);
  res.setHeader('Last-Modified', new Date(meta.lastModified).toUTCString());
  res.setHeader('Content-Type', meta.contentType);
  res.setHeader('Accept-Ranges', 'bytes');
  for (const [name, value] of Object.entries(meta.headers)) res.setHeader(name, headerValue(value));
  for (const [name, value] of Object.entries(meta.metadata))
    res.setHeader(`x-amz-meta-${name}`, headerValue(value));
  const tagCount = Object.keys(meta.tags).length;
  if (tagCount > 0) res.setHeader('x-amz-tagging-count', String(tagCount));
}

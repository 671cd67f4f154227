/**
 * SigV4 query-string authentication (a presigned URL, e.g. the resume download link): the signature is recomputed
 * over the canonical request with the access key's secret, as S3 does, so a link whose path, query or expiry was
 * changed is refused with S3's `SignatureDoesNotMatch`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { S3Error } from './errors.js';
import { signingKey } from './post-policy.js';

/** RFC 3986 escaping, as SigV4 canonicalises query names and values. */
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function canonicalHeaders(req: IncomingMessage, signed: string[]): string {
  return signed
    .map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
}

const signatureMismatch = () =>
  new S3Error(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

/** Throws unless X-Amz-Signature is the signature of this request under `secret`. */
export function verifyPresignedQuery(
  req: IncomingMessage,
  rawPath: string,
  query: URLSearchParams,
  secret: string,
) {
  const [, date, region, service] = (query.get('X-Amz-Credential') ?? '').split('/');
  const amzDate = query.get('X-Amz-Date') ?? '';
  const signed = (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !date || !region || !signed.includes('host')) {
    throw new S3Error(
      400,
      'AuthorizationQueryParametersError',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const canonical = [
    req.method ?? 'GET',
    rawPath,
    canonicalQuery(query),
    canonicalHeaders(req, signed),
    signed.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const expected = Buffer.from(
    createHmac('sha256', signingKey(secret, date, region, service))
      .update(toSign)
      .digest('hex'),
  );
  const given = Buffer.from(query.get('X-Amz-Signature') ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw signatureMismatch();
}

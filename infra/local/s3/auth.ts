import type { IncomingMessage } from 'node:http';
import { accessDenied, S3Error } from './errors.js';
import type { CredentialLookup } from './post-policy.js';
import { verifyPresignedQuery } from './presigned-query.js';

/**
 * REST calls with a SigV4 Authorization header are authorised by access key only (the SDK's own calls; the header
 * signature is not recomputed). A presigned query (a link handed to someone else) must name a configured access
 * key, must not have expired, and its signature is recomputed (`presigned-query.ts`). Anonymous REST calls are
 * refused (private buckets).
 */
export function authorizeRest(
  req: IncomingMessage,
  query: URLSearchParams,
  secretOf: CredentialLookup,
  now: number,
  rawPath = new URL(req.url ?? '/', 'http://localhost').pathname,
): void {
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
    if (now > presignedUntil(query)) throw accessDenied('Request has expired');
  } else {
    throw accessDenied();
  }
  const secret = accessKeyId ? secretOf(accessKeyId) : undefined;
  if (!accessKeyId || secret === undefined) {
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: accessKeyId ?? '' },
    );
  }
  if (!authorization) verifyPresignedQuery(req, rawPath, query, secret);
}

/** When a presigned URL expires: X-Amz-Date plus X-Amz-Expires. */
function presignedUntil(query: URLSearchParams): number {
  const date = query.get('X-Amz-Date') ?? '';
  const expires = Number(query.get('X-Amz-Expires') ?? '0');
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) {
    throw new S3Error(
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Date must be in the ISO8601 Long Format',
    );
  }
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + expires * 1000;
}

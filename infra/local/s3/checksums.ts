import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error } from './errors.js';

/** Digests of an upload as it streams in: always MD5 (the ETag), the others when a checksum was sent. */
export interface Digests {
  md5: ReturnType<typeof createHash>;
  sha256?: ReturnType<typeof createHash>;
  sha1?: ReturnType<typeof createHash>;
  crc?: number;
}

/** `get` reads a header (PUT) or a form field (POST). */
export type ValueOf = (name: string) => string | undefined;

export const CHECKSUM_ALGORITHMS = ['sha256', 'sha1', 'crc32'] as const;

export function newDigests(get: ValueOf): Digests {
  return {
    md5: createHash('md5'),
    ...(get('x-amz-checksum-sha256') !== undefined ? { sha256: createHash('sha256') } : {}),
    ...(get('x-amz-checksum-sha1') !== undefined ? { sha1: createHash('sha1') } : {}),
    ...(get('x-amz-checksum-crc32') !== undefined ? { crc: 0 } : {}),
  };
}

export function updateDigests(d: Digests, data: Buffer): void {
  d.md5.update(data);
  d.sha256?.update(data);
  d.sha1?.update(data);
  if (d.crc !== undefined) d.crc = crc32(data, d.crc);
}

function crcBase64(crc: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc >>> 0);
  return b.toString('base64');
}

/** Verifies Content-MD5 and x-amz-checksum-{sha256,sha1,crc32}; returns the hex MD5 (the ETag). */
export function verifyChecksums(get: ValueOf, digests: Digests): string {
  const md5Hex = digests.md5.digest('hex');
  const contentMd5 = get('content-md5');
  if (contentMd5 !== undefined && Buffer.from(md5Hex, 'hex').toString('base64') !== contentMd5) {
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const actual = {
    sha256: digests.sha256?.digest('base64'),
    sha1: digests.sha1?.digest('base64'),
    crc32: digests.crc === undefined ? undefined : crcBase64(digests.crc),
  };
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const expected = get(`x-amz-checksum-${algorithm}`);
    if (expected !== undefined && actual[algorithm] !== undefined && expected !== actual[algorithm]) {
      throw new S3Error(
        400,
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
  }
  return md5Hex;
}

/**
 * HMAC helpers for webhook verifiers. Verification always runs over the raw bytes received and compares in
 * constant time (`crypto.timingSafeEqual` on buffers of equal length).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256(secret: string, data: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** Decodes a 64-character hex SHA-256 digest; null when the text is not exactly that. */
export function decodeHexDigest(text: string): Buffer | null {
  return HEX_SHA256.test(text) ? Buffer.from(text, 'hex') : null;
}

/** Constant-time equality; buffers of different lengths are unequal (checked first, as timingSafeEqual throws). */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Index of the first secret whose HMAC-SHA256 over `message` equals `provided`, or -1. Every secret is tried
 * (current first, then those inside their rotation grace period); empty secrets never match.
 */
export function matchingSecretIndex(
  secrets: readonly string[],
  message: Buffer | string,
  provided: Buffer,
): number {
  let found = -1;
  secrets.forEach((secret, index) => {
    if (found !== -1 || secret.length === 0) return;
    if (constantTimeEqual(hmacSha256(secret, message), provided)) found = index;
  });
  return found;
}

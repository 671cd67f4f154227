import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import type { HttpEvent } from './types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Size of the body as received, computed without decoding it (base64 expands by 4/3). */
export function declaredBodySize(event: HttpEvent): number {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) return Buffer.byteLength(body, 'utf8');
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.floor((body.length * 3) / 4) - padding;
}

/**
 * What was computed once from a raw body, per Buffer: a webhook's body is verified by the provider adapter and
 * stored by the use case, and both read its text and its SHA-256 (B5: once per request, not twice each).
 */
const decoded = new WeakMap<Buffer, string | undefined>();
const digests = new WeakMap<Buffer, string>();

export function rawBodyOf(event: HttpEvent): Buffer {
  const body = event.body ?? '';
  if (event.isBase64Encoded) return Buffer.from(body, 'base64');
  const raw = Buffer.from(body, 'utf8');
  // a well-formed string without a leading BOM is exactly what decodeUtf8 would return for these bytes
  if (body.charCodeAt(0) !== 0xfeff && isWellFormed(body)) decoded.set(raw, body);
  return raw;
}

/** String.prototype.isWellFormed (Node 20+; the ES2023 lib types lack it): no lone surrogates. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Hex SHA-256 of a raw body, computed once per Buffer. */
export function rawBodySha256(raw: Buffer): string {
  let digest = digests.get(raw);
  if (digest === undefined) {
    digest = createHash('sha256').update(raw).digest('hex');
    digests.set(raw, digest);
  }
  return digest;
}

/** Decodes UTF-8 strictly (invalid bytes are an error, not U+FFFD) and drops a leading BOM. */
export function decodeUtf8(raw: Buffer): string | undefined {
  if (decoded.has(raw)) return decoded.get(raw);
  let text: string | undefined;
  try {
    text = strictUtf8.decode(raw);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  } catch {
    text = undefined;
  }
  decoded.set(raw, text);
  return text;
}

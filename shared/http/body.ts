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

export function rawBodyOf(event: HttpEvent): Buffer {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** Decodes UTF-8 strictly (invalid bytes are an error, not U+FFFD) and drops a leading BOM. */
export function decodeUtf8(raw: Buffer): string | undefined {
  try {
    const text = strictUtf8.decode(raw);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

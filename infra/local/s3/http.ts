import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error } from './errors.js';

/** CORS for browser uploads: '*', a list of allowed origins, or none at all. */
export type CorsPolicy = '*' | string[] | false;

export function applyCors(cors: CorsPolicy, req: IncomingMessage, res: ServerResponse): void {
  if (cors === false) return;
  const origin = req.headers.origin;
  if (cors === '*') res.setHeader('Access-Control-Allow-Origin', '*');
  else if (origin && cors.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Location, x-amz-request-id, x-amz-version-id');
}

/** The answer to a CORS preflight. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 200;
  res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, HEAD');
  const requested = req.headers['access-control-request-headers'];
  if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
  res.setHeader('Access-Control-Max-Age', '3000');
  res.end();
}

export function sendXml(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** S3's error XML (a bare status for HEAD); a half-sent answer is cut off instead. */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: S3Error,
  requestId: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (req.method === 'HEAD') {
    res.statusCode = error.status;
    res.end();
    return;
  }
  sendXml(res, error.status, error.toXml(requestId));
}

/** The whole request body, refused with EntityTooLarge past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
        MaxSizeAllowed: limit,
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Reads the rest of a request without keeping it (so the client gets to read our answer). */
export function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) {
      resolve();
      return;
    }
    req.on('data', () => undefined);
    req.on('end', () => resolve());
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.resume();
  });
}

/** A header as one string (repeated headers comma-joined). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export const methodNotAllowed = () =>
  new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');

export const notImplemented = () =>
  new S3Error(
    501,
    'NotImplemented',
    'A header or query you provided implies functionality that is not implemented.',
  );

/**
 * Serving the operator console: one HTML page, its script and style sheet, read once from the folder the build
 * wrote, each answered with security headers and a CSP that allows only the hub's own origin (no inline script
 * or style, no framing, no form posts elsewhere).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpResponse } from '../../shared/http/types.js';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** The files the build writes (console/build.ts); anything else is 404 without touching the disk. */
export const CONSOLE_FILES = ['index.html', 'app.js', 'app.css', 'icon.svg'] as const;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export type ConsoleAssets = ReadonlyMap<string, string>;

export function loadConsoleAssets(dir: string): ConsoleAssets {
  return new Map(CONSOLE_FILES.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** The answer for `/console` (file undefined) or `/console/{file}`. */
export function consoleResponse(assets: ConsoleAssets, file: string | undefined): HttpResponse {
  const name = file ?? 'index.html';
  const body = assets.get(name);
  if (body === undefined) {
    return {
      statusCode: 404,
      headers: {
        ...SECURITY_HEADERS,
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      },
      body: 'not found',
    };
  }
  const extension = name.slice(name.lastIndexOf('.') + 1);
  return {
    statusCode: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': TYPES[extension] ?? 'application/octet-stream',
      // the file names carry no hash: a browser revalidates, so a deploy is seen at once
      'cache-control': name === 'index.html' ? 'no-store' : 'no-cache',
    },
    body,
  };
}

/**
 * The hosted connect page's HTML shell: no script at all, one stylesheet allowed by its hash, and the security
 * headers of every page (strict CSP, no referrer: the link's token is in the URL and must not leak onwards).
 */
import { createHash } from 'node:crypto';
import type { HttpResult } from '../http/types.js';

/** Contrast: body text 16:1, buttons and links at least 7:1 on white; focus is always visible. */
const CSS = `body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0}
main{max-width:36rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem}label{display:block;font-weight:600;margin-top:1rem}
input{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #555;border-radius:4px}
.hint{color:#444;font-size:.9rem;margin:.25rem 0 0}
.error{color:#a00000;font-weight:600}
[aria-invalid=true]{border:2px solid #a00000}
button,.button{display:inline-block;margin-top:1.25rem;font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#0b4fb0;color:#fff;text-decoration:none;cursor:pointer}
a{color:#0b4fb0}
:focus-visible{outline:3px solid #e36c00;outline-offset:2px}
.alert{border:2px solid #a00000;padding:.75rem 1rem;border-radius:4px}
.providers{list-style:none;padding:0}.providers li{margin:.5rem 0}
code,output{display:block;word-break:break-all;background:#f2f2f2;padding:.5rem;border-radius:4px;font-family:ui-monospace,monospace}`;

const CSS_HASH = createHash('sha256').update(CSS).digest('base64');

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * `formTargets`: origins a form of this page may be redirected to after it is posted (Chromium applies
 * form-action to the redirects of a submission: the Lever form is answered with a redirect to Lever's consent).
 */
export function securityHeaders(formTargets: readonly string[] = []): Record<string, string> {
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${CSS_HASH}'`,
    `form-action 'self'${formTargets.map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}

export interface PageOptions {
  status: number;
  title: string;
  /** Trusted markup: every value in it is escaped by the caller. */
  body: string;
  formTargets?: readonly string[];
  headers?: Record<string, string>;
}

export function page(options: PageOptions): HttpResult {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(options.title)} · ATS integration hub</title>
<style>${CSS}</style></head>
<body><main>${options.body}</main></body></html>`;
  return {
    status: options.status,
    html,
    headers: { ...securityHeaders(options.formTargets), ...options.headers },
  };
}

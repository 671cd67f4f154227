/**
 * The one place provider clients touch the network: awaits the engine's limiter (`beforeRequest`), applies a
 * timeout, and turns network failures and timeouts into `ProviderError('transient')`. It never retries and
 * never sleeps: retries and backoff belong to the sync engine.
 */
import { type ProviderContext, ProviderError } from '../../ports/provider.js';
import { parseJson } from './parse.js';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** FormData for multipart uploads: fetch sets the boundary in its content-type. */
  body?: string | FormData;
  timeoutMs: number;
}

export interface HttpReply {
  status: number;
  headers: Headers;
  /** Body text ('' for 204). */
  text: string;
}

export async function httpCall(context: ProviderContext, call: HttpCall): Promise<HttpReply> {
  await context.beforeRequest?.();
  const doFetch = context.fetch ?? fetch;
  const signal = AbortSignal.timeout(call.timeoutMs);
  try {
    const response = await doFetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal,
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    // No URL or body in the message: URLs can carry filters with personal data (e.g. an email filter).
    throw new ProviderError(
      timedOut ? `request timed out after ${call.timeoutMs} ms` : 'network error',
      'transient',
    );
  }
}

/** JSON body or a `permanent` ProviderError; the body itself never goes into the message. */
export function parseJsonBody(reply: HttpReply, what: string): unknown {
  try {
    return JSON.parse(reply.text);
  } catch {
    throw new ProviderError(
      `${what}: response is not JSON (status ${reply.status})`,
      'permanent',
      reply.status,
    );
  }
}

/** The provider's own error message in a reply (at most 300 characters), else its status. */
export function replyMessage(reply: HttpReply, pick: (body: unknown) => string | null | undefined): string {
  const message = pick(parseJson(reply.text));
  return message ? message.slice(0, 300) : `status ${reply.status}`;
}

/** Default mapping of an unsuccessful status to a ProviderError kind (providers refine it first). */
export function errorForStatus(status: number, what: string, retryAfterSeconds?: number): ProviderError {
  if (status === 429)
    return new ProviderError(`${what}: rate limited`, 'rate_limited', status, retryAfterSeconds);
  if (status === 408 || status >= 500) {
    return new ProviderError(`${what}: provider error ${status}`, 'transient', status, retryAfterSeconds);
  }
  if (status === 401 || status === 403)
    return new ProviderError(`${what}: not authorised (${status})`, 'auth', status);
  if (status === 404) return new ProviderError(`${what}: not found`, 'not_found', status);
  return new ProviderError(`${what}: unexpected status ${status}`, 'permanent', status);
}

export function basicAuth(username: string, password = ''): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Refuses to send credentials to another origin than the configured one (a `Link` header is remote input). */
export function assertSameOrigin(url: string, base: string): void {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ProviderError('page token is not a URL', 'permanent');
  }
  if (target.origin !== new URL(base).origin) {
    throw new ProviderError('page token points to another origin than the configured base URL', 'permanent');
  }
}

import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  type AddressClass,
  classifyAddress,
  type DestinationPolicy,
  isLocalhostName,
} from './address-policy.js';

/**
 * SSRF guard, part 2, and the one place the notifier talks HTTP. Every attempt:
 *
 * 1. takes the URL apart; https only (plain http only to loopback when local development allows it);
 * 2. resolves the host itself and refuses the attempt if ANY resolved address is not allowed
 *    (address-policy.ts), so a name with one public and one internal record cannot be used either;
 * 3. connects to exactly the address it checked: the request's `lookup` is pinned to it, so the socket
 *    cannot be steered elsewhere by a second, different DNS answer (DNS rebinding). TLS still verifies
 *    the certificate against the host name (SNI = host name);
 * 4. never follows redirects (node:http does not), reads only the status line and headers, then drops
 *    the connection; the response body is never read or stored;
 * 5. bounds the whole attempt, resolution included, by one timeout.
 */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface PostRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface PostOptions extends DestinationPolicy {
  timeoutMs: number;
  resolve?: Resolver;
}

export type PostOutcome =
  | { kind: 'response'; status: number; retryAfter: string | undefined }
  | { kind: 'timeout' }
  | { kind: 'blocked'; reason: string; addressClass?: AddressClass }
  | { kind: 'error'; code: string };

class Blocked extends Error {
  constructor(
    readonly reason: string,
    readonly addressClass?: AddressClass,
  ) {
    super(reason);
  }
}

const USER_AGENT = 'ats-hub-notifier/1.0';

/** The destination as it will be contacted, or the reason it must not be. */
export function checkUrl(raw: string, policy: DestinationPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Blocked('not a valid URL');
  }
  if (url.username || url.password) throw new Blocked('credentials in the URL are not allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopbackHost = isLocalhostName(host) || (isIP(host) !== 0 && classifyAddress(host) === 'loopback');
  if (url.protocol === 'https:') {
    // fine
  } else if (url.protocol === 'http:' && policy.allowLoopback && loopbackHost) {
    // local development receivers
  } else {
    throw new Blocked('only https URLs are allowed');
  }
  if (isLocalhostName(host) && !policy.allowLoopback)
    throw new Blocked('destination address not allowed', 'loopback');
  if (isIP(host) !== 0) {
    const cls = classifyAddress(host);
    if (!(cls === 'public' || (policy.allowLoopback && cls === 'loopback'))) {
      throw new Blocked('destination address not allowed', cls);
    }
  }
  return url;
}

/** The reason a URL may not be used as a destination, judged without DNS (creation time), or undefined. */
export function urlProblem(raw: string, policy: DestinationPolicy): string | undefined {
  try {
    checkUrl(raw, policy);
    return undefined;
  } catch (error) {
    if (error instanceof Blocked)
      return error.addressClass ? `${error.reason} (${error.addressClass})` : error.reason;
    throw error;
  }
}

async function pinnedAddress(url: URL, policy: PostOptions): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return { address: host, family: isIP(host) };
  if (isLocalhostName(host)) return { address: '127.0.0.1', family: 4 };
  let answers: { address: string; family: number }[];
  try {
    answers = await (policy.resolve ?? systemResolver)(host);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw Object.assign(new Error('dns'), { code: typeof code === 'string' ? code : 'EDNS' });
  }
  if (answers.length === 0) throw Object.assign(new Error('dns'), { code: 'ENOTFOUND' });
  for (const answer of answers) {
    const cls = classifyAddress(answer.address);
    if (!(cls === 'public' || (policy.allowLoopback && cls === 'loopback'))) {
      throw new Blocked('destination resolves to an address that is not allowed', cls);
    }
  }
  const first = answers[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * The socket's `lookup`: answers with the checked address only, whatever the name resolves to by now
 * (Node 20 asks with `all: true` when it may try several families).
 */
export function pinnedLookup(pinned: { address: string; family: number }): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    } else callback(null, pinned.address, pinned.family);
  };
}

/** POSTs once under the SSRF rules above. Never throws: every way it can end is an outcome. */
export async function postJson(request: PostRequest, options: PostOptions): Promise<PostOutcome> {
  let timer: NodeJS.Timeout | undefined;
  let req: http.ClientRequest | undefined;
  let timedOut = false;
  const timeout = new Promise<PostOutcome>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      req?.destroy();
      resolve({ kind: 'timeout' });
    }, options.timeoutMs);
  });
  const attempt = (async (): Promise<PostOutcome> => {
    try {
      const url = checkUrl(request.url, options);
      const pinned = await pinnedAddress(url, options);
      if (timedOut) return { kind: 'timeout' };
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const lookup = pinnedLookup(pinned);
      const body = Buffer.from(request.body, 'utf8');
      return await new Promise<PostOutcome>((resolve) => {
        const transport = url.protocol === 'https:' ? https : http;
        req = transport.request({
          protocol: url.protocol,
          host,
          port: url.port || (url.protocol === 'https:' ? 443 : 80),
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          agent: false,
          lookup,
          ...(url.protocol === 'https:' && isIP(host) === 0 ? { servername: host } : {}),
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': String(body.length),
            'user-agent': USER_AGENT,
            connection: 'close',
          },
        });
        req.on('response', (res) => {
          const retryAfter = res.headers['retry-after'];
          resolve({ kind: 'response', status: res.statusCode ?? 0, retryAfter });
          // status and headers are all we need; the body is neither read nor stored
          res.destroy();
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          resolve(
            timedOut ? { kind: 'timeout' } : { kind: 'error', code: error.code ?? error.name ?? 'EUNKNOWN' },
          );
        });
        req.end(body);
      });
    } catch (error) {
      if (error instanceof Blocked) {
        return {
          kind: 'blocked',
          reason: error.reason,
          ...(error.addressClass ? { addressClass: error.addressClass } : {}),
        };
      }
      const code = (error as { code?: unknown }).code;
      return { kind: 'error', code: typeof code === 'string' ? code : 'EUNKNOWN' };
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * BambooHR transport: the API base of a company, Basic auth (API key as user, `x` as password), JSON accept (BambooHR
 * answers XML otherwise), and the mapping of its failures (`503` + `Retry-After` is its throttle, secondary).
 */
import { type ProviderContext, ProviderError } from '../../ports/provider.js';
import { basicAuth, errorForStatus, type HttpReply, httpCall, parseJsonBody } from '../common/http-call.js';
import { observeRateLimit } from '../common/rate-limit-observation.js';
import { parseRetryAfter } from '../common/retry-after.js';
import type { BamboohrCredentials } from './credentials.js';
import type { BamboohrSettings } from './settings.js';

/** Query string with `%20` for spaces (`newSince` carries one). */
export function queryString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** `newSince` format: UTC `YYYY-MM-DD HH:MM:SS` (docs/providers.md §6.1). */
export function formatNewSince(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function resolveApiBase(settings: BamboohrSettings, companyDomain: string): string {
  if (new URL(settings.baseUrl).pathname.includes('/api/gateway.php/'))
    return settings.baseUrl.replace(/\/+$/, '');
  return `${settings.baseUrl.replace(/\/+$/, '')}/api/gateway.php/${encodeURIComponent(companyDomain)}/v1`;
}

export class BamboohrHttp {
  private readonly apiBase: string;

  constructor(
    private readonly context: ProviderContext,
    private readonly settings: BamboohrSettings,
    private readonly credentials: BamboohrCredentials,
  ) {
    this.apiBase = resolveApiBase(settings, credentials.companyDomain);
  }

  async request(method: 'GET' | 'POST', path: string, body?: string | FormData): Promise<HttpReply> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: basicAuth(this.credentials.apiKey, 'x'),
    };
    if (typeof body === 'string') headers['Content-Type'] = 'application/json';
    const reply = await httpCall(this.context, {
      method,
      url: `${this.apiBase}${path}`,
      headers,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: this.settings.requestTimeoutMs,
    });
    observeRateLimit(this.context, reply);
    return reply;
  }

  async getJson(path: string, what: string): Promise<unknown> {
    const reply = await this.request('GET', path);
    if (reply.status !== 200) throw this.failure(reply, what);
    return parseJsonBody(reply, what);
  }

  /** 503 with Retry-After is BambooHR's throttle (secondary); other statuses follow the common mapping. */
  failure(reply: HttpReply, what: string): ProviderError {
    const retryAfter =
      reply.status === 429 || reply.status === 503
        ? parseRetryAfter(reply.headers.get('retry-after'), this.context.clock.now())
        : undefined;
    if (reply.status === 503 && retryAfter !== undefined) {
      return new ProviderError(`${what}: throttled`, 'rate_limited', 503, retryAfter);
    }
    return errorForStatus(reply.status, what, retryAfter);
  }
}

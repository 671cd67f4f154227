/**
 * Workday transport: the service URL of a tenant, WS-Security `UsernameToken` or a bearer token, one SOAP round
 * trip, and what its faults mean (docs/providers.md §5.1, §5.5).
 */

import type * as z from 'zod';
import { type ProviderContext, ProviderError } from '../../ports/provider.js';
import { basicAuth, errorForStatus, httpCall } from '../common/http-call.js';
import { parseOrFail } from '../common/parse.js';
import { observeRateLimit } from '../common/rate-limit-observation.js';
import { buildSoapEnvelope, wsSecurityUsernameToken, type XmlNode } from '../common/soap.js';
import { type WorkdayCredentials, workdayUsername } from './credentials.js';
import { classifyFault, faultSummary } from './faults.js';
import { readWorkdayEnvelope } from './parse.js';
import type { WorkdaySettings } from './settings.js';

export type SoapOutcome =
  | { ok: true; body: XmlNode }
  | {
      ok: false;
      kind: 'permission' | 'validation' | 'processing' | 'unknown';
      message: string;
      status: number;
    };

export function resolveServiceUrl(settings: WorkdaySettings, tenant: string | null): string {
  if (settings.baseUrl && new URL(settings.baseUrl).pathname.includes('/ccx/service/'))
    return settings.baseUrl;
  if (!tenant)
    throw new ProviderError('workday tenant is missing (credentials.tenant or settings.tenant)', 'permanent');
  const path = `/ccx/service/${encodeURIComponent(tenant)}/Recruiting/${settings.apiVersion}`;
  if (settings.baseUrl) return `${settings.baseUrl.replace(/\/+$/, '')}${path}`;
  if (!settings.host) throw new ProviderError('workday needs settings.host or settings.baseUrl', 'permanent');
  return `https://${settings.host}${path}`;
}

export class WorkdaySoap {
  private readonly serviceUrl: string;

  constructor(
    private readonly context: ProviderContext,
    private readonly settings: WorkdaySettings,
    private readonly credentials: WorkdayCredentials,
  ) {
    this.serviceUrl = resolveServiceUrl(settings, credentials.tenant ?? settings.tenant ?? null);
  }

  /** Basic `user@tenant` or the bearer token, for plain HTTP calls with the same credentials. */
  httpAuthorization(): string {
    const credentials = this.credentials;
    if ('accessToken' in credentials) return `Bearer ${credentials.accessToken}`;
    return basicAuth(workdayUsername(credentials.username, credentials.tenant), credentials.password);
  }

  /**
   * One SOAP round trip. Throws for what the engine reacts to (auth, rate limits, transient failures); hands
   * validation and processing faults back so reads can fail and writes can report a refusal.
   */
  async call(operation: string, body: XmlNode): Promise<SoapOutcome> {
    const headers: Record<string, string> = {
      'Content-Type': 'text/xml; charset=utf-8',
      Accept: 'text/xml',
      SOAPAction: '""',
    };
    if ('accessToken' in this.credentials)
      headers['Authorization'] = `Bearer ${this.credentials.accessToken}`;
    const reply = await httpCall(this.context, {
      method: 'POST',
      url: this.serviceUrl,
      headers,
      body: buildSoapEnvelope({ header: this.securityHeader(), body }),
      timeoutMs: this.settings.requestTimeoutMs,
    });
    const retryAfter = observeRateLimit(this.context, reply);
    if (reply.status === 429)
      throw new ProviderError(`${operation}: rate limited`, 'rate_limited', 429, retryAfter);
    if (reply.status === 503)
      throw new ProviderError(`${operation}: service unavailable`, 'transient', 503, retryAfter);
    const envelope = readWorkdayEnvelope(reply.text);
    if (envelope?.fault) {
      const kind = classifyFault(envelope.fault);
      const message = faultSummary(envelope.fault);
      if (kind === 'auth')
        throw new ProviderError(`${operation}: authentication failed: ${message}`, 'auth', reply.status);
      if (kind === 'server')
        throw new ProviderError(`${operation}: server fault: ${message}`, 'transient', reply.status);
      return { ok: false, kind, message, status: reply.status };
    }
    if (reply.status < 200 || reply.status >= 300) throw errorForStatus(reply.status, operation, retryAfter);
    if (!envelope)
      throw new ProviderError(`${operation}: response is not a SOAP envelope`, 'permanent', reply.status);
    return { ok: true, body: envelope.body };
  }

  /**
   * One call whose `<operation>_Response` goes through `schema`; a fault the envelope carries becomes a
   * ProviderError of the kind the caller gives it (reads and writes mean different things by the same fault).
   */
  async callFor<S extends z.ZodType>(
    operation: string,
    body: XmlNode,
    schema: S,
    faultKind: (fault: Extract<SoapOutcome, { ok: false }>) => ProviderError['kind'],
  ): Promise<z.output<S>> {
    const outcome = await this.call(operation, body);
    if (!outcome.ok)
      throw new ProviderError(`${operation}: ${outcome.message}`, faultKind(outcome), outcome.status);
    return parseOrFail(schema, outcome.body[`${operation}_Response`], `workday ${operation} response`);
  }

  private securityHeader(): XmlNode | undefined {
    const credentials = this.credentials;
    if (!('username' in credentials)) return undefined;
    return wsSecurityUsernameToken(
      workdayUsername(credentials.username, credentials.tenant),
      credentials.password,
    );
  }
}

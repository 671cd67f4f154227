/**
 * The rule for every URL the hub sends provider credentials to (API base, token endpoint, analytics endpoint):
 * https, or plain http to a loopback host only (local fakes and tunnels). A typo such as `http://api.…` would
 * otherwise send client secrets and tokens in clear text.
 */
import * as z from 'zod';

export const PROVIDER_URL_RULE =
  'must be an https:// URL; plain http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost)';

/** 127.0.0.0/8, ::1 and localhost, as the WHATWG URL parser spells hostnames (IPv4 normalised, IPv6 bracketed). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function isHttpsOrLoopbackUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** A provider URL at a boundary (admin API input, provider settings). */
export const providerUrl = z.url().max(500).refine(isHttpsOrLoopbackUrl, { message: PROVIDER_URL_RULE });

/**
 * Where a connect link may send the customer afterwards: the hub's own origin (its console) or an origin on the
 * deployment's allow-list, nothing else, so a link can never be made into an open redirect.
 */
import { DomainError } from '../domain/errors.js';

const invalid = (message: string) =>
  new DomainError('VALIDATION_FAILED', 'redirectUrl is not allowed', {
    issues: [{ path: 'body.redirectUrl', message }],
  });

/** The effective redirect: the given URL when allowed, else the console of this hub when none is given. */
export function allowedRedirectUrl(
  given: string | undefined,
  options: { publicBaseUrl: string; allowlist: readonly string[] },
): string {
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  if (given === undefined) return `${base}/console`;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw invalid('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('must be an http(s) URL');
  if (url.username || url.password) throw invalid('must not carry credentials');
  const origins = [new URL(base).origin, ...options.allowlist];
  if (!origins.includes(url.origin)) {
    throw invalid('must be on this hub or on the CONNECT_REDIRECT_ALLOWLIST of the deployment');
  }
  return url.toString();
}

/**
 * Configuration of the connect flow (docs/connect.md): lifetimes, where a link may return to, and the local-only
 * provider endpoints that let the page reach the fakes of `npm run fakes`.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import { providerUrl } from '../providers/common/provider-url.js';

/** A connect link is valid for 30 minutes and one successful connection. */
export const SESSION_TTL_SECONDS = 30 * 60;
/** The customer has this long to consent at the provider once the page sent them there. */
export const OAUTH_STATE_TTL_SECONDS = 10 * 60;

const endpointsSchema = z.object({
  /** API base (the provider's `settings.baseUrl`). */
  baseUrl: providerUrl.optional(),
  /** Token endpoint (`settings.authUrl`). */
  authUrl: providerUrl.optional(),
  /** OAuth consent page (Lever `https://auth.lever.co/authorize`). */
  authorizeUrl: providerUrl.optional(),
  /** The hub's OAuth app at the provider; in AWS it comes from the secrets store instead. */
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
});

export type ProviderEndpoints = z.output<typeof endpointsSchema>;

const overridesSchema = z.record(z.string(), endpointsSchema);

/**
 * Provider endpoints from CONNECT_PROVIDERS_FILE, read on every call (the fakes may start after the runtime).
 * Local only: in any other stage, or when the file is absent or invalid, there are none.
 */
export function localProviderEndpoints(
  stage: string,
  file: string | undefined,
): Readonly<Record<string, ProviderEndpoints>> {
  if (stage !== 'local' || !file || !existsSync(file)) return {};
  try {
    const parsed = overridesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** `https://a.example, https://b.example/` → their origins; anything that is not an http(s) origin is dropped. */
export function parseAllowlist(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry) => {
      try {
        const url = new URL(entry);
        return url.protocol === 'https:' || url.protocol === 'http:' ? [url.origin] : [];
      } catch {
        return [];
      }
    });
}

/**
 * zod parsing shared by every provider: configuration, list items, raw JSON. Failures become ProviderErrors
 * whose messages name issue paths only, never values (values may be secrets or personal data).
 */
import * as z from 'zod';
import { decodeUtf8 } from '../../http/body.js';
import { type ProviderContext, ProviderError } from '../../ports/provider.js';

/** An ISO 8601 instant as kept in page tokens and cursors. */
export const isoInstant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not a timestamp');

/** `schema`'s output, or a ProviderError of `kind` naming the failing paths. */
export function parseOrFail<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  kind: 'auth' | 'permanent' = 'permanent',
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new ProviderError(`${what} are invalid: ${paths}`, kind);
  }
  return parsed.data;
}

/**
 * The parser of a provider's client configuration: credentials (refused: `auth`) and settings (refused:
 * `permanent`), with the settings' defaults.
 */
export function configParser<C extends z.ZodType, S extends z.ZodType>(
  provider: string,
  schemas: { credentials: C; settings: S },
): (context: ProviderContext) => { credentials: z.output<C>; settings: z.output<S> } {
  return (context) => ({
    credentials: parseOrFail(schemas.credentials, context.credentials, `${provider} credentials`, 'auth'),
    settings: parseOrFail(schemas.settings, context.settings ?? {}, `${provider} settings`),
  });
}

/** Settings of the OAuth clients (Greenhouse, Lever): token refresh margin and request timeout. */
export const oauthClientSettings = {
  /** Refresh the cached access token this long before it expires. */
  tokenRefreshSkewSeconds: z.number().int().min(0).default(60),
  requestTimeoutMs: z.number().int().positive().default(30_000),
};

/** Every item of a list through `schema`; a non-list or an item of another shape is a `permanent` error. */
export function parseEach<S extends z.ZodType>(items: unknown, schema: S, what: string): z.output<S>[] {
  if (!Array.isArray(items)) throw new ProviderError(`${what}: expected a list`, 'permanent');
  return items.map((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success)
      throw new ProviderError(`${what}: item ${index} has an unexpected shape`, 'permanent');
    return parsed.data;
  });
}

/** The JSON value of a raw body, or undefined when it is not JSON. */
export function parseJson(raw: Buffer | string): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : textOf(raw));
  } catch {
    return undefined;
  }
}

/**
 * `raw.toString('utf8')`, reusing the text the HTTP layer already decoded when the bytes are valid UTF-8 and start
 * with no BOM (then both decodings agree); otherwise decoded here as before.
 */
function textOf(raw: Buffer): string {
  return (raw[0] !== 0xef ? decodeUtf8(raw) : undefined) ?? raw.toString('utf8');
}

/** Ids are strings in the hub; providers with integer ids get numbers back where the id is numeric. */
export function numericId(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

/**
 * Page tokens handed to the sync engine are JSON text: self-contained (the pass state travels with them),
 * JSON-safe, and validated on the way back in so a corrupted token fails loudly instead of restarting a pass.
 */
import type { z } from 'zod';
import { ProviderError } from '../../ports/provider.js';

export function encodePageToken<T>(value: T): string {
  return JSON.stringify(value);
}

export function decodePageToken<S extends z.ZodType>(token: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(token);
  } catch {
    throw new ProviderError('page token is not valid JSON', 'permanent');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ProviderError('page token has an unexpected shape', 'permanent');
  return parsed.data;
}

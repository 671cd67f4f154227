/**
 * The provider names, as plain data. Boundaries that only validate a name (the admin API, queue messages) import
 * this instead of the registry, so their bundles do not carry every provider adapter (docs/performance.md §1.2, B3).
 * shared/providers/registry.ts checks at compile time that this list and its adapters name the same providers.
 */
import * as z from 'zod';

export const providerNames = ['greenhouse', 'lever', 'ashby', 'workday', 'bamboohr'] as const;

export type ProviderName = (typeof providerNames)[number];

/** A provider name at a boundary (API input, queue messages); anything else is refused there. */
export const providerNameSchema = z.enum(providerNames);

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}

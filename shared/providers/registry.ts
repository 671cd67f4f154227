/**
 * Every provider the hub speaks to. Adding one touches only its folder and `providerList`: the provider names
 * (and the zod enum validating them at every boundary), the pacing and the admin API derive from this list.
 */
import * as z from 'zod';
import type { ProviderModule, ProviderPacing } from '../ports/provider.js';
import { provider as ashby } from './ashby/index.js';
import { provider as bamboohr } from './bamboohr/index.js';
import { provider as greenhouse } from './greenhouse/index.js';
import { provider as lever } from './lever/index.js';
import { provider as workday } from './workday/index.js';

export const providerList = [greenhouse, lever, ashby, workday, bamboohr] as const;

export type ProviderName = (typeof providerList)[number]['name'];

export const providerNames = providerList.map((plugin) => plugin.name) as [ProviderName, ...ProviderName[]];

/** A provider name at a boundary (API input, queue messages); anything else is refused there. */
export const providerNameSchema = z.enum(providerNames);

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}

function byName<T>(value: (plugin: (typeof providerList)[number]) => T): Record<ProviderName, T> {
  const entries: Partial<Record<ProviderName, T>> = {};
  for (const plugin of providerList) entries[plugin.name] = value(plugin);
  return entries as Record<ProviderName, T>;
}

/** By name. Mutable on purpose: reliability tests swap one module for a stub. */
export const providers: Record<ProviderName, ProviderModule> = byName((plugin) => plugin);

/** Default pacing of each provider (`settings.rateLimit` overrides it per integration). */
export const providerPacing: Record<ProviderName, ProviderPacing> = byName((plugin) => plugin.pacing);

export function providerModule(name: ProviderName): ProviderModule {
  return providers[name];
}

/**
 * Every provider the hub speaks to. Adding one touches its folder, `providerList` and the name list of
 * ./names.ts (which boundaries import without the adapters); the compiler refuses the two lists disagreeing.
 * The pacing and the admin API derive from this list.
 */
import type { ProviderModule, ProviderPacing } from '../ports/provider.js';
import { provider as ashby } from './ashby/index.js';
import { provider as bamboohr } from './bamboohr/index.js';
import { provider as greenhouse } from './greenhouse/index.js';
import { provider as lever } from './lever/index.js';
import type { ProviderName } from './names.js';
import { provider as workday } from './workday/index.js';

export const providerList = [greenhouse, lever, ashby, workday, bamboohr] as const;

export { isProviderName, type ProviderName, providerNameSchema, providerNames } from './names.js';

// both directions: an adapter whose name ./names.ts lacks, or a listed name without an adapter, fails to compile
type AdapterName = (typeof providerList)[number]['name'];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesAgree: Same<AdapterName, ProviderName> = true;
void namesAgree;

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

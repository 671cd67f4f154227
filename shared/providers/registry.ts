/**
 * Every provider the hub speaks to. Adding one touches its folder, one line of `registry` below and the name list of
 * ./names.ts (which boundaries import without the adapters); the compiler refuses the two disagreeing.
 *
 * Each line is a dynamic `import()`, so the bundler puts each adapter (schemas, mappers, its XML parser) in a chunk
 * of its own that is compiled when first loaded, not at init: webhook-intake and sync-worker load only the provider
 * a request names (docs/performance-results.md, B3).
 */
import type { ProviderLookup, ProviderPacing, ProviderPlugin } from '../ports/provider.js';
import { isProviderName, type ProviderName, providerNames } from './names.js';

export { isProviderName, type ProviderName, providerNameSchema, providerNames } from './names.js';

/**
 * One line per provider. The type is the compile-time check both ways: a name of ./names.ts without a line, a line
 * ./names.ts lacks, or a line whose module declares another name does not compile.
 */
const registry: { readonly [N in ProviderName]: () => Promise<{ provider: ProviderPlugin<N> }> } = {
  greenhouse: () => import('./greenhouse/index.js'),
  lever: () => import('./lever/index.js'),
  ashby: () => import('./ashby/index.js'),
  workday: () => import('./workday/index.js'),
  bamboohr: () => import('./bamboohr/index.js'),
};

const loaded = new Map<ProviderName, Promise<ProviderPlugin>>();

/** One provider's adapter, imported once per execution environment (a failed import is tried again next time). */
export function loadProvider<N extends ProviderName>(name: N): Promise<ProviderPlugin<N>> {
  let pending = loaded.get(name);
  if (!pending) {
    pending = registry[name]().then((module) => module.provider);
    pending.catch(() => loaded.delete(name));
    loaded.set(name, pending);
  }
  return pending as Promise<ProviderPlugin<N>>;
}

/** Every adapter, by name: for the functions that list or configure all providers (admin API, connect page). */
export async function loadProviders(): Promise<Record<ProviderName, ProviderPlugin>> {
  const modules = await Promise.all(providerNames.map((name) => loadProvider(name)));
  return Object.fromEntries(providerNames.map((name, i) => [name, modules[i]])) as Record<
    ProviderName,
    ProviderPlugin
  >;
}

/** The registry as the use cases' port: an unknown name finds nothing (and loads nothing). */
export const findProvider: ProviderLookup = async (name) =>
  isProviderName(name) ? loadProvider(name) : undefined;

/** A provider's default pacing (`settings.rateLimit` overrides it per integration), loaded with its adapter. */
export async function providerPacing(name: ProviderName): Promise<ProviderPacing> {
  return (await loadProvider(name)).pacing;
}

/** Each provider's per-integration settings schema, by name. */
export function settingsSchemasOf(
  modules: Readonly<Record<ProviderName, ProviderPlugin>>,
): Record<ProviderName, ProviderPlugin['settingsSchema']> {
  return Object.fromEntries(providerNames.map((name) => [name, modules[name].settingsSchema])) as Record<
    ProviderName,
    ProviderPlugin['settingsSchema']
  >;
}

/**
 * The provider registry imports each adapter on first use (B3, docs/performance-results.md): one module instance
 * per provider and environment, nothing for a name the hub does not know.
 */
import { describe, expect, it } from 'vitest';
import { lookupIn, type ProviderModule } from '../../../shared/ports/provider.js';
import { provider as greenhouse } from '../../../shared/providers/greenhouse/index.js';
import {
  findProvider,
  loadProvider,
  loadProviders,
  providerNames,
  providerPacing,
  settingsSchemasOf,
} from '../../../shared/providers/registry.js';

describe('the provider registry', () => {
  it('loads the adapter a name stands for', async () => {
    const loaded = await loadProvider('greenhouse');

    expect(loaded).toBe(greenhouse);
  });

  it('hands out the same module on every later load', async () => {
    const first = await loadProvider('lever');

    const again = await loadProvider('lever');

    expect(again).toBe(first);
  });

  it('loads every listed provider under its own name', async () => {
    const all = await loadProviders();

    expect(Object.entries(all).map(([key, module]) => [key, module.name])).toEqual(
      providerNames.map((name) => [name, name]),
    );
  });

  it('finds nothing for a name it does not list, inherited property names included', async () => {
    const found = await Promise.all(['salesforce', 'constructor', '__proto__'].map((n) => findProvider(n)));

    expect(found).toEqual([undefined, undefined, undefined]);
  });

  it('reads the default pacing from the provider module', async () => {
    const pacing = await providerPacing('greenhouse');

    expect(pacing).toBe(greenhouse.pacing);
  });

  it('lists each provider settings schema by name', async () => {
    const schemas = settingsSchemasOf(await loadProviders());

    expect(schemas.greenhouse).toBe(greenhouse.settingsSchema);
  });
});

describe('a lookup over modules at hand', () => {
  it('finds its own entries only', async () => {
    const module = { name: 'greenhouse' } as ProviderModule;
    const lookup = lookupIn({ greenhouse: module });

    const found = await Promise.all(['greenhouse', 'lever', 'toString'].map((n) => lookup(n)));

    expect(found).toEqual([module, undefined, undefined]);
  });
});

/**
 * Every provider the hub speaks to. Adding one touches only its folder and this list.
 */
import type { ProviderName } from '../domain/canonical.js';
import type { ProviderModule } from '../ports/provider.js';
import { provider as ashby } from './ashby/index.js';
import { provider as bamboohr } from './bamboohr/index.js';
import { provider as greenhouse } from './greenhouse/index.js';
import { provider as lever } from './lever/index.js';
import { provider as workday } from './workday/index.js';

export const providers: Readonly<Record<ProviderName, ProviderModule>> = {
  greenhouse,
  lever,
  ashby,
  workday,
  bamboohr,
};

export function providerModule(name: ProviderName): ProviderModule {
  return providers[name];
}

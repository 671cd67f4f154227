/**
 * Every provider fake's contract fixture, keyed by provider name: the one list the provider contract suite
 * (test/integration/sync/contract) runs over. A new provider adds its line here.
 */
import { ashbyFixture } from './ashby/fixture.js';
import { bamboohrFixture } from './bamboohr/fixture.js';
import type { ProviderFixture } from './fixture.js';
import { greenhouseFixture } from './greenhouse/fixture.js';
import { leverFixture } from './lever/fixture.js';
import { workdayFixture } from './workday/fixture.js';

export const fixtures = {
  greenhouse: greenhouseFixture,
  lever: leverFixture,
  ashby: ashbyFixture,
  workday: workdayFixture,
  bamboohr: bamboohrFixture,
} satisfies Record<string, ProviderFixture>;

export const providerFixtures: ProviderFixture[] = Object.values(fixtures);

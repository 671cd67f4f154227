/**
 * Provider contract, the one 10,000-record import per provider: counts equal to what the fake serves, inside its
 * rate limit. The slowest scenario of the suite, split over two files (large-import-1/2) so that the 2-core CI
 * runs halves of it side by side.
 */
import { describe, expect, it } from 'vitest';
import type { ProviderFixture } from '../../../fakes/fixture.js';
import { liveCounts, runSync } from '../harness.js';
import { completed, contractWorlds, providerFixtures } from './world.js';

export function largeImports(half: 0 | 1) {
  const world = contractWorlds();
  const fixtures: ProviderFixture[] = providerFixtures.filter((_, i) => i % 2 === half);
  describe.each(fixtures)('$name large import', (fixture) => {
    it('imports a 10,000-record account with counts equal to what the provider serves, inside its rate limit', {
      timeout: 180_000,
    }, async () => {
      const { w, fake } = await world(fixture, fixture.sizes.large);
      const expected = fake.expected();

      const { run } = await runSync(w, 'full');

      expect(expected.counts.candidates + expected.counts.applications).toBeGreaterThanOrEqual(10_000);
      expect(await liveCounts(w)).toEqual(expected.counts);
      expect(run).toMatchObject({
        status: completed(expected.duplicates),
        records_created: expected.counts.jobs + expected.counts.candidates + expected.counts.applications,
        records_failed: expected.duplicates,
        records_deleted: 0,
      });
      expect(fake.limited()).toBe(0);
    });
  });
}

/**
 * The provider contract suite's set-up: one database per file, the fixture's fake started per test and
 * stopped after it, and a sync world wired to it.
 */
import { expect } from 'vitest';
import type { SyncOptions } from '../../../../shared/sync/options.js';
import type { FakeSize, ProviderFixture, RunningFake } from '../../../fakes/fixture.js';
import { providerFixtures } from '../../../fakes/index.js';
import { createWorld, fileDatabase, type SyncWorld } from '../harness.js';

export { providerFixtures };

export interface ContractWorld {
  w: SyncWorld;
  fake: RunningFake;
}

/** Registers the hooks of one contract file; returns how to start a world for a fixture. */
export function contractWorlds() {
  let running: RunningFake | undefined;
  const database = fileDatabase(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (
    fixture: ProviderFixture,
    size: FakeSize,
    options: Partial<SyncOptions> = {},
  ): Promise<ContractWorld> => {
    const fake = await fixture.start(size);
    running = fake;
    const w = await createWorld({
      db: database(),
      provider: fixture.name,
      module: fixture.module,
      credentials: fake.credentials,
      settings: fake.settings,
      clock: fake.clock,
      options: { ...fixture.options, ...options },
    });
    return { w, fake };
  };
}

/** The run's status where the fake holds second active applications of a pair (reported failed) or not. */
export const completed = (duplicates: number) => (duplicates > 0 ? 'partial' : 'succeeded');

/** An incremental pass re-reads only changes, so it finds remote duplicates only by chance. */
export const finished = expect.stringMatching(/^(succeeded|partial)$/);

export async function deletedLogged(w: SyncWorld, runId: string): Promise<number> {
  const [row] = await w.db.owner<{ n: number }[]>`
    select count(*)::int as n from import_log where sync_run_id = ${runId} and action = 'deleted'`;
  return row!.n;
}

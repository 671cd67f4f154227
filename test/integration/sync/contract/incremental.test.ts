/**
 * Provider contract, incremental passes: for every provider fake, a pass after changes at the provider rewrites
 * only the changed records, a pass after no change writes nothing, and a stored cursor the provider no longer
 * accepts (or the client cannot read) falls back to a full pass that rewrites nothing.
 */
import { describe, expect, it } from 'vitest';
import { HOUR } from '../../../fakes/fixture.js';
import { liveCounts, runSync, watchVersions } from '../harness.js';
import { contractWorlds, finished, providerFixtures } from './world.js';

const world = contractWorlds();

describe.each(providerFixtures)('$name incremental sync', (fixture) => {
  it('touches only the records changed since the last pass', async () => {
    const { w, fake } = await world(fixture, { records: 300, pageSize: 50 });
    await runSync(w, 'full');
    const versions = await watchVersions(w);
    const changed = fake.change();

    const { run } = await runSync(w, 'incremental');

    expect(run).toMatchObject({
      status: finished,
      mode: 'incremental',
      records_deleted: 0,
    });
    expect(await versions.changed()).toBe(changed);
    expect(await liveCounts(w)).toEqual(fake.expected().counts);
  });

  it('writes nothing when nothing changed since the last pass', async () => {
    const { w, fake } = await world(fixture, { records: 120, pageSize: 50 });
    await runSync(w, 'full');
    const versions = await watchVersions(w);
    fake.clock.advance(2 * HOUR);

    const { run } = await runSync(w, 'incremental');

    expect(run).toMatchObject({
      mode: 'incremental',
      records_created: 0,
      records_updated: 0,
      records_deleted: 0,
    });
    expect(await versions.changed()).toBe(0);
  });

  it('falls back to a full pass when the stored cursor is unusable, and stores a fresh one', async () => {
    const { w, fake } = await world(fixture, { records: 120, pageSize: 50 });
    await runSync(w, 'full');
    fake.clock.advance(HOUR);
    const spoiled = await w.db.owner<{ cursor: unknown }[]>`
      select cursor from sync_cursors where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    if (fake.spoilCursor) await fake.spoilCursor(w);
    else
      await w.db.owner`update sync_cursors set cursor = '{"unreadable": true}'::jsonb
        where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    const versions = await watchVersions(w);

    const { run } = await runSync(w, 'incremental');

    expect(run.status).toEqual(finished);
    expect(await versions.changed()).toBe(0);
    expect(await liveCounts(w)).toEqual(fake.expected().counts);
    const [cursor] = await w.db.owner<{ pass_restarts: number; cursor: Record<string, unknown> }[]>`
      select pass_restarts, cursor from sync_cursors where integration_id = ${w.integrationId} and object_type = 'candidate'`;
    expect(cursor!.pass_restarts).toBe(1);
    expect(cursor!.cursor).not.toEqual(spoiled[0]!.cursor);
    expect(cursor!.cursor).not.toHaveProperty('unreadable');
  });
});

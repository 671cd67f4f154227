import { describe, expect, it } from 'vitest';
import { refreshStatistics } from '../../../shared/db/repositories/sync-cursors.js';
import { withTenant } from '../../../shared/db/tenant.js';
import { emptiedDatabase, seedIntegration } from './harness.js';

const db = emptiedDatabase();

/** `count` rejection reasons of the organization, written by the owner (no statistics taken). */
async function addReasons(organizationId: string, count: number) {
  await db.owner`insert into rejection_reasons (organization_id, name)
    select ${organizationId}, 'reason ' || n from generate_series(1, ${count}) as n`;
}

/** The rows the planner's statistics of rejection_reasons count. */
async function counted() {
  const [row] = await db.owner<{ rows: number }[]>`
    select reltuples::int as rows from pg_class where oid = 'public.rejection_reasons'::regclass`;
  return row!.rows;
}

async function refresh(organizationId: string) {
  await withTenant(db.app, organizationId, 'worker', (tx) => refreshStatistics(tx, 'rejection_reason'));
}

/** The organization's reasons: `analyzed` of them when the statistics were taken, `added` written since. */
async function reasonsGrownBy(analyzed: number, added: number) {
  const { organizationId } = await seedIntegration(db.owner, 'greenhouse', {});
  await addReasons(organizationId, analyzed);
  await db.owner`vacuum analyze rejection_reasons`;
  await addReasons(organizationId, added);
  return organizationId;
}

describe('statistics refresh after a bulk import', () => {
  it('analyzes a table that has grown by more than half since its statistics', async () => {
    const organizationId = await reasonsGrownBy(300, 600);

    await refresh(organizationId);

    expect(await counted()).toBe(900);
  });

  it('leaves the statistics of a table that has barely grown as they are', async () => {
    const organizationId = await reasonsGrownBy(300, 1);

    await refresh(organizationId);

    expect(await counted()).toBe(300);
  });
});

/**
 * A transaction whose prepared statements the server lost (SQLSTATE 26000: a failover, a proxy moving the session,
 * DEALLOCATE) is run again from its start, not just the failing statement: the first attempt is rolled back
 * whole and its writes happen exactly once (shared/db/tenant.ts; docs/performance-results.md, RDS Proxy).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDbClient, type Sql } from '../../../shared/db/client.js';
import { isLostPreparedStatement, type Tx, withTenant } from '../../../shared/db/tenant.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();
const pools: Sql[] = [];

afterAll(async () => {
  for (const pool of pools) await pool.end({ timeout: 1 });
});

/** One connection with named prepared statements, as a function with `prepare: true` has. */
function preparingPool(): Sql {
  const pool = createDbClient({ url: seeded.db.appUrl, max: 1, prepare: true });
  pools.push(pool);
  return pool;
}

const tagsNamed = (names: string[]) =>
  seeded.db.owner<{ name: string }[]>`select name from tags where name = any(${names}) order by name`;

describe('a lost prepared statement', () => {
  it('is recognised by its SQLSTATE', () => {
    expect(isLostPreparedStatement({ code: '26000' })).toBe(true);
    expect(isLostPreparedStatement({ code: '0A000', routine: 'RevalidateCachedQuery' })).toBe(true);
    expect(isLostPreparedStatement({ code: '23505' })).toBe(false);
  });

  it('makes the whole transaction run again, and its writes land once', async () => {
    const sql = preparingPool();
    const org = seeded.graph.organizationId;
    let runs = 0;
    const insertTwo = (first: string, second: string) => async (tx: Tx) => {
      runs += 1;
      await tx`insert into tags (organization_id, name) values (${org}, ${first})`;
      await tx`insert into tags (organization_id, name, source) values (${org}, ${second}, 'hub')`;
    };
    // both statements prepared on the connection, then dropped by the server behind postgres.js's back
    await withTenant(sql, org, 'ats', insertTwo(`warm-a-${randomUUID()}`, `warm-b-${randomUUID()}`));
    await sql.unsafe('deallocate all', [], { prepare: false });
    runs = 0;
    const names = [`a-${randomUUID()}`, `b-${randomUUID()}`];

    await withTenant(sql, org, 'ats', insertTwo(names[0]!, names[1]!));

    expect(runs).toBe(2);
    expect((await tagsNamed(names)).map((r) => r.name)).toEqual([...names].sort());
  });

  it('is not retried for other errors', async () => {
    const sql = preparingPool();
    let runs = 0;

    const failing = withTenant(sql, seeded.graph.organizationId, 'ats', async (tx) => {
      runs += 1;
      await tx`select 1 / 0`;
    });

    await expect(failing).rejects.toThrow(/division by zero/);
    expect(runs).toBe(1);
  });
});

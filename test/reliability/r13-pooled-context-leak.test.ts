/**
 * R13 Pooled-connection context leak: a runtime-role pool with max = 2; 10,000 transactions through the
 * product's `withTenant`, alternating tenants A and B, 8 logical workers interleaving on the two connections,
 * with random failures inside the transaction (a thrown error before the first statement, after a read, or a
 * database error). Each transaction reads rows of two tenant tables (all must be its own tenant's), and after
 * each one a fresh checkout of the pool reads `current_setting('app.organization_id', true)` outside any
 * transaction: it must be empty (settings are transaction-local).
 */
import '../support/quiet-logs.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import { withTenant } from '../../shared/db/tenant.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedTenantGraph, type TenantGraph } from '../support/fixtures.js';
import { describeOnPostgres, figures, histogram, randomFor, runs, scaled } from '../support/reliability.js';

const TOTAL = runs(10_000);
const WORKERS = 8;
let db: TestDatabase;
let pool: Sql;
let a: TenantGraph;
let b: TenantGraph;

class Injected extends Error {}

describeOnPostgres('R13', 'pooled-connection context leak', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 1 });
    a = await seedTenantGraph(db.owner, 'A');
    b = await seedTenantGraph(db.owner, 'B');
    pool = createDbClient({ url: db.appUrl, max: 2 });
  });

  afterAll(async () => {
    await pool?.end({ timeout: 1 });
    await db?.close();
  });

  it('never lets a tenant context survive its transaction', async () => {
    const { random } = randomFor('R13');
    let next = 0;
    let committed = 0;
    const n = { wrongTenantRows: 0, leftover: 0, unsafe: 0, unexpectedErrors: 0 };
    const injected: string[] = [];
    const afterValues: string[] = [];
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const tenant = i % 2 === 0 ? a : b;
        const fault = random();
        try {
          await withTenant(pool, tenant.organizationId, 'ats', async (tx) => {
            if (fault < 0.1) throw new Injected('before any statement');
            const rows = await tx<{ organization_id: string }[]>`
              select organization_id from candidates union all select organization_id from jobs`;
            n.wrongTenantRows += rows.filter((r) => r.organization_id !== tenant.organizationId).length;
            if (rows.length === 0) n.wrongTenantRows++; // own rows must be visible
            if (fault < 0.2) throw new Injected('after a read');
            if (fault < 0.3) await tx`select 1 / 0`;
            // a write now and then (commits of read-only transactions cost no WAL flush, keeping the run short)
            if (fault > 0.95)
              await tx`update candidates set updated_at = now() where id = ${tenant.candidateId}`;
          });
          committed++;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'UNSAFE_TRANSACTION') n.unsafe++;
          else if (error instanceof Injected) injected.push(error.message);
          else if (code === '22012') injected.push('database error');
          else n.unexpectedErrors++;
        }
        const [after] = await pool<{ org: string | null; role: string | null }[]>`
          select current_setting('app.organization_id', true) as org, current_setting('app.role', true) as role`;
        afterValues.push(after!.org === null ? 'null' : after!.org === '' ? "''" : 'set');
        if ((after!.org ?? '') !== '' || (after!.role ?? '') !== '') n.leftover++;
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    figures('R13', 'pooled-connection context leak', {
      transactions: scaled(10_000, TOTAL),
      poolMax: 2,
      workers: WORKERS,
      committed,
      injectedFailures: histogram(injected),
      wrongTenantRows: n.wrongTenantRows,
      leftoverContext: n.leftover,
      unsafeTransaction: n.unsafe,
      unexpectedErrors: n.unexpectedErrors,
      settingAfterTransaction: histogram(afterValues),
    });
    expect(n).toEqual({
      wrongTenantRows: 0,
      leftover: 0,
      unsafe: 0,
      unexpectedErrors: 0,
    });
  });
});

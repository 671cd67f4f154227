import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../shared/db/tenant.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { seedTenantGraph, type TenantGraph, tenantTables } from '../../support/fixtures.js';

let db: TestDatabase;
let a: TenantGraph;
let b: TenantGraph;
let tables: string[];

const orgColumn = (table: string) => (table === 'organizations' ? 'id' : 'organization_id');

beforeAll(async () => {
  db = await createTestDatabase();
  a = await seedTenantGraph(db.owner, 'A');
  b = await seedTenantGraph(db.owner, 'B');
  tables = await tenantTables(db.owner);
});

afterAll(async () => {
  await db?.close();
});

describe(`tenant isolation (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('has fixture rows for both tenants in every tenant table', async () => {
    for (const table of tables) {
      const [row] = await db.owner.unsafe(
        `select count(*) filter (where ${orgColumn(table)} = $1)::int as a, count(*) filter (where ${orgColumn(table)} = $2)::int as b from ${table}`,
        [a.organizationId, b.organizationId],
      );
      expect({ table, a: row!.a > 0, b: row!.b > 0 }).toEqual({ table, a: true, b: true });
    }
  });

  it('shows tenant A none of tenant B’s rows in any table', async () => {
    for (const table of tables) {
      const [row] = await withTenant(db.app, a.organizationId, 'admin', (tx) =>
        tx.unsafe(`select count(*)::int as n from ${table} where ${orgColumn(table)} = $1`, [
          b.organizationId,
        ]),
      );
      expect({ table, visible: row!.n }).toEqual({ table, visible: 0 });
    }
  });

  it('shows no rows at all without a tenant', async () => {
    for (const table of tables) {
      const [row] = await db.app.unsafe(`select count(*)::int as n from ${table}`);
      expect({ table, visible: row!.n }).toEqual({ table, visible: 0 });
    }
  });

  it('refuses an insert carrying another tenant’s organization_id', async () => {
    const attempt = withTenant(
      db.app,
      a.organizationId,
      'ats',
      (tx) =>
        tx`insert into candidates (organization_id, first_name, last_name, email)
         values (${b.organizationId}, 'Eve', 'X', 'eve@example.com')`,
    );
    await expect(attempt).rejects.toThrow(/row-level security/);
  });

  it('refuses moving an own row into another tenant', async () => {
    const attempt = withTenant(
      db.app,
      a.organizationId,
      'ats',
      (tx) => tx`update candidates set organization_id = ${b.organizationId} where id = ${a.candidateId}`,
    );
    await expect(attempt).rejects.toThrow(/row-level security/);
  });

  it('changes nothing when updating another tenant’s row by id', async () => {
    const updated = await withTenant(
      db.app,
      a.organizationId,
      'ats',
      (tx) => tx`update candidates set first_name = 'Mallory' where id = ${b.candidateId}`,
    );
    expect(updated.count).toBe(0);
  });

  it('refuses a reference to another tenant’s row', async () => {
    const attempt = withTenant(
      db.app,
      a.organizationId,
      'ats',
      (tx) =>
        tx`insert into applications (organization_id, candidate_id, job_id, stage_id, source)
         values (${a.organizationId}, ${a.candidateId}, ${b.jobId}, ${b.stageIds[0]!}, 'ats')`,
    );
    await expect(attempt).rejects.toMatchObject({ code: '23503' });
  });

  it('hides integrations from the portal role of the same tenant', async () => {
    const rows = await withTenant(
      db.app,
      a.organizationId,
      'portal',
      (tx) => tx`select id from integrations`,
    );
    expect(rows).toHaveLength(0);
  });

  it('forgets the tenant when the transaction ends', async () => {
    await withTenant(db.app, a.organizationId, 'ats', (tx) => tx`select 1`);
    const [row] = await db.app`select coalesce(current_setting('app.organization_id', true), '') as org`;
    expect(row!.org).toBe('');
  });
});

describe('runtime role', () => {
  it('is neither superuser nor BYPASSRLS', async () => {
    const [role] = await db.app`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('owns no table', async () => {
    const owned = await db.app`select relname from pg_class c join pg_roles r on r.oid = c.relowner
      where r.rolname = current_user and c.relkind in ('r', 'p', 'v', 'm')`;
    expect(owned).toHaveLength(0);
  });

  it('connects as hub_app', async () => {
    const [row] = await db.app`select current_user as u`;
    expect(row!.u).toBe('hub_app');
  });
});

describe('catalog', () => {
  it('enables and forces row-level security on every tenant table', async () => {
    const rows = await db.owner<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
      select relname, relrowsecurity, relforcerowsecurity from pg_class
      where relname = any(${tables}) and relnamespace = 'public'::regnamespace order by relname`;
    const lacking = rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname);
    expect(rows.length).toBe(tables.length);
    expect(lacking).toEqual([]);
  });

  it('finds the tenant tables of the data model', () => {
    expect(tables).toEqual(
      expect.arrayContaining(['applications', 'candidates', 'jobs', 'outbox', 'webhook_deliveries']),
    );
  });
});

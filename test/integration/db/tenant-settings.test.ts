import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../shared/db/tenant.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';

let db: TestDatabase;
let tenant: TenantGraph;

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await seedTenantGraph(db.owner, 'A');
});

afterAll(async () => {
  await db?.close();
});

const jitSetting = (tx: Parameters<Parameters<typeof withTenant>[3]>[0]) =>
  tx<{ jit: string }[]>`select current_setting('jit') as jit`.then(([row]) => row!.jit);

describe('transaction settings', () => {
  it('turns JIT compilation off inside a transaction that asks for it', async () => {
    const jit = await withTenant(db.app, tenant.organizationId, 'worker', jitSetting, { jit: false });

    expect(jit).toBe('off');
  });

  it('leaves JIT compilation as configured in the next transaction on the connection', async () => {
    const configured = await withTenant(db.app, tenant.organizationId, 'worker', jitSetting);
    await withTenant(db.app, tenant.organizationId, 'worker', jitSetting, { jit: false });

    const after = await withTenant(db.app, tenant.organizationId, 'worker', jitSetting);

    expect(after).toBe(configured);
  });
});

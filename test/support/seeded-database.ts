import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.js';
import { seedTenantGraph, type TenantGraph } from './fixtures.js';

export interface SeededDatabase {
  db: TestDatabase;
  graph: TenantGraph;
}

/**
 * Registers the file's hooks: a migrated database with one seeded organization before its tests (and before
 * the file's own `beforeAll`, registered later), closed after them.
 */
export function seededDatabase(): SeededDatabase {
  const seeded = {} as SeededDatabase;
  beforeAll(async () => {
    seeded.db = await createTestDatabase();
    seeded.graph = await seedTenantGraph(seeded.db.owner);
  });
  afterAll(async () => {
    await seeded.db?.close();
  });
  return seeded;
}

import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, MigrationChecksumError, migrate } from '../../../shared/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

describe('migration runner', () => {
  it('records every migration file once', async () => {
    const files = (await readdir('migrations')).filter((f) => f.endsWith('.sql'));
    const rows = await db.owner`select version from schema_migrations order by version`;
    expect(rows.map((r) => `${r.version}.sql`)).toEqual(files.sort());
  });

  it('applies nothing on a second run', async () => {
    const result = await migrate(db.owner);
    expect(result.applied).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const [first, ...rest] = await loadMigrations();
    const edited = { ...first!, checksum: 'edited', sql: `${first!.sql}\n-- edit` };
    await expect(migrate(db.owner, [edited, ...rest])).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it('applies a new migration in its own transaction and rolls back a failing one entirely', async () => {
    const existing = await loadMigrations();
    const failing = {
      version: '9999_failing',
      checksum: 'x',
      sql: 'create table t_partial (id int); select 1/0;',
    };
    await expect(migrate(db.owner, [...existing, failing])).rejects.toThrow();
    const [row] = await db.owner`select to_regclass('t_partial') as t`;
    expect(row!.t).toBeNull();
  });

  it('serialises two runners started at once', async () => {
    const existing = await loadMigrations();
    const extra = { version: '9998_concurrent', checksum: 'c', sql: 'create table t_once (id int);' };
    const results = await Promise.all([
      migrate(db.owner, [...existing, extra]),
      migrate(db.owner, [...existing, extra]),
    ]);
    expect(results.flatMap((r) => r.applied)).toEqual(['9998_concurrent']);
  });

  it('keeps migration files named in order', async () => {
    const files = (await readdir('migrations')).filter((f) => f.endsWith('.sql'));
    for (const f of files) expect((await readFile(`migrations/${f}`, 'utf8')).length).toBeGreaterThan(0);
    expect(files).toEqual([...files].sort());
  });
});

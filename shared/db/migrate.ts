import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from 'postgres';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Any constant works; it only has to be the same for every process running migrations. */
const MIGRATION_LOCK_KEY = 7_204_113_901;

export interface Migration {
  version: string;
  checksum: string;
  sql: string;
}

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export class MigrationChecksumError extends Error {
  constructor(readonly version: string) {
    super(`migration ${version} was changed after it was applied`);
    this.name = 'MigrationChecksumError';
  }
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(join(dir, file), 'utf8');
      return {
        version: file.replace(/\.sql$/, ''),
        checksum: createHash('sha256').update(sql).digest('hex'),
        sql,
      };
    }),
  );
}

/**
 * Forward-only, ordered, checksummed; one transaction per file. Each transaction first takes a
 * transaction-scoped advisory lock, so concurrent runners serialise and the later one finds the file
 * applied (a transaction-scoped lock also works through RDS Proxy without pinning a session).
 */
export async function migrate(sql: Sql, migrations?: Migration[]): Promise<MigrationResult> {
  const all = migrations ?? (await loadMigrations());
  const result: MigrationResult = { applied: [], skipped: [] };
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`create table if not exists schema_migrations (
      version text primary key, checksum text not null, applied_at timestamptz not null default now())`;
  });
  for (const migration of all) {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
      const [existing] = await tx<{ checksum: string }[]>`
        select checksum from schema_migrations where version = ${migration.version}`;
      if (existing) {
        if (existing.checksum !== migration.checksum) throw new MigrationChecksumError(migration.version);
        result.skipped.push(migration.version);
        return;
      }
      await tx.unsafe(migration.sql);
      await tx`insert into schema_migrations (version, checksum) values (${migration.version}, ${migration.checksum})`;
      result.applied.push(migration.version);
    });
  }
  return result;
}

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../infra/local/embedded-postgres.js';
import { appUrlFrom, createDbClient, type Sql } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';

export interface TestDatabase {
  kind: 'postgres' | 'pglite';
  /** Owner (migrations, fixtures). */
  ownerUrl: string;
  /** Runtime role hub_app. */
  appUrl: string;
  owner: Sql;
  /** A pool of the runtime role; `max` as requested. */
  app: Sql;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a clone of the migrated template on a real PostgreSQL
 * (DATABASE_URL), or an in-memory embedded PGlite served over a socket.
 */
export async function createTestDatabase(options: { appMax?: number } = {}): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const baseUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  let ownerUrl: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (template && baseUrl) {
    const name = `hub_test_${randomBytes(6).toString('hex')}`;
    const admin = createDbClient({ url: baseUrl, max: 1 });
    await admin.unsafe(`create database ${name} template ${template}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    ownerUrl = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const snapshot = inject('pgliteSnapshot');
    embedded = await startEmbeddedPostgres(
      snapshot ? { loadDataDir: new Blob([await readFile(snapshot)]) } : {},
    );
    ownerUrl = embedded.url();
  }
  const owner = createDbClient({ url: ownerUrl, max: 2 });
  if (embedded && !inject('pgliteSnapshot')) await migrate(owner);
  const appUrl = appUrlFrom(ownerUrl, 'hub_app');
  const app = createDbClient({ url: appUrl, max: options.appMax ?? 4 });
  return {
    kind: embedded ? 'pglite' : 'postgres',
    ownerUrl,
    appUrl,
    owner,
    app,
    async close() {
      await app.end({ timeout: 1 });
      await owner.end({ timeout: 1 });
      if (dropDatabase) await dropDatabase();
      if (embedded) await embedded.stop();
    },
  };
}

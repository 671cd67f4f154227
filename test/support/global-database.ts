import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../infra/local/embedded-postgres.js';
import { createDbClient } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string | null;
    /** A migrated PGlite data directory (tar), so each test file skips the migrations. */
    pgliteSnapshot: string | null;
  }
}

/**
 * With DATABASE_URL (a real PostgreSQL, owner credentials), migrate one template database once; each test
 * file then clones it. Without it, every file starts its own embedded PGlite (see test/support/db.ts).
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('templateDatabase', null);
    const embedded = await startEmbeddedPostgres();
    const owner = createDbClient({ url: embedded.url(), max: 1 });
    await migrate(owner);
    await owner.end();
    const dir = await mkdtemp(join(tmpdir(), 'hub-pglite-'));
    const file = join(dir, 'migrated.tar');
    await writeFile(file, Buffer.from(await (await embedded.db.dumpDataDir('none')).arrayBuffer()));
    await embedded.stop();
    project.provide('pgliteSnapshot', file);
    return async () => {
      await rm(dir, { recursive: true, force: true });
    };
  }
  project.provide('pgliteSnapshot', null);
  const template = `hub_template_${process.pid}`;
  const admin = createDbClient({ url, max: 1 });
  await admin.unsafe(`drop database if exists ${template}`);
  await admin.unsafe(`create database ${template}`);
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${template}`;
  const owner = createDbClient({ url: templateUrl.toString(), max: 1 });
  await migrate(owner);
  await owner.end();
  project.provide('templateDatabase', template);
  return async () => {
    await admin.unsafe(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}

import type { TestProject } from 'vitest/node';
import { createDbClient } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string | null;
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
    return;
  }
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

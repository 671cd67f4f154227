/** `npm run migrate`: applies migrations/ to DATABASE_URL (owner credentials), or to the local embedded database. */
import { join } from 'node:path';
import { createDbClient } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';
import { startEmbeddedPostgres } from '../local/embedded-postgres.js';

const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: join(process.env.LOCAL_DIR ?? '.local', 'pgdata') });
const sql = createDbClient({ url: process.env.DATABASE_URL ?? embedded!.url(), max: 1 });
try {
  const result = await migrate(sql);
  process.stdout.write(
    `applied: ${result.applied.join(', ') || 'none'}; already applied: ${result.skipped.length}\n`,
  );
} finally {
  await sql.end();
  await embedded?.stop();
}

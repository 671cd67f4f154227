/**
 * Operator command: run the analytics export on demand, with the very use case of the scheduled function.
 *
 *   npm run export -- --org <organizationId> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--s3] [--out-dir DIR] [--no-push]
 *   npm run export -- --all [...]
 *
 * Period: as the schedule (shared/analytics/period.ts): `--to` defaults to yesterday (UTC), `--from` to 30
 * days ending at `--to`; both days included.
 *
 * Database (always the runtime role hub_app, so row-level security applies):
 * - `DATABASE_APP_URL`, or `DATABASE_URL` (owner URL) with `DATABASE_APP_USER` / `DATABASE_APP_PASSWORD`;
 * - neither set: the local runtime's embedded database in `<LOCAL_DIR>/pgdata`, opened in this process.
 *   PGlite is single-process, so this is refused while the local runtime (`npm start`) is running (its
 *   `/health` answers at the `baseUrl` of `<LOCAL_DIR>/credentials.json`): stop it first, or point
 *   DATABASE_URL at a database the runtime serves.
 *
 * Objects: with `--s3` (or `S3_ENDPOINT` set) to the bucket `BUCKET_NAME` through the S3 adapter; otherwise
 * as plain files under `--out-dir` (default `<LOCAL_DIR>`), so `.local/exports/<org>/<date>/report.html`
 * can be opened directly (and rendered with `npm run report:png`).
 *
 * Pushes: credentials from `SECRETS_FILE` (default `<LOCAL_DIR>/secrets.json`, local file store) when that
 * file exists, otherwise Secrets Manager. `--no-push` skips every provider push.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AnalyticsExportIncompleteError,
  type AnalyticsExportSummary,
  runAnalyticsExport,
} from '../../functions/analytics-export/use-case.js';
import { parseIsoDate } from '../../shared/analytics/period.js';
import { S3ObjectStore, s3ClientConfigFromEnv } from '../../shared/aws/s3-object-store.js';
import { type Env, env } from '../../shared/config/env.js';
import { appUrlFrom, createDbClient, type Sql } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';
import { systemClock } from '../../shared/ports/clock.js';
import type {
  ObjectStore,
  PresignedGet,
  PresignedPost,
  StoredObject,
} from '../../shared/ports/object-store.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import { loadProviders, type ProviderName } from '../../shared/providers/registry.js';
import { createSecretStore } from '../../shared/runtime/aws-adapters.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../local/embedded-postgres.js';
import { FileSecretStore } from '../local/file-secrets.js';
import { readCredentials } from '../local/seed.js';
import { runIfMain } from './run-main.js';

const USAGE = `usage: npm run export -- (--org <organizationId> | --all) [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                         [--s3] [--out-dir DIR] [--no-push]`;

/** Plain files under a root directory, one file per key (no tags, no presigned uploads). */
export class DirectoryObjectStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file of a key; a key can never point outside the root. */
  pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`key escapes the output directory: ${key}`);
    return path;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, body);
    await rename(temp, path);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const path = this.pathOf(key);
    if (!existsSync(path)) return undefined;
    return { body: await readFile(path), contentType: undefined, metadata: {} };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Files keep one version: the current one, or none. */
  async deleteAllVersions(key: string, options: { keepCurrent?: boolean } = {}): Promise<number> {
    if (options.keepCurrent || !existsSync(this.pathOf(key))) return 0;
    await this.delete(key);
    return 1;
  }

  async list(prefix: string): Promise<string[]> {
    const walk = async (dir: string): Promise<string[]> => {
      if (!existsSync(dir)) return [];
      const entries = await readdir(dir, { withFileTypes: true });
      const nested = await Promise.all(
        entries.map((e) =>
          e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
        ),
      );
      return nested.flat();
    };
    const files = await walk(this.root);
    return files
      .map((f) => relative(this.root, f).split(sep).join('/'))
      .filter((k) => k.startsWith(prefix))
      .sort();
  }

  async getTags(): Promise<Record<string, string>> {
    return {};
  }

  async putTags(): Promise<void> {
    throw new Error('DirectoryObjectStore keeps no tags');
  }

  async presignPost(): Promise<PresignedPost> {
    throw new Error('DirectoryObjectStore has no uploads');
  }

  async presignGet(): Promise<PresignedGet> {
    throw new Error('DirectoryObjectStore hands out no links');
  }
}

async function localRuntimeAnswers(config: Env): Promise<string | undefined> {
  const credentials = readCredentials(join(config.LOCAL_DIR, 'credentials.json'));
  const baseUrl = credentials?.baseUrl ?? config.PUBLIC_BASE_URL;
  try {
    await fetch(new URL('/health', baseUrl), { signal: AbortSignal.timeout(1000) });
    return baseUrl;
  } catch {
    return undefined;
  }
}

interface Database {
  sql: Sql;
  description: string;
  close(): Promise<void>;
}

async function openDatabase(config: Env): Promise<Database> {
  if (config.DATABASE_APP_URL || config.DATABASE_URL) {
    const url =
      config.DATABASE_APP_URL ??
      appUrlFrom(config.DATABASE_URL!, config.DATABASE_APP_USER, config.DATABASE_APP_PASSWORD);
    const sql = createDbClient({ url, max: 2, prepare: config.DATABASE_PREPARE, application: 'export-cli' });
    const where = new URL(url);
    return {
      sql,
      description: `${where.hostname}:${where.port || 5432}${where.pathname} as ${decodeURIComponent(where.username)}`,
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const running = await localRuntimeAnswers(config);
  if (running) {
    throw new Error(
      `the local runtime is running (${running}) and holds the embedded database in ${config.LOCAL_DIR}/pgdata: ` +
        'stop it first, or set DATABASE_URL to a PostgreSQL database',
    );
  }
  const dataDir = join(config.LOCAL_DIR, 'pgdata');
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir });
  const owner = createDbClient({ url: embedded.url(), max: 1 });
  try {
    await migrate(owner);
  } finally {
    await owner.end({ timeout: 5 });
  }
  const sql = createDbClient({ url: embedded.url('hub_app'), max: 1, application: 'export-cli' });
  return {
    sql,
    description: `embedded database in ${dataDir}`,
    close: async () => {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}

/** Built on first use: a run without pushes never creates an AWS client. */
function secretStore(config: Env): SecretStore {
  let store: SecretStore | undefined;
  const make = (): SecretStore => {
    const path = config.SECRETS_FILE ?? join(config.LOCAL_DIR, 'secrets.json');
    return existsSync(path)
      ? new FileSecretStore({
          path,
          maxAgeSeconds: config.SECRETS_CACHE_SECONDS,
          prefix: config.SECRETS_PREFIX,
        })
      : createSecretStore(config);
  };
  return {
    get: <T extends Record<string, unknown> = Record<string, unknown>>(name: string) => {
      store ??= make();
      return store.get<T>(name);
    },
    put: (name, value) => {
      store ??= make();
      return store.put(name, value);
    },
  };
}

function printSummary(summary: AnalyticsExportSummary, locate: (key: string) => string): void {
  console.log(`period ${summary.periodFrom} .. ${summary.periodTo} (UTC, both days included)`);
  for (const org of summary.organizations) {
    console.log(`\norganization ${org.organizationId}: ${org.status}${org.error ? ` (${org.error})` : ''}`);
    for (const key of org.objects) console.log(`  ${locate(key)}`);
    for (const push of org.pushes) {
      console.log(
        `  push ${push.provider} ${push.integrationId}: ${push.status}${push.reason ? ` (${push.reason}: ${push.message ?? ''})` : ''}`,
      );
    }
  }
  const { succeeded, partial, failed } = summary.counts;
  console.log(`\n${succeeded} succeeded, ${partial} partial, ${failed} failed`);
}

const parseCliArgs = (input: string[]) =>
  parseArgs({
    args: input,
    options: {
      org: { type: 'string' },
      all: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      s3: { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      'no-push': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(argv);
    for (const date of [args.values.from, args.values.to]) if (date !== undefined) parseIsoDate(date);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = args;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.org === !values.all) {
    console.error(`name one organization with --org, or export every organization with --all\n${USAGE}`);
    return 2;
  }

  const config = env();
  const useS3 = values.s3 || config.S3_ENDPOINT !== undefined;
  const directory = useS3 ? undefined : new DirectoryObjectStore(values['out-dir'] ?? config.LOCAL_DIR);
  const objects: ObjectStore =
    directory ??
    new S3ObjectStore({ bucket: config.BUCKET_NAME, clientConfig: s3ClientConfigFromEnv(config) });
  const locate = (key: string) =>
    directory
      ? directory.pathOf(key)
      : `s3://${config.BUCKET_NAME}/${key}${config.S3_ENDPOINT ? ` (${config.S3_ENDPOINT})` : ''}`;

  let database: Database;
  try {
    database = await openDatabase(config);
  } catch (error) {
    console.error(`cannot open the database: ${(error as Error).message}`);
    return 1;
  }
  console.log(`database: ${database.description}`);
  console.log(`objects:  ${directory ? directory.root : `s3://${config.BUCKET_NAME}`}`);
  try {
    const providers = await loadProviders();
    const deps = {
      sql: database.sql,
      objects,
      secrets: secretStore(config),
      providerModule: values['no-push'] ? () => undefined : (name: ProviderName) => providers[name],
      clock: systemClock,
      concurrency: 1,
    };
    const summary = await runAnalyticsExport(deps, {
      task: 'daily-export',
      organizationId: values.org,
      from: values.from,
      to: values.to,
    }).catch((error: unknown) => {
      if (error instanceof AnalyticsExportIncompleteError) return error.summary;
      throw error;
    });
    printSummary(summary, locate);
    const html = summary.organizations.flatMap((o) => o.objects).find((k) => k.endsWith('report.html'));
    if (directory && html) console.log(`\nas PNG: npm run report:png -- ${directory.pathOf(html)}`);
    return summary.counts.failed > 0 ? 1 : 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    console.error(
      `export failed: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
    return 1;
  } finally {
    await database.close();
  }
}

runIfMain(import.meta.url, main);

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appUrlFrom, createDbClient, type Sql } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CI_SCRIPT = join(REPO_ROOT, '.ci/postgres.sh');

/** PostgreSQL server binaries (pgbench, psql, pg_test_fsync): `pg_config --bindir`, else the newest install. */
export function pgBinDir(): string {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'pgbench'))) return dir;
  } catch {
    // fall through
  }
  for (const v of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(dir, 'pgbench'))) return dir;
  }
  throw new Error('PostgreSQL binaries (pgbench, psql) not found');
}

export interface PgServer {
  /** Superuser (owner) URL of the `postgres` database. */
  url: string;
  /** True when this process started the server (and must stop it). */
  owned: boolean;
  stop(): void;
}

let stopHook: (() => void) | undefined;

function stopOnExit(stop: () => void): void {
  stopHook = stop;
  const once = () => {
    const hook = stopHook;
    stopHook = undefined;
    hook?.();
  };
  process.once('exit', once);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      once();
      process.exit(130);
    });
  }
}

/**
 * `DATABASE_URL` when set; otherwise a throwaway server started exactly as CI does (`.ci/postgres.sh`
 * `pg_start`: initdb + pg_ctl as the postgres user, free loopback port, trust auth; here also preloading
 * pg_stat_statements), stopped by `pg_stop`
 * when the run ends, also on failure or Ctrl-C.
 */
export function startServer(): PgServer {
  const given = process.env.DATABASE_URL;
  if (given) return { url: given, owned: false, stop: () => {} };
  const out = execFileSync(
    'bash',
    ['-c', `source "${CI_SCRIPT}" && pg_start >&2 && printf '%s\\n' "$PG_TMP" "$PG_BINDIR" "$DATABASE_URL"`],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      // B2's page-time breakdown reads the server's time per statement; the module costs every side alike
      env: { ...process.env, PG_SERVER_OPTIONS: '-c shared_preload_libraries=pg_stat_statements' },
    },
  );
  const [tmp, bindir, url] = out.trim().split('\n');
  if (!tmp || !bindir || !url) throw new Error(`pg_start printed no server: ${out}`);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync('bash', ['-c', `source "${CI_SCRIPT}" && pg_stop`], {
      env: { ...process.env, PG_TMP: tmp, PG_BINDIR: bindir },
      stdio: 'ignore',
    });
  };
  stopOnExit(stop);
  return { url, owned: true, stop };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Admin connection for CREATE/DROP DATABASE and server settings. */
export function adminClient(serverUrl: string): Sql {
  return createDbClient({ url: serverUrl, max: 1, application: 'bench-admin' });
}

/** Migrates a template database once per run; every benchmark clones it. */
export async function createTemplate(serverUrl: string): Promise<string> {
  const name = `bench_template_${randomBytes(4).toString('hex')}`;
  const admin = adminClient(serverUrl);
  try {
    await admin.unsafe(`create database ${name}`);
    const owner = createDbClient({
      url: withDatabase(serverUrl, name),
      max: 1,
      application: 'bench-migrate',
    });
    try {
      await migrate(owner);
    } finally {
      await owner.end({ timeout: 1 });
    }
  } finally {
    await admin.end({ timeout: 1 });
  }
  return name;
}

export interface BenchDatabase {
  name: string;
  /** Owner (superuser) URL: seeding, counters, reference tools that need the owner. */
  ownerUrl: string;
  /** Runtime role hub_app, as the handlers connect. */
  appUrl: string;
  owner: Sql;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template. */
export async function createBenchDatabase(
  serverUrl: string,
  template: string,
  label: string,
): Promise<BenchDatabase> {
  const name = `bench_${label.toLowerCase().replace(/[^a-z0-9]/g, '_')}_${randomBytes(3).toString('hex')}`;
  const admin = adminClient(serverUrl);
  await admin.unsafe(`create database ${name} template ${template}`);
  const ownerUrl = withDatabase(serverUrl, name);
  const owner = createDbClient({ url: ownerUrl, max: 2, application: 'bench-owner' });
  return {
    name,
    ownerUrl,
    appUrl: appUrlFrom(ownerUrl, 'hub_app'),
    owner,
    async drop() {
      await owner.end({ timeout: 1 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}

/**
 * libpq connection arguments of a URL: host, port, user, then the database name as the last positional
 * argument (pgbench reads `-d` as --debug, psql takes the name positionally too).
 */
export function libpqArgs(url: string): string[] {
  const u = new URL(url);
  return [
    '-h',
    u.hostname,
    '-p',
    u.port || '5432',
    '-U',
    decodeURIComponent(u.username || 'postgres'),
    u.pathname.slice(1) || 'postgres',
  ];
}

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a PostgreSQL client tool (pgbench, psql) to completion. */
export function runTool(
  tool: string,
  args: string[],
  options: { cwd?: string; input?: string } = {},
): Promise<ToolRun> {
  return runProcess(join(pgBinDir(), tool), args, {
    ...options,
    env: { ...process.env, PGPASSWORD: '', PGAPPNAME: `bench-${tool}` },
  });
}

/** Runs a process to completion with its output collected. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ToolRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }),
    );
    child.stdin.end(options.input ?? '');
  });
}

export async function toolOrThrow(
  tool: string,
  args: string[],
  options: { cwd?: string; input?: string } = {},
) {
  const r = await runTool(tool, args, options);
  if (r.code !== 0)
    throw new Error(`${tool} ${args.join(' ')} failed (${r.code}): ${r.stderr.slice(0, 2000)}`);
  return r;
}

/** Counts rows of the given tables (owner connection: no RLS). */
export async function rowCounts(owner: Sql, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await owner.unsafe<{ n: string }[]>(`select count(*)::text as n from ${t}`);
    out[t] = Number(row?.n ?? 0);
  }
  return out;
}

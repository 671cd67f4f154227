/**
 * A PostgreSQL server of its own for tests that stop and restart the database (R4), started the way
 * .ci/postgres.sh does it: initdb into a temporary directory, pg_ctl on a free loopback port, as the postgres
 * user when running as root (initdb and pg_ctl refuse root). Never touches the server of DATABASE_URL, which
 * other suites may be using at the same time.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './local-runtime.js';

const run = promisify(execFile);

function binDir(): string | undefined {
  const candidates = [process.env.PG_BINDIR];
  try {
    for (const v of readdirSync('/usr/lib/postgresql').sort().reverse())
      candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // not a Debian layout
  }
  return candidates.find((dir): dir is string => Boolean(dir && existsSync(join(dir, 'initdb'))));
}

export function throwawayPostgresAvailable(): boolean {
  return binDir() !== undefined;
}

export interface ThrowawayPostgres {
  /** Owner (superuser) URL. */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found (set PG_BINDIR)');
  const root = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'hub-throwaway-pg-'));
  await chmod(dir, 0o755);
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (command: string, args: string[]) =>
    root ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  const port = await freePort();
  const data = join(dir, 'data');
  await as(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const start = async () => {
    await as(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -h 127.0.0.1 -k ${dir} -c max_connections=50 -c fsync=off -c synchronous_commit=off`,
      'start',
    ]);
  };
  const stop = async () => {
    await as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

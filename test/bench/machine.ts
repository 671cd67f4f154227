import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../../shared/db/client.js';
import { pgBinDir } from './postgres.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  postgres: {
    version: string;
    synchronous_commit: string;
    shared_buffers: string;
    fsync: string;
    wal_sync_method: string;
    max_connections: string;
  };
  /** fdatasync ops/s of one 8 kB write (`pg_test_fsync -s 1`, first section), in the temp directory. */
  pg_test_fsync: { fdatasync_ops_per_s: number | null; usecs_per_op: number | null; dir: string };
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1];
    if (model) return model.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

/**
 * `pg_test_fsync -s 1` prints "fdatasync … ops/sec … usecs/op" in its first section after about 2 s; the
 * remaining sections (another ~12 s) are not needed, so the tool is stopped once the line is read.
 */
export function measureFdatasync(): Promise<MachineInfo['pg_test_fsync']> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fsync-'));
  return new Promise((resolve) => {
    const child = spawn(join(pgBinDir(), 'pg_test_fsync'), ['-s', '1', '-f', join(dir, 'fsync.out')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let done = false;
    const finish = (ops: number | null, usecs: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      resolve({ fdatasync_ops_per_s: ops, usecs_per_op: usecs, dir: tmpdir() });
    };
    const timer = setTimeout(() => finish(null, null), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^\s*fdatasync\s+([\d.]+) ops\/sec\s+(\d+) usecs\/op/m.exec(out);
      if (m) finish(Number(m[1]), Number(m[2]));
    });
    child.on('close', () => finish(null, null));
    child.on('error', () => finish(null, null));
  });
}

export async function describeMachine(sql: Sql): Promise<MachineInfo> {
  const setting = async (name: string) => {
    const [row] = await sql.unsafe<{ v: string }[]>(`select current_setting('${name}') as v`);
    return row?.v ?? '?';
  };
  const [version] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  return {
    cpu: cpuModel(),
    cores: availableParallelism(),
    node: process.version,
    postgres: {
      version: version?.v ?? '?',
      synchronous_commit: await setting('synchronous_commit'),
      shared_buffers: await setting('shared_buffers'),
      fsync: await setting('fsync'),
      wal_sync_method: await setting('wal_sync_method'),
      max_connections: await setting('max_connections'),
    },
    pg_test_fsync: await measureFdatasync(),
  };
}

export function machineLine(m: MachineInfo): string {
  const f = m.pg_test_fsync.fdatasync_ops_per_s;
  return (
    `${m.cpu}, ${m.cores} cores, Node ${m.node}, PostgreSQL ${m.postgres.version} ` +
    `(synchronous_commit=${m.postgres.synchronous_commit}, shared_buffers=${m.postgres.shared_buffers}, ` +
    `fsync=${m.postgres.fsync}, wal_sync_method=${m.postgres.wal_sync_method}), ` +
    `pg_test_fsync fdatasync ${f === null ? 'n/a' : `${f.toFixed(0)} ops/s`}`
  );
}

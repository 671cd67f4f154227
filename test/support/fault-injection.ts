/**
 * Fault injection on a real PostgreSQL (docs/reliability.md §10 conventions).
 *
 * Pause points: test-only triggers (installed as the owner in a throwaway test database) make the runtime
 * role's transaction take a shared advisory lock at a named point of its work. A side connection holding the
 * exclusive lock makes the transaction wait exactly there; the side then finds the waiting backend in
 * `pg_locks` and ends it with `pg_terminate_backend`, which is how a lost connection looks to the hub.
 *
 * Fault proxy: a TCP proxy in front of PostgreSQL that can drop the connection right after the server
 * committed but before the client has read the `COMMIT` reply, the ambiguous-commit case of §6.4.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { ReservedSql, Sql } from 'postgres';
import { sleep } from './reliability.js';

const LOCK_CLASS = 7300;

export const PAUSE_POINTS = {
  /** Tenant settings applied, nothing written yet (before the application row is updated). */
  afterSetConfig: 1,
  /** The business UPDATE ran; the history and outbox rows are not written yet. */
  afterBusinessUpdate: 2,
  /** The outbox INSERT ran (end of the statement); the transaction has not committed. */
  afterOutboxInsert: 3,
  /** Inside COMMIT: a deferred constraint trigger runs during commit processing, before the commit record. */
  midCommit: 4,
} as const;
export type PausePoint = keyof typeof PAUSE_POINTS;

/** Installs the pause-point triggers on applications, application_stage_history and outbox. */
export async function installPausePoints(owner: Sql): Promise<void> {
  await owner.unsafe(`
    create or replace function reliability_pause() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(${LOCK_CLASS}, tg_argv[0]::int);
      return coalesce(new, old);
    end $$;
    create trigger reliability_after_set_config before update on applications
      for each row execute function reliability_pause('${PAUSE_POINTS.afterSetConfig}');
    create trigger reliability_after_business_update before insert on application_stage_history
      for each row execute function reliability_pause('${PAUSE_POINTS.afterBusinessUpdate}');
    create trigger reliability_after_outbox_insert after insert on outbox
      for each row execute function reliability_pause('${PAUSE_POINTS.afterOutboxInsert}');
    create constraint trigger reliability_mid_commit after insert on outbox deferrable initially deferred
      for each row execute function reliability_pause('${PAUSE_POINTS.midCommit}');
  `);
}

/**
 * Holds the pause point, starts `operation`, waits until a backend is blocked there, terminates that backend
 * from the side connection and lets go. Returns the operation's outcome and the terminated pid.
 */
export async function terminateAtPausePoint<T>(
  side: ReservedSql,
  observer: Sql,
  point: PausePoint,
  operation: () => Promise<T>,
  timeoutMs = 10_000,
): Promise<{ outcome: PromiseSettledResult<T>; pid: number }> {
  const key = PAUSE_POINTS[point];
  await side`select pg_advisory_lock(${LOCK_CLASS}, ${key})`;
  const running = operation().then(
    (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
    (reason): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
  );
  let pid = 0;
  try {
    const deadline = Date.now() + timeoutMs;
    while (pid === 0) {
      const [row] = await observer<{ pid: number }[]>`
        select pid from pg_locks where locktype = 'advisory' and classid = ${LOCK_CLASS} and objid = ${key} and not granted
        limit 1`;
      if (row) pid = row.pid;
      else if (Date.now() > deadline) throw new Error(`no backend reached pause point ${point}`);
      else await sleep(1);
    }
    await side`select pg_terminate_backend(${pid})`;
    // wait until the backend is gone, so its lock request cannot be mistaken for the next run's
    for (let i = 0; i < 5_000; i++) {
      const [alive] = await observer<
        { n: number }[]
      >`select count(*)::int as n from pg_stat_activity where pid = ${pid}`;
      if (alive!.n === 0) break;
      await sleep(1);
    }
  } finally {
    await side`select pg_advisory_unlock(${LOCK_CLASS}, ${key})`;
  }
  return { outcome: await running, pid };
}

/** `CommandComplete` for COMMIT: 'C', int32 length 11, "COMMIT\0". */
const COMMIT_COMPLETE = Buffer.from('C\u0000\u0000\u0000\u000bCOMMIT\u0000', 'latin1');
/** `CommandComplete` of a one-row SELECT: a single-statement call such as `select hub_submit_application(…)`. */
const SELECT_ONE_COMPLETE = Buffer.from('C\u0000\u0000\u0000\u000dSELECT 1\u0000', 'latin1');
/** `ReadyForQuery`, transaction status idle: the statement's own (implicit) transaction has committed. */
const READY_IDLE = Buffer.from('Z\u0000\u0000\u0000\u0005I', 'latin1');

/** The reply that reports a commit: an explicit COMMIT, or a single statement that was its own transaction. */
const commitReply = (chunk: Buffer) =>
  chunk.includes(COMMIT_COMPLETE) ||
  (chunk.includes(SELECT_ONE_COMPLETE) && chunk.subarray(-READY_IDLE.length).equals(READY_IDLE));

export interface FaultProxy {
  port: number;
  /** Drops the connection that next receives a commit reply (see `commitReply`), before the client sees it. */
  dropNextCommitReply(): void;
  /** Commit replies dropped so far. */
  readonly dropped: number;
  /** Whether the last arming is still waiting for a COMMIT reply. */
  readonly armed: boolean;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (armed && commitReply(chunk)) {
        armed = false;
        dropped++;
        closeBoth();
        return;
      }
      client.write(chunk);
    });
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    dropNextCommitReply() {
      armed = true;
    },
    get dropped() {
      return dropped;
    },
    get armed() {
      return armed;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The URL with its host and port replaced (to route a pool through the fault proxy). */
export function viaPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

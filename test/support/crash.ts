/**
 * Crash injection for the reliability tests (docs/reliability.md): an invocation that dies at a chosen point never
 * goes on, as when its Lambda environment is killed. The crash point is a promise that never settles, after an
 * optional kill of what the invocation held (its database connection, so the server rolls its transaction back).
 * A hook crashes once per arming.
 */
import type { ReservedSql, Sql } from 'postgres';
import { sleep } from './reliability.js';

export class CrashHook {
  private armedNow = false;
  /** Crashes that happened (where a kill is given: that killed something). */
  crashes = 0;

  /** `kill` ends what the dying invocation held; it answers whether there was anything to end. */
  constructor(private readonly kill: () => Promise<boolean> = async () => true) {}

  /** The next pass through the crash point crashes. */
  arm(): void {
    this.armedNow = true;
  }

  /** No crash at the next pass (an invocation that never reached the point must not leave it armed). */
  disarm(): void {
    this.armedNow = false;
  }

  get armed(): boolean {
    return this.armedNow;
  }

  /** The crash point: passes through unless armed; armed, it disarms, kills, and never returns. */
  async point(): Promise<void> {
    if (!this.armedNow) return;
    this.armedNow = false;
    if (await this.kill()) this.crashes++;
    return new Promise<void>(() => {});
  }
}

/**
 * Runs an invocation with a Lambda deadline: how it ended, or `timed out`, after which it is abandoned (a crashed
 * invocation never settles).
 */
export function withDeadline(
  invocation: Promise<unknown>,
  deadlineMs: number,
): Promise<'finished' | 'threw' | 'timed out'> {
  return Promise.race([
    invocation.then(
      () => 'finished' as const,
      () => 'threw' as const,
    ),
    sleep(deadlineMs).then(() => 'timed out' as const),
  ]);
}

const OPEN_TRANSACTIONS = `
  from pg_stat_activity
  where datname = current_database() and usename = 'hub_app' and state like 'idle in transaction%'`;

/** Runtime-role connections idle inside a transaction: a dead invocation's, holding its row locks. */
export async function openTransactions(side: Sql | ReservedSql): Promise<number> {
  const [row] = await side.unsafe<{ n: number }[]>(`select count(*)::int as n ${OPEN_TRANSACTIONS}`);
  return row!.n;
}

/** Ends those connections, as the death of their environment does; answers how many it ended. */
export async function terminateOpenTransactions(side: Sql | ReservedSql): Promise<number> {
  const open = await side.unsafe<{ pid: number }[]>(`select pid ${OPEN_TRANSACTIONS}`);
  for (const { pid } of open) await side`select pg_terminate_backend(${pid})`;
  return open.length;
}

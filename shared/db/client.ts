import postgres, { type Sql } from 'postgres';

export type { Sql, TransactionSql } from 'postgres';

export interface DbClientOptions {
  url: string;
  /** One connection per Lambda execution environment: one request at a time needs no more. */
  max?: number;
  /** Off behind RDS Proxy or PgBouncer transaction mode (named statements are session state). */
  prepare?: boolean;
  /** IAM database authentication: a fresh token per connection. */
  password?: () => Promise<string>;
  idleTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  application?: string;
}

const renewers = new WeakMap<object, () => void>();

/**
 * postgres.js client with Lambda-appropriate settings. Connections are lazy, so building the client at
 * module scope performs no I/O during init.
 *
 * The returned `Sql` is a stable handle over a replaceable postgres.js pool: `renewPool` swaps in a fresh pool
 * (the old one drains in the background). postgres.js 3.4.9 keeps per-connection protocol state after a
 * connection is lost while a statement is in flight (the dead backend's error answers the reconnect, the
 * connection then never leaves the connecting state: porsager/postgres #1133, #1208, #1215), so a pool that
 * saw such a loss is replaced rather than reused (reliability test R3).
 */
export function createDbClient(options: DbClientOptions): Sql {
  const build = () =>
    postgres(options.url, {
      max: options.max ?? 1,
      // below NAT and proxy idle timeouts, so a thawed environment does not write to a dead socket
      idle_timeout: options.idleTimeoutSeconds ?? 20,
      max_lifetime: 30 * 60,
      connect_timeout: options.connectTimeoutSeconds ?? 5,
      // postgres.js waits up to 20 s (3^n / 100 s) between reconnects after failed connects: during an outage
      // requests would hang until the function times out, and after it they would wait out that delay (R4)
      backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5),
      prepare: options.prepare ?? true,
      ...(options.password ? { pass: options.password } : {}),
      onnotice: () => {},
      connection: { application_name: options.application ?? 'ats-hub' },
      transform: { undefined: null },
    });
  let current = build();
  const handle = new Proxy((() => {}) as unknown as Sql, {
    apply: (_target, _this, args: unknown[]) => (current as unknown as (...a: unknown[]) => unknown)(...args),
    get: (_target, property) => {
      const value: unknown = Reflect.get(current, property);
      return typeof value === 'function' ? value.bind(current) : value;
    },
    has: (_target, property) => property in current,
  });
  renewers.set(handle, () => {
    const old = current;
    current = build();
    old.end({ timeout: 10 }).catch(() => {});
  });
  return handle;
}

/** Replaces the pool behind a handle of `createDbClient` after a lost connection; other `Sql`s are left alone. */
export function renewPool(sql: Sql): void {
  renewers.get(sql)?.();
}

/** The runtime (hub_app) URL derived from the owner URL: same server and database, other user. */
export function appUrlFrom(ownerUrl: string, user: string, password?: string): string {
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(user);
  url.password = password ? encodeURIComponent(password) : '';
  return url.toString();
}

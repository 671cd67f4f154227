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

/**
 * postgres.js client with Lambda-appropriate settings. Connections are lazy, so building the client at
 * module scope performs no I/O during init.
 */
export function createDbClient(options: DbClientOptions): Sql {
  return postgres(options.url, {
    max: options.max ?? 1,
    // below NAT and proxy idle timeouts, so a thawed environment does not write to a dead socket
    idle_timeout: options.idleTimeoutSeconds ?? 20,
    max_lifetime: 30 * 60,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    prepare: options.prepare ?? true,
    ...(options.password ? { pass: options.password } : {}),
    onnotice: () => {},
    connection: { application_name: options.application ?? 'ats-hub' },
    transform: { undefined: null },
  });
}

/** The runtime (hub_app) URL derived from the owner URL: same server and database, other user. */
export function appUrlFrom(ownerUrl: string, user: string, password?: string): string {
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(user);
  url.password = password ? encodeURIComponent(password) : '';
  return url.toString();
}

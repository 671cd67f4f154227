import { mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite (WASM Postgres) served over TCP so postgres.js stays the only driver.
 *
 * PGlite is one backend session. Several client connections share it safely because a connection holds
 * the session from its first message until Postgres reports ReadyForQuery 'I' (idle, outside a
 * transaction): transactions and extended-protocol sequences are never interleaved. Each connection keeps
 * the user it logged in as; when it takes the session the server switches role with SET ROLE, so the
 * runtime role (hub_app) is subject to row-level security exactly as on a real server.
 * (@electric-sql/pglite-socket multiplexes per message and ignores the login user, hence this server.)
 */

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_V3 = 196608;
const SUPERUSER = 'postgres';

export interface EmbeddedPostgres {
  readonly port: number;
  readonly host: string;
  /** URL for a given user; the embedded server trusts every login. */
  url(user?: string, database?: string): string;
  readonly db: PGlite;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory to persist into; in memory when absent. */
  dataDir?: string;
  port?: number;
  host?: string;
  /** A data directory dumped by `dumpDataDir()`, e.g. an already migrated database (tests). */
  loadDataDir?: Blob;
}

class SessionLock {
  private tail: Promise<void> = Promise.resolve();
  owner: Connection | undefined;

  acquire(conn: Connection): Promise<void> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    return previous.then(() => {
      this.owner = conn;
      conn.release = () => {
        this.owner = undefined;
        conn.release = undefined;
        release();
      };
    });
  }
}

interface Connection {
  socket: Socket;
  user: string;
  buffer: Buffer;
  started: boolean;
  pending: Buffer[];
  draining: boolean;
  closed: boolean;
  /** transaction status from the last ReadyForQuery; 'I' idle, 'T' in transaction, 'E' failed */
  txStatus: string;
  release: (() => void) | undefined;
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function cstring(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function parseStartup(payload: Buffer): Record<string, string> {
  const params: Record<string, string> = {};
  const parts = payload.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const key = parts[i];
    if (!key) break;
    params[key] = parts[i + 1] ?? '';
  }
  return params;
}

/** Transaction status of the last ReadyForQuery in a backend response, if any. */
function lastReadyStatus(response: Uint8Array): string | undefined {
  let status: string | undefined;
  let offset = 0;
  const view = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  while (offset + 5 <= view.length) {
    const type = view[offset];
    const length = view.readInt32BE(offset + 1);
    if (type === 0x5a && length === 5) status = String.fromCharCode(view[offset + 5] ?? 0x49);
    offset += 1 + length;
  }
  return status;
}

/**
 * The one PGlite session and the client connections taking turns on it: each connection's messages are
 * queued and run when it holds the session (SessionLock), under its own login role.
 */
class SharedSession {
  readonly connections = new Set<Connection>();
  private readonly lock = new SessionLock();
  private sessionRole = SUPERUSER;
  private nextPid = 1000;

  constructor(
    private readonly db: PGlite,
    private readonly version: string,
  ) {}

  /** A new client socket: the startup handshake, then its messages in turn. */
  accept(socket: Socket): void {
    socket.setNoDelay(true);
    const conn: Connection = {
      socket,
      user: SUPERUSER,
      buffer: Buffer.alloc(0),
      started: false,
      pending: [],
      draining: false,
      closed: false,
      txStatus: 'I',
      release: undefined,
    };
    this.connections.add(conn);
    socket.on('data', (chunk) => this.onData(conn, chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      conn.closed = true;
      this.connections.delete(conn);
      conn.pending.length = 0;
      if (!conn.draining) void this.abandon(conn);
    });
  }

  private greet(conn: Connection): void {
    const out: Buffer[] = [message('R', Buffer.from([0, 0, 0, 0]))];
    const params: Record<string, string> = {
      server_version: this.version,
      server_encoding: 'UTF8',
      client_encoding: 'UTF8',
      DateStyle: 'ISO, MDY',
      integer_datetimes: 'on',
      standard_conforming_strings: 'on',
      TimeZone: 'UTC',
      is_superuser: conn.user === SUPERUSER ? 'on' : 'off',
      session_authorization: conn.user,
    };
    for (const [k, v] of Object.entries(params))
      out.push(message('S', Buffer.concat([cstring(k), cstring(v)])));
    const key = Buffer.alloc(8);
    key.writeInt32BE(this.nextPid++, 0);
    key.writeInt32BE(0, 4);
    out.push(message('K', key));
    out.push(message('Z', Buffer.from('I')));
    conn.socket.write(Buffer.concat(out));
  }

  private async takeSession(conn: Connection): Promise<void> {
    if (this.lock.owner === conn) return;
    await this.lock.acquire(conn);
    if (this.sessionRole !== conn.user) {
      await this.db.exec(
        conn.user === SUPERUSER ? 'reset role' : `set role "${conn.user.replaceAll('"', '""')}"`,
      );
      this.sessionRole = conn.user;
    }
  }

  private async abandon(conn: Connection): Promise<void> {
    if (this.lock.owner !== conn) return;
    try {
      // finish a half-sent extended-protocol sequence, then undo an open transaction
      await this.db.execProtocolRaw(new Uint8Array(message('S', Buffer.alloc(0))));
      if (conn.txStatus !== 'I') await this.db.exec('rollback');
    } catch {
      // the session is reset below either way
    }
    conn.release?.();
  }

  private async drain(conn: Connection): Promise<void> {
    if (conn.draining) return;
    conn.draining = true;
    try {
      while (conn.pending.length > 0 && !conn.closed) {
        const msg = conn.pending.shift()!;
        if (msg[0] === 0x58 /* Terminate */) {
          await this.abandon(conn);
          conn.socket.end();
          conn.closed = true;
          break;
        }
        await this.takeSession(conn);
        const response = await this.db.execProtocolRaw(new Uint8Array(msg));
        if (!conn.closed && response.length > 0) conn.socket.write(response);
        const status = lastReadyStatus(response);
        if (status) conn.txStatus = status;
        if (status === 'I') conn.release?.();
      }
    } catch {
      conn.socket.destroy();
    } finally {
      conn.draining = false;
      if (conn.closed) await this.abandon(conn);
    }
  }

  private onData(conn: Connection, chunk: Buffer): void {
    conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
    while (true) {
      if (!conn.started) {
        if (conn.buffer.length < 8) return;
        const length = conn.buffer.readInt32BE(0);
        if (conn.buffer.length < length) return;
        const code = conn.buffer.readInt32BE(4);
        const payload = conn.buffer.subarray(0, length);
        conn.buffer = conn.buffer.subarray(length);
        if (code === SSL_REQUEST) {
          conn.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          conn.socket.end();
          return;
        }
        if (code !== PROTOCOL_V3) {
          conn.socket.destroy();
          return;
        }
        conn.user = parseStartup(payload).user ?? SUPERUSER;
        conn.started = true;
        this.greet(conn);
        continue;
      }
      if (conn.buffer.length < 5) return;
      const length = conn.buffer.readInt32BE(1);
      if (conn.buffer.length < length + 1) return;
      conn.pending.push(Buffer.from(conn.buffer.subarray(0, length + 1)));
      conn.buffer = conn.buffer.subarray(length + 1);
      void this.drain(conn);
    }
  }
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = options.dataDir
    ? new PGlite(options.dataDir)
    : new PGlite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  await db.waitReady;
  const version = (await db.query<{ v: string }>('show server_version')).rows[0]?.v ?? '17';
  const session = new SharedSession(db, version);
  const server: Server = createServer((socket) => session.accept(socket));

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    host,
    db,
    url: (user = SUPERUSER, database = 'postgres') => `postgres://${user}@${host}:${port}/${database}`,
    async stop() {
      for (const conn of session.connections) conn.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/**
 * A TCP proxy in front of PostgreSQL that counts what crosses it: connections opened, the DataRow messages (`D`)
 * the server sends (rows transferred from the database into Node), and round trips: per connection, every time
 * the client sends after the server last spoke (a pipelined burst counts once; the startup exchange counts too).
 */

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface CountingProxy {
  port: number;
  /** Connections opened through the proxy so far. */
  connections(): number;
  /** DataRow messages sent by the server so far. */
  rows(): number;
  /** Client → server flights that followed a server answer (or opened the connection), over all connections. */
  roundTrips(): number;
  /** The URL with host and port replaced by the proxy's. */
  urlFor(url: string): string;
  stop(): Promise<void>;
}

/** Counts `D` messages in the server → client stream (every server message is type byte + int32 length). */
function rowCounter(onRow: () => void) {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    while (pending.length - offset >= 5) {
      const length = pending.readUInt32BE(offset + 1);
      if (pending.length - offset < length + 1) break;
      if (pending[offset] === 0x44) onRow();
      offset += length + 1;
    }
    pending = pending.subarray(offset);
  };
}

/** `delayMs`: added to every chunk in each direction (a network round trip of 2 × delayMs). */
export async function startCountingProxy(targetUrl: string, delayMs = 0): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  let connections = 0;
  let rows = 0;
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    connections += 1;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    // no Nagle delays added by the proxy itself (PostgreSQL sets TCP_NODELAY on its side too)
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    const count = rowCounter(() => {
      rows += 1;
    });
    const later = (fn: () => void) => (delayMs > 0 ? setTimeout(fn, delayMs) : fn());
    let serverSpokeLast = true;
    upstream.on('data', (chunk: Buffer) => {
      serverSpokeLast = true;
      count(chunk);
      later(() => client.write(chunk));
    });
    client.on('data', (chunk: Buffer) => {
      if (serverSpokeLast) roundTrips += 1;
      serverSpokeLast = false;
      later(() => upstream.write(chunk));
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connections: () => connections,
    rows: () => rows,
    roundTrips: () => roundTrips,
    urlFor(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The HTTP shell shared by the provider fakes: node:http on 127.0.0.1, port 0; every request recorded; latency
 * and failure injection (next N matching requests answer a status, hang until the client gives up, or drop
 * the connection). Provider behaviour lives in each fake's handler.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Path plus query string exactly as received. */
  rawUrl: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  body: string;
  status: number | null;
}

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers; the connection is destroyed on stop(). */
  | { kind: 'timeout' }
  /** Destroys the socket without an answer. */
  | { kind: 'reset' }
  /** Applies the request (the provider did the work), then destroys the socket: the response is lost. */
  | { kind: 'lost' };

export interface LoopbackServer {
  url: string;
  requests: RecordedRequest[];
  /** The next `count` requests accepted by `match` (default: all) get `fault` instead of an answer. */
  failNext(count: number, fault: Fault, match?: (request: FakeRequest) => boolean): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

function queryRecord(query: URLSearchParams): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const [key, value] of query) {
    const list = record[key] ?? [];
    list.push(value);
    record[key] = list;
  }
  return record;
}

export async function startLoopbackServer(
  handler: FakeHandler,
  options: { latencyMs?: number } = {},
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const faults: { remaining: number; fault: Fault; match: (request: FakeRequest) => boolean }[] = [];
  let latencyMs = options.latencyMs ?? 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const rawBody = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const request: FakeRequest = {
          method: req.method ?? 'GET',
          url,
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          rawBody,
          body: rawBody.toString('utf8'),
        };
        const record: RecordedRequest = {
          method: request.method,
          path: request.path,
          rawUrl: req.url ?? '/',
          query: queryRecord(url.searchParams),
          headers: req.headers,
          body: request.body,
          status: null,
        };
        requests.push(record);
        if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));

        const slot = faults.find((f) => f.remaining > 0 && f.match(request));
        let response: FakeResponse;
        if (slot) {
          slot.remaining -= 1;
          if (slot.fault.kind === 'lost') {
            record.status = (await handler(request)).status;
            req.socket.destroy();
            return;
          }
          if (slot.fault.kind === 'timeout') return;
          if (slot.fault.kind === 'reset') {
            req.socket.destroy();
            return;
          }
          response = { status: slot.fault.status, headers: slot.fault.headers, body: slot.fault.body ?? '' };
        } else {
          try {
            response = await handler(request);
          } catch (error) {
            response = { status: 500, body: { message: `fake failure: ${(error as Error).message}` } };
          }
        }
        record.status = response.status;
        const headers: Record<string, string> = { ...(response.headers ?? {}) };
        let payload: Buffer | string = '';
        if (Buffer.isBuffer(response.body) || typeof response.body === 'string') payload = response.body;
        else if (response.body !== undefined) {
          payload = JSON.stringify(response.body);
          headers['content-type'] ??= 'application/json; charset=utf-8';
        }
        if (!res.destroyed) {
          res.writeHead(response.status, headers);
          res.end(response.status === 204 ? undefined : payload);
        }
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, fault, match = () => true) {
      faults.push({ remaining: count, fault, match });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

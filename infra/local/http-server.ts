import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { HttpTrigger } from '../topology.js';

/** API Gateway HTTP API's own payload cap; route limits (256 KiB, 1 MiB) are the handlers' to enforce. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalRoute {
  trigger: HttpTrigger;
  functionName: string;
  timeoutSeconds: number;
  invoke: HttpLambda;
}

export interface RateLimit {
  /** Requests per second per API key (or per client address when no key is sent), like stage throttling. */
  ratePerSecond: number;
  burst: number;
}

export interface LocalHttpServerOptions {
  host: string;
  port: number;
  routes: LocalRoute[];
  createContext: (functionName: string, timeoutSeconds: number, requestId: string) => Context;
  rateLimit?: RateLimit;
}

const TEXTUAL = /^(text\/|application\/(json|xml|x-www-form-urlencoded|[\w.+-]+\+(json|xml))|$)/i;

function compile(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const pattern = path
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)\+?\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${pattern}$`), names };
}

function gatewayTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function isUtf8(buffer: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return true;
  } catch {
    return false;
  }
}

/** Turns one HTTP request into the API Gateway HTTP API payload v2 event its Lambda would receive. */
export function toGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  route: { routeKey: string; pathParameters: Record<string, string> | undefined },
  requestId: string,
  now: Date,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    if (name === 'cookie') continue;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const contentType = headers['content-type'] ?? '';
  const textual = TEXTUAL.test(contentType) && isUtf8(body);
  const cookies = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: (headers.host ?? '127').split('.')[0] ?? 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

function envelope(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
    ...extra,
  });
  res.end(JSON.stringify({ error: { code, message, details: {} }, requestId }));
}

class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly limit: RateLimit) {}
  /** Seconds to wait, or 0 when the request may pass. */
  take(key: string, now: number): number {
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + ((now - b.at) / 1000) * this.limit.ratePerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.limit.ratePerSecond);
  }
}

export function startLocalHttpServer(options: LocalHttpServerOptions): Promise<Server> {
  const compiled = options.routes.map((r) => ({ ...r, ...compile(r.trigger.path) }));
  const buckets = options.rateLimit ? new TokenBuckets(options.rateLimit) : undefined;
  const server = createServer((req, res) => {
    const requestId = randomUUID();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BYTES && !refused) {
        refused = true;
        envelope(res, 413, 'PAYLOAD_TOO_LARGE', 'body exceeds the gateway limit', requestId, {
          connection: 'close',
        });
        req.destroy();
      }
      if (!refused) chunks.push(chunk);
    });
    req.on('end', async () => {
      if (refused) return;
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const candidates = compiled.filter((r) => r.regex.test(path));
      const route = candidates.find((r) => r.trigger.method === req.method);
      if (!route) {
        return candidates.length
          ? envelope(res, 404, 'NOT_FOUND', 'no such route for this method', requestId)
          : envelope(res, 404, 'NOT_FOUND', 'no such route', requestId);
      }
      if (buckets) {
        const key = req.headers.authorization ?? req.socket.remoteAddress ?? 'anonymous';
        const wait = buckets.take(key, Date.now());
        if (wait > 0) {
          return envelope(res, 429, 'RATE_LIMITED', 'too many requests', requestId, {
            'retry-after': String(wait),
          });
        }
      }
      const match = route.regex.exec(path)!;
      const params = Object.fromEntries(
        route.names.map((n, i) => {
          const raw = match[i + 1] ?? '';
          try {
            return [n, decodeURIComponent(raw)];
          } catch {
            return [n, raw];
          }
        }),
      );
      const event = toGatewayEvent(
        req,
        Buffer.concat(chunks),
        {
          routeKey: `${route.trigger.method} ${route.trigger.path}`,
          pathParameters: route.names.length ? params : undefined,
        },
        requestId,
        new Date(),
      );
      try {
        const result = await route.invoke(
          event,
          options.createContext(route.functionName, route.timeoutSeconds, requestId),
        );
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
        res.writeHead(result.statusCode ?? 200, headers);
        const body = result.body ?? '';
        res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
      } catch {
        // API Gateway answers 500 when the function itself fails
        envelope(res, 500, 'INTERNAL', 'internal error', requestId);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

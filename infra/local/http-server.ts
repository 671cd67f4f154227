/**
 * The local stand-in for API Gateway's HTTP API: the topology's routes with their path parameters, the
 * gateway's payload cap, optional per-key throttling, and each function's result sent as the HTTP answer.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { HttpTrigger } from '../topology.js';
import { toGatewayEvent } from './gateway-event.js';

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

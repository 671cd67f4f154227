import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime.js';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRuntime {
  runtime: LocalRuntime;
  /** Owner connection for assertions (bypasses RLS). */
  db: TestDatabase | undefined;
  ownerUrl: string;
  stop(): Promise<void>;
}

/**
 * The local runtime exactly as `npm start` runs it, on a free port and a fresh directory; against a fresh
 * clone of the migrated template when DATABASE_URL is set, otherwise against its own embedded PGlite.
 */
export async function startTestRuntime(options: Partial<LocalRuntimeOptions> = {}): Promise<TestRuntime> {
  const localDir = await mkdtemp(join(tmpdir(), 'hub-e2e-'));
  const db = process.env.DATABASE_URL ? await createTestDatabase({ appMax: 1 }) : undefined;
  const runtime = await startLocalRuntime({
    port: await freePort(),
    localDir,
    databaseUrl: db?.ownerUrl,
    schedules: false,
    ...options,
  });
  return {
    runtime,
    db,
    ownerUrl: runtime.ownerUrl,
    async stop() {
      await runtime.stop();
      await db?.close();
      await rm(localDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small client as a portal or ATS user would write it. */
export function apiClient(baseUrl: string, key?: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
}

/**
 * The file's runtime and an owner connection for assertions: started before its tests, stopped after them;
 * `ready` hands both to the file.
 */
export function fileRuntime(
  ready: (runtime: TestRuntime, owner: Sql) => void,
  options: Partial<LocalRuntimeOptions> = {},
): void {
  let runtime: TestRuntime | undefined;
  let owner: Sql | undefined;
  beforeAll(async () => {
    runtime = await startTestRuntime(options);
    owner = createDbClient({ url: runtime.ownerUrl, max: 1 });
    ready(runtime, owner);
  });
  afterAll(async () => {
    await owner?.end();
    await runtime?.stop();
  });
}

/** Polls `probe` until it returns a value, for at most `waitMs`; `between` runs before each next try. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { waitMs: number; pollMs: number; between?: () => Promise<void> },
): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await options.between?.();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

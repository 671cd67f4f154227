/**
 * The connect flow's handlers over a test database, with a fake Greenhouse and a fake Lever that the page reaches
 * through the local-only endpoints file, a controllable clock, and a browser-like client keeping the state cookie.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { resetEnvCache } from '../../../shared/config/env.js';
import { type ControllableClock, createControllableClock } from '../../fakes/common/controllable-clock.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { type LeverFake, startLeverFake } from '../../fakes/lever/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { httpEvent } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../../support/handler-harness.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';

export const PUBLIC_BASE_URL = 'http://127.0.0.1:3999';
export const ALLOWED_ORIGIN = 'https://app.example.com';

export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  html: string;
}

export interface ConnectWorld {
  db: TestDatabase;
  graph: TenantGraph;
  clock: ControllableClock;
  secrets: MemorySecretStore;
  greenhouse: GreenhouseFake;
  lever: LeverFake;
  createSession(body: unknown, role?: 'admin' | 'ats'): Promise<{ status: number; body: any }>;
  /** A new link's token (the last path segment of its URL). */
  newLink(body?: Record<string, unknown>): Promise<string>;
  open(token: string, query?: Record<string, string>): Promise<PageResponse>;
  submit(token: string, form: Record<string, string>): Promise<PageResponse>;
  callback(query: Record<string, string>, cookies?: string[]): Promise<PageResponse>;
  integrations(): Promise<{ provider: string; secret_ref: string }[]>;
  close(): Promise<void>;
}

const page = (result: APIGatewayProxyStructuredResultV2): PageResponse => ({
  status: result.statusCode ?? 200,
  headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
  html: result.body ?? '',
});

export async function connectWorld(): Promise<ConnectWorld> {
  const db = await createTestDatabase();
  const graph = await seedTenantGraph(db.owner);
  const clock = createControllableClock(Date.now());
  const secrets = new MemorySecretStore();
  const greenhouse = await startGreenhouseFake({});
  const lever = await startLeverFake({ rateLimit: false });
  const dir = await mkdtemp(join(tmpdir(), 'hub-connect-'));
  const file = join(dir, 'connect-providers.json');
  await writeFile(
    file,
    JSON.stringify({
      greenhouse: { baseUrl: greenhouse.url, authUrl: greenhouse.authUrl },
      lever: {
        baseUrl: lever.url,
        authUrl: lever.authUrl,
        authorizeUrl: lever.authorizeUrl,
        ...lever.oauthClient,
      },
    }),
  );
  Object.assign(process.env, {
    STAGE: 'local',
    PUBLIC_BASE_URL,
    CONNECT_PROVIDERS_FILE: file,
    CONNECT_REDIRECT_ALLOWLIST: ALLOWED_ORIGIN,
  });
  resetEnvCache();
  const overrides = { sql: db.app, secrets, clock };
  const sessions = await loadHandler('connect-sessions', overrides);
  const pages: HttpHandler = await loadHandler('connect-page', overrides);
  const context = () => createLambdaContext({ functionName: 'connect-page', timeoutSeconds: 30 });

  const createSession: ConnectWorld['createSession'] = (body, role = 'admin') =>
    invoke(
      sessions,
      httpEvent({
        routeKey: 'POST /connect-sessions',
        path: '/connect-sessions',
        headers: { authorization: `Bearer ${graph.keys[role]}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );

  return {
    db,
    graph,
    clock,
    secrets,
    greenhouse,
    lever,
    createSession,
    async newLink(body = {}) {
      const created = await createSession(body);
      if (created.status !== 201) throw new Error(`connect session: ${created.status}`);
      return new URL(created.body.url).pathname.split('/').pop()!;
    },
    async open(token, query) {
      const event = httpEvent({
        routeKey: 'GET /connect/{token}',
        path: `/connect/${token}`,
        pathParameters: { token },
        ...(query ? { query } : {}),
      });
      return page(await pages(event, context()));
    },
    async submit(token, form) {
      const event = httpEvent({
        routeKey: 'POST /connect/{token}',
        path: `/connect/${token}`,
        pathParameters: { token },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return page(await pages(event, context()));
    },
    async callback(query, cookies = []) {
      const event = httpEvent({
        routeKey: 'GET /connect/oauth/{provider}/callback',
        path: '/connect/oauth/lever/callback',
        pathParameters: { provider: 'lever' },
        query,
      });
      return page(await pages({ ...event, ...(cookies.length ? { cookies } : {}) }, context()));
    },
    async integrations() {
      return db.owner<{ provider: string; secret_ref: string }[]>`
        select provider, secret_ref from integrations
        where organization_id = ${graph.organizationId} and id <> ${graph.integrationId} order by created_at`;
    },
    async close() {
      await greenhouse.stop();
      await lever.stop();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The `name=value` of a Set-Cookie header, as the browser sends it back. */
export const cookieOf = (response: PageResponse): string =>
  (response.headers['set-cookie'] ?? '').split(';')[0]!;

/**
 * Follows the Lever form's redirect like a browser: approves on the fake's consent page and returns the
 * callback's query and the state cookie.
 */
export async function consentAtLever(
  world: ConnectWorld,
  started: PageResponse,
  decision: 'approve' | 'deny' = 'approve',
): Promise<{ query: Record<string, string>; cookie: string }> {
  const authorize = new URL(started.headers.location!);
  const response = await fetch(`${world.lever.authorizeUrl}/decision`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      decision,
      redirect_uri: authorize.searchParams.get('redirect_uri')!,
      state: authorize.searchParams.get('state')!,
      scope: authorize.searchParams.get('scope')!,
      code_challenge: authorize.searchParams.get('code_challenge')!,
    }).toString(),
  });
  const back = new URL(response.headers.get('location')!);
  return { query: Object.fromEntries(back.searchParams), cookie: cookieOf(started) };
}

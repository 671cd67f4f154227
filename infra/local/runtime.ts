import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { resetEnvCache } from '../../shared/config/env.js';
import { appUrlFrom, createDbClient } from '../../shared/db/client.js';
import { migrate } from '../../shared/db/migrate.js';
import type { GuardDutyScanStatus } from '../../shared/documents/document-scan.js';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import { type FunctionSpec, functions } from '../topology.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { FileSecretStore } from './file-secrets.js';
import { type HttpLambda, type LocalRoute, startLocalHttpServer } from './http-server.js';
import { contextForFunction, createLambdaContext } from './lambda-context.js';
import { type EventLambda, type EventRoute, localScanResult, malwareScanSimulator } from './malware-scan.js';
import { type LocalObjectStoreServer, startObjectStoreServer } from './object-store-server.js';
import type { SqsHandler } from './queue/event-source-mapping.js';
import type { LocalQueue } from './queue/local-queue.js';
import { consumerOptionsFor, createLocalQueues } from './queue/topology-queues.js';
import { describeRuntime } from './runtime-description.js';
import { LocalSchedules, type ScheduleHandler } from './schedules.js';
import { type LocalCredentials, seedDemo } from './seed.js';
import { buildStaticAssets } from './static-assets.js';

export interface LocalRuntimeOptions {
  port: number;
  host?: string;
  /** Where PGlite data, objects, secrets and credentials live. */
  localDir: string;
  /** Owner connection of a real PostgreSQL; the embedded PGlite when absent. */
  databaseUrl?: string | undefined;
  /** Schedules tick on their own (default); tests drive them with `runSchedule`. */
  schedules?: boolean;
  /** Per-key throttling like API Gateway stage throttling; off when absent. */
  rateLimit?: { ratePerSecond: number; burst: number };
  /** Extra environment for the handlers (e.g. NOTIFY_ALLOW_LOOPBACK). */
  env?: Record<string, string>;
  /**
   * The simulated GuardDuty verdict for every uploaded resume (infra/local/malware-scan.ts); defaults to
   * `LOCAL_SCAN_RESULT`, then NO_THREATS_FOUND.
   */
  scanResult?: GuardDutyScanStatus;
}

export interface LocalRuntime {
  baseUrl: string;
  credentials: LocalCredentials;
  ownerUrl: string;
  appUrl: string;
  objectStore: LocalObjectStoreServer;
  queues: Record<string, LocalQueue>;
  runSchedule(name: string): Promise<void>;
  /** Waits until every queue is empty and no batch is in flight. */
  drainQueues(maxMs?: number): Promise<void>;
  describe(): string;
  stop(): Promise<void>;
}

/** Local credentials of the object store; presigned POST policies are signed and verified with them. */
const LOCAL_S3_CREDENTIALS = {
  accessKeyId: 'LOCALHUBACCESSKEY',
  secretAccessKey: 'local-hub-secret-access-key',
};

async function loadHandler<T>(fn: FunctionSpec): Promise<T | undefined> {
  const file = resolve(fn.entry);
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as { handler?: T };
  return module.handler;
}

/** Loads each topology function and attaches it to its triggers; event routes are added to `eventRoutes`. */
async function wireTriggers(queues: Record<string, LocalQueue>, eventRoutes: EventRoute[]) {
  const routes: LocalRoute[] = [];
  const missing: string[] = [];
  const scheduleHandlers = new Map<string, ScheduleHandler>();
  for (const fn of functions) {
    const handler = await loadHandler<(event: unknown, context: Context) => Promise<unknown>>(fn);
    if (!handler) {
      missing.push(fn.name);
      continue;
    }
    for (const trigger of fn.triggers) {
      if (trigger.type === 'http') {
        routes.push({
          trigger,
          functionName: fn.name,
          timeoutSeconds: fn.timeoutSeconds,
          invoke: handler as HttpLambda,
        });
      } else if (trigger.type === 'queue') {
        queues[trigger.queue]!.consume(
          consumerOptionsFor(fn, handler as SqsHandler, { contextFor: () => contextForFunction(fn) }),
        );
      } else if (trigger.type === 'event') {
        eventRoutes.push({ fn, trigger, handler: handler as EventLambda });
      } else {
        scheduleHandlers.set(fn.name, handler as ScheduleHandler);
      }
    }
  }
  return { routes, scheduleHandlers, missing };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const host = options.host ?? '127.0.0.1';
  const localDir = resolve(options.localDir);
  const baseUrl = `http://${host}:${options.port}`;

  // 1. database: the owner migrates and seeds; handlers connect as the runtime role hub_app
  let embedded: EmbeddedPostgres | undefined;
  let ownerUrl = options.databaseUrl;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(localDir, 'pgdata') });
    ownerUrl = embedded.url();
  }
  const appUrl = appUrlFrom(ownerUrl, 'hub_app');
  const owner = createDbClient({ url: ownerUrl, max: 1 });
  await migrate(owner);

  // 2. object store reached through the real S3 client (path-style endpoint); every resume stored is
  //    scanned as GuardDuty would (tag + scan-result event to the event-triggered functions, step 5)
  const bucket = 'hub-local';
  const scanResult = options.scanResult ?? localScanResult(process.env.LOCAL_SCAN_RESULT);
  const eventRoutes: EventRoute[] = [];
  const objectStore: LocalObjectStoreServer = await startObjectStoreServer({
    dir: join(localDir, 'objects'),
    host,
    region: 'us-east-1',
    credentials: LOCAL_S3_CREDENTIALS,
    buckets: [bucket],
    onObjectCreated: malwareScanSimulator({
      bucket,
      result: scanResult,
      routes: () => eventRoutes,
      // called for uploads only, long after the store below exists
      getTags: (b, key) => objectStore.getTags(b, key),
      putTags: (b, key, tags) => objectStore.putTags(b, key, tags),
      contextFor: contextForFunction,
      region: 'us-east-1',
    }),
    onError: (error) =>
      process.stderr.write(
        `simulated malware scan: document-scan failed: ${(error as Error).name}: ${(error as Error).message}\n`,
      ),
  });

  // 3. environment the handlers read, exactly the variables a Lambda would get (and where the console's
  //    files were built: a Lambda finds them next to its bundle)
  const assetsEnv = await buildStaticAssets(localDir);
  Object.assign(process.env, {
    ...assetsEnv,
    STAGE: 'local',
    DATABASE_APP_URL: appUrl,
    DATABASE_POOL_MAX: '4',
    BUCKET_NAME: bucket,
    S3_ENDPOINT: objectStore.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    PUBLIC_BASE_URL: baseUrl,
    SECRETS_PREFIX: 'hub',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    NOTIFY_ALLOW_LOOPBACK: 'true',
    // provider endpoints of the fakes `npm run fakes` starts, for the connect page (docs/connect.md)
    CONNECT_PROVIDERS_FILE: join(localDir, 'connect-providers.json'),
    ...options.env,
  });
  resetEnvCache();

  // 4. queues with SQS semantics and the secrets file, behind the same ports the AWS adapters implement
  const queues = createLocalQueues();
  const secrets = new FileSecretStore({
    path: join(localDir, 'secrets.json'),
    maxAgeSeconds: 300,
    prefix: 'hub',
  });
  overrideAdapters({
    queues: { sync: queues.sync, notify: queues.notify, privacy: queues.privacy },
    secrets,
  });

  const app = createDbClient({ url: appUrl, max: 1 });
  const credentials = await seedDemo(owner, app, join(localDir, 'credentials.json'), baseUrl);
  await app.end();

  // 5. every function of the topology, wired to its triggers
  const { routes, scheduleHandlers, missing } = await wireTriggers(queues, eventRoutes);
  const schedules = new LocalSchedules({
    handlerFor: (fn) => scheduleHandlers.get(fn.name) ?? (async () => undefined),
    onError: (error, entry) =>
      process.stderr.write(`schedule ${entry.name} failed: ${(error as Error).name}\n`),
  });
  if (options.schedules !== false) schedules.start();

  const server: Server = await startLocalHttpServer({
    host,
    port: options.port,
    routes,
    createContext: (name, timeout, requestId) =>
      createLambdaContext({ functionName: name, timeoutSeconds: timeout, awsRequestId: requestId }),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });

  const describe = () =>
    describeRuntime({
      baseUrl,
      localDir,
      embedded: embedded !== undefined,
      objectStoreUrl: objectStore.url,
      bucket,
      routes,
      eventRoutes,
      scanResult,
      missing,
    });

  return {
    baseUrl,
    credentials,
    ownerUrl,
    appUrl,
    objectStore,
    queues,
    runSchedule: (name) => schedules.runNow(name).then(() => undefined),
    async drainQueues(maxMs = 30_000) {
      for (const q of Object.values(queues)) await q.drain({ maxMs });
    },
    describe,
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections?.();
      await schedules.stop();
      await Promise.all(Object.values(queues).map((q) => q.stop()));
      await objectStore.stop();
      await owner.end({ timeout: 1 });
      await embedded?.stop();
    },
  };
}

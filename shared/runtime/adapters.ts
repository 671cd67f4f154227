import type { Sql } from 'postgres';
import { type Env, env } from '../config/env.js';
import type { QueueName } from '../config/resources.js';
import { appUrlFrom, createDbClient } from '../db/client.js';
import { CachedApiKeyAuthenticator } from '../http/api-key-authenticator.js';
import type { ApiKeyAuthenticator } from '../http/middleware/authenticate.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Queue } from '../ports/queue.js';
import type { SecretStore } from '../ports/secrets.js';
import { createObjectStore, createQueue, createSecretStore } from './aws-adapters.js';

/**
 * Adapters a handler needs, built once per execution environment and lazily: building them performs no
 * I/O, so function init stays fast; the first use connects. Tests may replace any of them.
 */
export interface Adapters {
  env: Env;
  clock: Clock;
  sql(): Sql;
  objectStore(): ObjectStore;
  queues(): Readonly<Record<QueueName, Queue | undefined>>;
  secrets(): SecretStore;
  authenticator: ApiKeyAuthenticator;
}

export type AdapterOverrides = Partial<{
  sql: Sql;
  objectStore: ObjectStore;
  queues: Partial<Record<QueueName, Queue>>;
  secrets: SecretStore;
  clock: Clock;
}>;

let overrides: AdapterOverrides = {};
let instance: Adapters | undefined;

/** For tests and the local runtime: replace adapters before handlers are imported or between tests. */
export function overrideAdapters(next: AdapterOverrides): void {
  overrides = next;
  instance = undefined;
}

/**
 * IAM database authentication (RDS Proxy / Aurora): a fresh 15-minute token for every new connection, signed
 * locally from the function's role credentials. The signer loads only when a connection is opened.
 */
function iamAuthToken(url: string, region: string): () => Promise<string> {
  const target = new URL(url);
  return async () => {
    const { Signer } = await import('@aws-sdk/rds-signer');
    return new Signer({
      hostname: target.hostname,
      port: Number(target.port || 5432),
      username: decodeURIComponent(target.username),
      region,
    }).getAuthToken();
  };
}

function databaseUrl(e: Env): string {
  if (e.DATABASE_APP_URL) return e.DATABASE_APP_URL;
  if (e.DATABASE_URL) return appUrlFrom(e.DATABASE_URL, e.DATABASE_APP_USER, e.DATABASE_APP_PASSWORD);
  throw new Error('DATABASE_APP_URL or DATABASE_URL must be set');
}

/**
 * A stable facade: handlers keep it from module load, and every call resolves the current adapters, so an
 * override made later (tests) takes effect without reloading the handler module.
 */
const facade: Adapters = {
  get env() {
    return current().env;
  },
  get clock() {
    return current().clock;
  },
  sql: () => current().sql(),
  objectStore: () => current().objectStore(),
  queues: () => current().queues(),
  secrets: () => current().secrets(),
  authenticator: { authenticate: (key) => current().authenticator.authenticate(key) },
};

export function adapters(): Adapters {
  return facade;
}

function current(): Adapters {
  if (instance) return instance;
  const e = env();
  let sql: Sql | undefined = overrides.sql;
  let objectStore: ObjectStore | undefined = overrides.objectStore;
  let queues: Record<QueueName, Queue | undefined> | undefined;
  let secrets: SecretStore | undefined = overrides.secrets;
  const getSql = () => {
    if (sql) return sql;
    const url = databaseUrl(e);
    sql = createDbClient({
      url,
      max: e.DATABASE_POOL_MAX,
      prepare: e.DATABASE_PREPARE,
      ...(e.DATABASE_IAM_AUTH ? { password: iamAuthToken(url, e.AWS_REGION) } : {}),
    });
    return sql;
  };
  const created: Adapters = {
    env: e,
    clock: overrides.clock ?? systemClock,
    sql: getSql,
    objectStore: () => {
      objectStore ??= createObjectStore(e);
      return objectStore;
    },
    queues: () => {
      queues ??= {
        sync: overrides.queues?.sync ?? createQueue(e, e.SYNC_QUEUE_URL),
        notify: overrides.queues?.notify ?? createQueue(e, e.NOTIFY_QUEUE_URL),
        privacy: overrides.queues?.privacy ?? createQueue(e, e.PRIVACY_QUEUE_URL),
      };
      return queues;
    },
    secrets: () => {
      secrets ??= createSecretStore(e);
      return secrets;
    },
    authenticator: new CachedApiKeyAuthenticator(getSql),
  };
  instance = created;
  return created;
}

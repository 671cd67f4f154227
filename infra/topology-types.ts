/**
 * The shapes of the topology (infra/topology.ts): functions, their triggers and what each may touch.
 */
import type { BucketPrefix, QueueName, SecretScope } from '../shared/config/resources.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpTrigger {
  type: 'http';
  method: HttpMethod;
  /** API Gateway route path with `{param}` segments. */
  path: string;
  /** `bearer`: API key checked by the function; `signature`: provider HMAC; `none`: public. */
  auth: 'bearer' | 'signature' | 'none';
}

export interface QueueTrigger {
  type: 'queue';
  queue: QueueName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Protects the database connection budget (docs/performance.md §5). */
  maxConcurrency: number;
}

export interface ScheduleTrigger {
  type: 'schedule';
  name: string;
  /** EventBridge Scheduler expression: `rate(...)` or `cron(...)`. */
  expression: string;
  /** Interval the local runtime uses for the same schedule. */
  localEverySeconds: number;
  input: Record<string, unknown>;
}

/**
 * An EventBridge rule on the default bus. The only kind so far is the GuardDuty Malware Protection for S3
 * scan result of an object in the hub bucket under `prefix`; the rule matches the bucket and the key prefix,
 * so no other object's result reaches the function. Locally, the object store's `onObjectCreated` hook
 * publishes the same event (infra/local/runtime.ts) for every object stored under `prefix`.
 */
export interface EventTrigger {
  type: 'event';
  /** Short name; the rule is named by `eventRuleName` (the stateful stack lets it use the DLQ by that name). */
  name: string;
  source: 'aws.guardduty';
  detailType: 'GuardDuty Malware Protection Object Scan Result';
  /** Only results for objects of the hub bucket under this prefix match. */
  prefix: BucketPrefix;
  /** Target retry policy: attempts to deliver the event to the function before it goes to the DLQ. */
  retryAttempts: number;
  maxEventAgeSeconds: number;
}

export type Trigger = HttpTrigger | QueueTrigger | ScheduleTrigger | EventTrigger;

export interface FunctionAccess {
  database: boolean;
  /**
   * `erase`: prefixes where the function deletes objects with every version (erasure and retention,
   * docs/privacy.md): s3:DeleteObject and s3:DeleteObjectVersion on the keys, s3:ListBucketVersions on the bucket.
   */
  bucket: { read: BucketPrefix[]; write: BucketPrefix[]; erase?: BucketPrefix[] };
  queues: { send: QueueName[] };
  secrets: { read: SecretScope[]; write: SecretScope[] };
}

export interface FunctionSpec {
  name: string;
  description: string;
  /** Path from the repository root. The exported handler is always `handler`. */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  triggers: Trigger[];
  access: FunctionAccess;
  /**
   * Static files the function serves, built by a script (its path from the repository root, called with the
   * output folder): by CDK after esbuild, into `<bundle>/<folder>`; by the local runtime at start, into
   * `.local/<folder>`, whose path it hands over as CONSOLE_ASSETS_DIR.
   */
  assets?: { build: string; folder: string };
}

export interface QueueSpec {
  name: QueueName;
  description: string;
  /** Receives before a message moves to the dead-letter queue (docs/reliability.md §1.3: at least 5). */
  maxReceiveCount: number;
}

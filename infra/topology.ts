/**
 * The single description of the system (docs/architecture.md, "One topology, two runtimes"): every function,
 * its entry, triggers, timeout and memory, and exactly what it may touch. The CDK stacks and the local
 * runtime both read this; neither writes a trigger or a permission of its own.
 */

import type { QueueName } from '../shared/config/resources.js';

// the runtime's resource names are defined in shared/ (functions/ never import infra/); re-exported for infra
export {
  type BucketPrefix,
  bucketLayout,
  type QueueName,
  SCAN_STATUS_TAG,
  type SecretScope,
} from '../shared/config/resources.js';

import type { EventTrigger, FunctionSpec, HttpTrigger, QueueSpec, QueueTrigger } from './topology-types.js';

// the shapes live in their own module; importers keep reading them from here
export type * from './topology-types.js';

import { access, http } from './topology-builders.js';
import { operatorFunctions } from './topology-operator-functions.js';

export const queues: readonly QueueSpec[] = [
  {
    name: 'sync',
    description: 'sync jobs, webhook deliveries and status pushes for sync-worker',
    maxReceiveCount: 5,
  },
  { name: 'notify', description: 'notification events for the notifier', maxReceiveCount: 5 },
  { name: 'privacy', description: 'candidate erasures for erasure-worker', maxReceiveCount: 5 },
];

export const functions: readonly FunctionSpec[] = [
  {
    name: 'portal-submission',
    description: 'validate, dedupe and record a portal submission; hand back a presigned resume upload',
    entry: 'functions/portal-submission/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [http('POST', '/applications')],
    access: access({
      database: true,
      bucket: { read: [], write: ['resumes'] },
      queues: { send: ['sync', 'notify'] },
    }),
  },
  {
    name: 'stage-advance',
    description:
      'apply a stage move or status change under the ownership rules; requeue a failed push (submission, status, note, tags)',
    entry: 'functions/stage-advance/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      http('POST', '/applications/{id}/stage'),
      http('POST', '/applications/{id}/status'),
      http('POST', '/applications/{id}/push'),
      http('POST', '/push-log/{id}/retry'),
    ],
    access: access({ database: true, queues: { send: ['sync', 'notify'] } }),
  },
  {
    name: 'job-admin',
    description: 'create jobs with their stage pipeline; edit jobs along their lifecycle',
    entry: 'functions/job-admin/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [http('POST', '/jobs'), http('PATCH', '/jobs/{jobId}')],
    access: access({ database: true }),
  },
  {
    name: 'pipeline-read',
    description:
      'reads: jobs, applications, history, funnel, health, the OpenAPI document and resume download links',
    entry: 'functions/pipeline-read/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      http('GET', '/health', 'none'),
      http('GET', '/openapi.json', 'none'),
      http('GET', '/jobs'),
      http('GET', '/jobs/{jobId}'),
      http('GET', '/jobs/{jobId}/applications'),
      http('GET', '/applications/{id}'),
      http('GET', '/applications/{id}/documents/{documentId}'),
      http('GET', '/analytics/funnel'),
    ],
    // a presigned GET carries the signer's rights: it signs resume links (the bucket policy still refuses a
    // resume until GuardDuty tagged it clean)
    access: access({ database: true, bucket: { read: ['resumes'], write: [] } }),
  },
  {
    name: 'ats-record',
    description:
      'reads and writes of the recruiting record: candidates, tags, interviews, scorecards, offers, notes, rejection reasons',
    entry: 'functions/ats-record/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      http('GET', '/candidates'),
      http('GET', '/candidates/{id}'),
      http('PATCH', '/candidates/{id}'),
      http('PUT', '/candidates/{id}/tags'),
      http('GET', '/tags'),
      http('GET', '/applications/{id}/interviews'),
      http('POST', '/applications/{id}/interviews'),
      http('PATCH', '/interviews/{id}'),
      http('GET', '/applications/{id}/scorecards'),
      http('POST', '/interviews/{id}/scorecards'),
      http('GET', '/applications/{id}/offers'),
      http('GET', '/applications/{id}/notes'),
      http('POST', '/applications/{id}/notes'),
      http('GET', '/rejection-reasons'),
      http('POST', '/rejection-reasons'),
    ],
    // like stage-advance, a write publishes its outbox rows at once (notes and tags to the sync worker's push,
    // interviews and scorecards to the notifier); the scheduler relays whatever that misses
    access: access({ database: true, queues: { send: ['sync', 'notify'] } }),
  },
  {
    name: 'webhook-intake',
    description: 'verify provider signatures over the raw bytes, record each delivery once, enqueue it',
    entry: 'functions/webhook-intake/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [http('POST', '/webhooks/{provider}/{integrationId}', 'signature')],
    access: access({
      database: true,
      queues: { send: ['sync'] },
      secrets: { read: ['webhooks'], write: [] },
    }),
  },
  {
    name: 'integrations-admin',
    description:
      'connect providers, keep their credentials in the secrets store, change settings, trigger syncs, report status',
    entry: 'functions/integrations-admin/handler.ts',
    timeoutSeconds: 15,
    memoryMb: 512,
    triggers: [
      http('POST', '/integrations'),
      http('GET', '/integrations'),
      http('GET', '/integrations/{id}'),
      http('PATCH', '/integrations/{id}'),
      http('POST', '/integrations/{id}/sync'),
      http('GET', '/integrations/{id}/runs'),
      http('POST', '/integrations/{id}/webhook-secret'),
    ],
    access: access({
      database: true,
      queues: { send: ['sync'] },
      secrets: { read: ['providers', 'webhooks'], write: ['providers', 'webhooks'] },
    }),
  },
  {
    name: 'sync-scheduler',
    description: 'enqueue due incremental and full syncs; publish pending outbox rows',
    entry: 'functions/sync-scheduler/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    triggers: [
      {
        type: 'schedule',
        name: 'sync-tick',
        expression: 'rate(1 minute)',
        localEverySeconds: 15,
        input: { task: 'tick' },
      },
    ],
    access: access({ database: true, queues: { send: ['sync', 'notify'] } }),
  },
  {
    name: 'sync-worker',
    description:
      'pull provider pages and upsert them; apply webhook deliveries; push status changes and portal submissions out',
    entry: 'functions/sync-worker/handler.ts',
    timeoutSeconds: 120,
    memoryMb: 1024,
    triggers: [
      { type: 'queue', queue: 'sync', batchSize: 5, maxBatchingWindowSeconds: 0, maxConcurrency: 10 },
    ],
    access: access({
      database: true,
      // the write-back attaches clean resumes (docs/write-back.md); the bucket policy refuses unscanned ones
      bucket: { read: ['resumes'], write: ['raw'] },
      queues: { send: ['sync', 'notify'] },
      secrets: { read: ['providers'], write: [] },
    }),
  },
  {
    name: 'analytics-export',
    description: 'compute funnel metrics in SQL, write JSON/CSV/HTML to S3, push to providers that accept it',
    entry: 'functions/analytics-export/handler.ts',
    timeoutSeconds: 300,
    memoryMb: 1024,
    triggers: [
      {
        type: 'schedule',
        name: 'analytics-daily',
        expression: 'cron(15 2 * * ? *)',
        localEverySeconds: 24 * 60 * 60,
        input: { task: 'daily-export' },
      },
    ],
    access: access({
      database: true,
      bucket: { read: [], write: ['exports'] },
      queues: { send: ['notify'] },
      secrets: { read: ['providers'], write: [] },
    }),
  },
  {
    name: 'subscriptions-admin',
    description:
      'manage notification subscriptions (webhook, Slack, Teams), read their delivery log, replay deliveries',
    entry: 'functions/subscriptions-admin/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      http('POST', '/subscriptions'),
      http('GET', '/subscriptions'),
      http('DELETE', '/subscriptions/{id}'),
      http('GET', '/subscriptions/{id}/deliveries'),
      http('POST', '/subscriptions/{id}/deliveries/{deliveryId}/redeliver'),
    ],
    // webhook signing secrets live under the webhooks scope (`webhooks/subscriptions/<id>`)
    access: access({
      database: true,
      queues: { send: ['notify'] },
      secrets: { read: [], write: ['webhooks'] },
    }),
  },
  {
    name: 'document-scan',
    description:
      'record the GuardDuty malware scan result of an uploaded resume: sniff its type, set clean/infected/rejected/failed',
    entry: 'functions/document-scan/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 512,
    triggers: [
      {
        type: 'event',
        name: 'scan-result',
        source: 'aws.guardduty',
        detailType: 'GuardDuty Malware Protection Object Scan Result',
        prefix: 'resumes',
        retryAttempts: 8,
        maxEventAgeSeconds: 6 * 60 * 60,
      },
    ],
    // reads a resume only once GuardDuty tagged it NO_THREATS_FOUND (the bucket policy allows nothing else);
    // publishes the verdict's outbox row at once, waking the application's write-back
    access: access({
      database: true,
      bucket: { read: ['resumes'], write: [] },
      queues: { send: ['sync', 'notify'] },
    }),
  },
  {
    name: 'notifier',
    description:
      'fan outbox events out to subscriptions; deliver signed webhooks and Slack/Teams messages with retries',
    entry: 'functions/notifier/handler.ts',
    // one attempt is bounded by NOTIFY_REQUEST_TIMEOUT_MS (15 s); attempts of a batch run side by side
    timeoutSeconds: 30,
    memoryMb: 512,
    triggers: [
      { type: 'queue', queue: 'notify', batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 5 },
    ],
    access: access({
      database: true,
      queues: { send: ['notify'] },
      secrets: { read: ['webhooks'], write: [] },
    }),
  },
  {
    name: 'candidate-privacy',
    description:
      'erasure requests and their progress, subject access exports, retention settings (admin only)',
    entry: 'functions/candidate-privacy/handler.ts',
    timeoutSeconds: 15,
    memoryMb: 512,
    triggers: [
      http('POST', '/candidates/{id}/erase'),
      http('GET', '/erasures/{id}'),
      http('GET', '/candidates/{id}/export'),
      http('GET', '/privacy/retention'),
      http('PUT', '/privacy/retention'),
    ],
    // the export signs links to the person's clean resumes
    access: access({
      database: true,
      bucket: { read: ['resumes'], write: [] },
      queues: { send: ['privacy'] },
    }),
  },
  {
    name: 'erasure-worker',
    description: 'erase a candidate: documents (all versions), raw pages, providers (anonymize), every table',
    entry: 'functions/erasure-worker/handler.ts',
    timeoutSeconds: 120,
    memoryMb: 512,
    triggers: [
      { type: 'queue', queue: 'privacy', batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 2 },
    ],
    // reads and rewrites raw pages; deletes resumes and raw pages, every version (docs/privacy.md)
    access: access({
      database: true,
      bucket: { read: ['raw'], write: ['raw'], erase: ['resumes', 'raw'] },
      secrets: { read: ['providers'], write: [] },
    }),
  },
  {
    name: 'retention-sweep',
    description: 'delete raw pages, documents, delivery bodies and exports past their retention',
    entry: 'functions/retention-sweep/handler.ts',
    timeoutSeconds: 300,
    memoryMb: 512,
    triggers: [
      {
        type: 'schedule',
        name: 'retention-hourly',
        expression: 'rate(1 hour)',
        localEverySeconds: 60 * 60,
        input: { task: 'sweep' },
      },
    ],
    // re-queues erasures whose delivery was lost; reads raw pages to drop erased people that came back
    access: access({
      database: true,
      bucket: { read: ['raw'], write: ['raw'], erase: ['resumes', 'raw', 'exports'] },
      queues: { send: ['privacy'] },
    }),
  },
  ...operatorFunctions,
];

export function functionByName(name: string): FunctionSpec {
  const spec = functions.find((f) => f.name === name);
  if (!spec) throw new Error(`no function named ${name} in the topology`);
  return spec;
}

export function httpRoutes(): { fn: FunctionSpec; trigger: HttpTrigger }[] {
  return functions.flatMap((fn) =>
    fn.triggers.filter((t): t is HttpTrigger => t.type === 'http').map((trigger) => ({ fn, trigger })),
  );
}

export function eventTriggers(): { fn: FunctionSpec; trigger: EventTrigger }[] {
  return functions.flatMap((fn) =>
    fn.triggers.filter((t): t is EventTrigger => t.type === 'event').map((trigger) => ({ fn, trigger })),
  );
}

/**
 * Name of the EventBridge rule of an event trigger in a stage, e.g. `hub-dev-document-scan-scan-result`. Fixed
 * rather than generated so that the stateful stack can name the rule in the DLQ's resource policy without a
 * reference to the stateless stack (which would be a dependency cycle).
 */
export function eventRuleName(stage: string, fn: Pick<FunctionSpec, 'name'>, trigger: EventTrigger): string {
  return `hub-${stage}-${fn.name}-${trigger.name}`.slice(0, 64);
}

/** Functions invoked asynchronously (schedules, EventBridge rules): they get the failed-invocations DLQ. */
export function invokedAsynchronously(fn: Pick<FunctionSpec, 'triggers'>): boolean {
  return fn.triggers.some((t) => t.type === 'schedule' || t.type === 'event');
}

/** Visibility timeout of a queue: at least 6 × its consumer's timeout plus the batching window. */
export function visibilityTimeoutSeconds(queue: QueueName): number {
  const consumers = functions.flatMap((fn) =>
    fn.triggers
      .filter((t): t is QueueTrigger => t.type === 'queue' && t.queue === queue)
      .map((t) => 6 * fn.timeoutSeconds + t.maxBatchingWindowSeconds),
  );
  return Math.max(30, ...consumers);
}

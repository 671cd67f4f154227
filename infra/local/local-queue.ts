import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Queue, QueueMessage, SendBatchResult } from '../../shared/ports/queue.js';
import {
  type FunctionSpec,
  type QueueName,
  type QueueTrigger,
  queues as topologyQueues,
  visibilityTimeoutSeconds,
} from '../topology.js';
import { createLambdaContext, LOCAL_ACCOUNT_ID } from './lambda-context.js';
import { type BatchVerdict, interpretBatchResponse } from './queue/batch-response.js';
import { type QueueClock, systemClock } from './queue/clock.js';

export { type BatchVerdict, interpretBatchResponse } from './queue/batch-response.js';
export { ManualClock, type QueueClock, settle, systemClock } from './queue/clock.js';

/**
 * An in-process queue with the SQS semantics the hub relies on (reliability.md §1), for the local
 * runtime and for tests:
 * - producers use the Queue port (`sendBatch`), answered per entry like SendMessageBatch, with
 *   `delaySeconds`; failures can be injected (`failNextSends`, `failNextSendCalls`);
 * - one consumer per queue plays the Lambda event source mapping: batches of up to `batchSize`, a
 *   batching window, at most `maxConcurrency` batches at once, SQS-shaped `SQSEvent` records;
 * - a delivered message is invisible until it is deleted or its visibility timeout passes; each receive
 *   increments `ApproximateReceiveCount`; a message received `maxReceiveCount` times that becomes
 *   visible again moves to the dead-letter queue instead of being delivered (redrive policy);
 * - the handler's answer is read per §1.4 (`queue/batch-response.ts`): listed ids stay and return after
 *   the visibility timeout, the rest are deleted; a thrown error, an unreadable answer or a function
 *   timeout leaves the whole batch to return after the visibility timeout.
 * Not simulated: FIFO ordering and group blocking, duplicate deliveries of standard queues, message
 * attributes, the mapping's scale-down after errors. A delete uses the receipt handle of its batch: if
 * the message was received again meanwhile, the stale delete leaves it in the queue, as in SQS.
 */

/** A Lambda SQS handler; its answer is normally an `SQSBatchResponse` or nothing (read per §1.4 whatever it is). */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | unknown>;

export interface LocalQueueOptions {
  /** Queue name; also the last part of the queue ARN. */
  name: string;
  visibilityTimeoutSeconds: number;
  /** Redrive policy: receives before a message moves to the dead-letter queue. Omit for no redrive. */
  maxReceiveCount?: number;
  /** The dead-letter queue; created as `${name}-dlq` when maxReceiveCount is set and this is absent. */
  deadLetterQueue?: LocalQueue;
  region?: string;
  accountId?: string;
  clock?: QueueClock;
  /** SQS maximum message size (1 MiB since 2025). */
  maxMessageBytes?: number;
  /** Handler errors and timeouts; defaults to console.error. */
  onError?: (error: unknown, info: { queue: string; messageIds: string[] }) => void;
}

export interface ConsumerOptions {
  handler: SqsHandler;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  maxConcurrency: number;
  functionName: string;
  timeoutSeconds: number;
  memoryMb?: number;
  /** Builds the Lambda context of one invocation; defaults to `createLambdaContext` on the queue clock. */
  contextFor?: () => Context;
  /** Called after every batch with what happened to it. */
  onBatch?: (report: BatchReport) => void;
}

export interface BatchReport {
  messageIds: string[];
  outcome: 'success' | 'partial' | 'failure' | 'error' | 'timeout';
  /** Ids that stay in the queue (all of them unless the outcome is success or partial). */
  failedIds: string[];
  reason?: string;
}

export type MessageState = 'visible' | 'inFlight' | 'delayed';

export interface MessageSnapshot {
  messageId: string;
  body: string;
  state: MessageState;
  receiveCount: number;
  sentTimestamp: number;
  visibleAt: number;
  groupId?: string;
  deduplicationId?: string;
}

export interface QueueStats {
  visible: number;
  inFlight: number;
  delayed: number;
  /** Messages in this queue in any state (not counting the dead-letter queue). */
  total: number;
  deadLetters: number;
  sent: number;
  deleted: number;
  receives: number;
  batches: number;
  movedToDeadLetter: number;
  activeBatches: number;
}

interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentTimestamp: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp: number | undefined;
  receiptHandle: string | undefined;
  groupId: string | undefined;
  deduplicationId: string | undefined;
  deadLetterSourceArn: string | undefined;
}

interface InjectedFailure {
  code: string;
  senderFault: boolean;
}

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
// Characters SQS accepts in a message body.
const INVALID_BODY_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const SENDER_ID = 'AIDALOCALRUNTIME00000';
const MAX_DELAY_SECONDS = 900;
/** Lambda's synchronous invocation payload limit bounds a batch. */
const MAX_BATCH_PAYLOAD_BYTES = 6 * 1024 * 1024;
const SEND_CHUNK = 10;

export class LocalQueue implements Queue {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number | undefined;
  readonly deadLetterQueue: LocalQueue | undefined;
  readonly clock: QueueClock;

  private readonly maxMessageBytes: number;
  private readonly onError: NonNullable<LocalQueueOptions['onError']>;
  private readonly messages = new Map<string, StoredMessage>();
  private consumer: ConsumerOptions | undefined;
  private stopped = false;
  private readonly active = new Set<Promise<void>>();
  private pumpScheduled: Promise<void> | undefined;
  private wakeTimer: unknown;
  private wakeAt: number | undefined;
  private windowDeadline: number | undefined;
  private readonly failIds = new Map<string, InjectedFailure>();
  private failCount: { remaining: number; failure: InjectedFailure } | undefined;
  private failCalls: { remaining: number; code: string } | undefined;
  private counters = { sent: 0, deleted: 0, receives: 0, batches: 0, movedToDeadLetter: 0 };

  constructor(options: LocalQueueOptions) {
    if (!(options.visibilityTimeoutSeconds >= 0)) throw new Error('visibilityTimeoutSeconds must be ≥ 0');
    this.name = options.name;
    this.region = options.region ?? 'us-east-1';
    this.arn = `arn:aws:sqs:${this.region}:${options.accountId ?? LOCAL_ACCOUNT_ID}:${options.name}`;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    this.clock = options.clock ?? systemClock;
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
    this.onError =
      options.onError ??
      ((error, info) =>
        console.error(`queue ${info.queue}: batch ${info.messageIds.join(',')} failed`, error));
    this.maxReceiveCount = options.maxReceiveCount;
    if (options.maxReceiveCount !== undefined) {
      if (!Number.isInteger(options.maxReceiveCount) || options.maxReceiveCount < 1) {
        throw new Error('maxReceiveCount must be an integer ≥ 1');
      }
      this.deadLetterQueue =
        options.deadLetterQueue ??
        new LocalQueue({
          name: `${options.name}-dlq`,
          visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
          region: this.region,
          accountId: options.accountId,
          clock: this.clock,
          maxMessageBytes: this.maxMessageBytes,
        });
    } else {
      this.deadLetterQueue = options.deadLetterQueue;
    }
  }

  // ---------------------------------------------------------------- producer side (Queue port)

  async sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    const ids = new Set<string>();
    for (const m of messages) {
      if (ids.has(m.id)) throw new Error(`duplicate batch entry id ${JSON.stringify(m.id)}`);
      ids.add(m.id);
    }
    const result: SendBatchResult = { successful: [], failed: [] };
    for (let i = 0; i < messages.length; i += SEND_CHUNK) {
      const chunk = messages.slice(i, i + SEND_CHUNK);
      if (this.failCalls && this.failCalls.remaining > 0) {
        const code = this.failCalls.code;
        this.failCalls.remaining -= 1;
        result.failed.push(...chunk.map((m) => ({ id: m.id, code, senderFault: false })));
        continue;
      }
      for (const m of chunk) {
        const failure = this.validate(m) ?? this.injectedFailure(m.id);
        if (failure) {
          result.failed.push({ id: m.id, ...failure });
          continue;
        }
        this.enqueue(m);
        result.successful.push(m.id);
      }
    }
    if (result.successful.length > 0) this.schedulePump();
    return result;
  }

  /** The next sends report these entry ids (each once) or the next `count` entries as SQS `Failed`. */
  failNextSends(target: readonly string[] | number, failure: Partial<InjectedFailure> = {}): void {
    const f: InjectedFailure = {
      code: failure.code ?? 'InternalError',
      senderFault: failure.senderFault ?? false,
    };
    if (typeof target === 'number') this.failCount = { remaining: target, failure: f };
    else for (const id of target) this.failIds.set(id, f);
  }

  /** The next `calls` SendMessageBatch calls (chunks of 10) fail as a whole, as a thrown call does. */
  failNextSendCalls(calls = 1, code = 'ServiceUnavailable'): void {
    this.failCalls = { remaining: calls, code };
  }

  private validate(m: QueueMessage): InjectedFailure | undefined {
    const invalid = { code: 'InvalidParameterValue', senderFault: true };
    if (!ENTRY_ID.test(m.id)) return { code: 'InvalidBatchEntryId', senderFault: true };
    if (typeof m.body !== 'string' || m.body.length === 0) return invalid;
    if (Buffer.byteLength(m.body, 'utf8') > this.maxMessageBytes) return invalid;
    if (INVALID_BODY_CHARS.test(m.body)) return { code: 'InvalidMessageContents', senderFault: true };
    if (m.delaySeconds !== undefined) {
      if (!Number.isInteger(m.delaySeconds) || m.delaySeconds < 0 || m.delaySeconds > MAX_DELAY_SECONDS)
        return invalid;
    }
    return undefined;
  }

  private injectedFailure(id: string): InjectedFailure | undefined {
    const byId = this.failIds.get(id);
    if (byId) {
      this.failIds.delete(id);
      return byId;
    }
    if (this.failCount && this.failCount.remaining > 0) {
      this.failCount.remaining -= 1;
      return this.failCount.failure;
    }
    return undefined;
  }

  private enqueue(m: QueueMessage): void {
    const now = this.clock.now();
    const messageId = randomUUID();
    this.messages.set(messageId, {
      messageId,
      body: m.body,
      md5OfBody: createHash('md5').update(m.body, 'utf8').digest('hex'),
      sentTimestamp: now,
      visibleAt: now + (m.delaySeconds ?? 0) * 1000,
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      receiptHandle: undefined,
      groupId: m.groupId,
      deduplicationId: m.deduplicationId,
      deadLetterSourceArn: undefined,
    });
    this.counters.sent += 1;
  }

  /** Takes a message moved here by a source queue's redrive policy. */
  private acceptDeadLetter(message: StoredMessage, sourceArn: string): void {
    this.messages.set(message.messageId, {
      ...message,
      visibleAt: this.clock.now(),
      receiptHandle: undefined,
      deadLetterSourceArn: sourceArn,
    });
    this.counters.sent += 1;
    this.schedulePump();
  }

  // ---------------------------------------------------------------- consumer side (event source mapping)

  /** Attaches the one consumer of this queue (a Lambda event source mapping). */
  consume(options: ConsumerOptions): void {
    if (this.consumer) throw new Error(`queue ${this.name} already has a consumer`);
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
      throw new Error('batchSize must be ≥ 1');
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
      throw new Error('maxConcurrency must be ≥ 1');
    }
    if (!(options.maxBatchingWindowSeconds >= 0)) throw new Error('maxBatchingWindowSeconds must be ≥ 0');
    if (options.timeoutSeconds > this.visibilityTimeoutSeconds) {
      // Lambda refuses such a mapping (reliability.md §1.2).
      throw new Error(
        `function timeout ${options.timeoutSeconds}s exceeds the visibility timeout ${this.visibilityTimeoutSeconds}s of ${this.name}`,
      );
    }
    this.consumer = options;
    this.stopped = false;
    this.schedulePump();
  }

  /** Stops delivering (sends are still accepted) and waits for the batches under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearWake();
    await Promise.all([...this.active]);
    await this.deadLetterQueue?.stop();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = Promise.resolve().then(() => {
      this.pumpScheduled = undefined;
      this.pump();
    });
  }

  private pump(): void {
    const consumer = this.consumer;
    if (!consumer || this.stopped) return;
    const now = this.clock.now();
    this.redriveExhausted(now);
    while (this.active.size < consumer.maxConcurrency) {
      const visible = this.visibleMessages(now);
      if (visible.length === 0) {
        this.windowDeadline = undefined;
        break;
      }
      if (visible.length < consumer.batchSize && consumer.maxBatchingWindowSeconds > 0) {
        this.windowDeadline ??= now + consumer.maxBatchingWindowSeconds * 1000;
        if (now < this.windowDeadline) break;
      }
      this.windowDeadline = undefined;
      const batch: StoredMessage[] = [];
      let bytes = 0;
      for (const m of visible) {
        if (batch.length >= consumer.batchSize) break;
        const size = Buffer.byteLength(m.body, 'utf8') + 1024;
        if (batch.length > 0 && bytes + size > MAX_BATCH_PAYLOAD_BYTES) break;
        batch.push(m);
        bytes += size;
      }
      this.deliver(consumer, batch, now);
    }
    this.scheduleWake(now);
  }

  private visibleMessages(now: number): StoredMessage[] {
    const visible: StoredMessage[] = [];
    for (const m of this.messages.values()) if (m.visibleAt <= now) visible.push(m);
    return visible;
  }

  private redriveExhausted(now: number): void {
    const dlq = this.deadLetterQueue;
    if (this.maxReceiveCount === undefined || !dlq) return;
    for (const m of [...this.messages.values()]) {
      if (m.visibleAt <= now && m.receiveCount >= this.maxReceiveCount) {
        this.messages.delete(m.messageId);
        this.counters.movedToDeadLetter += 1;
        dlq.acceptDeadLetter(m, this.arn);
      }
    }
  }

  private toRecord(m: StoredMessage): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle ?? '',
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentTimestamp),
        SenderId: SENDER_ID,
        ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? m.sentTimestamp),
        ...(m.groupId !== undefined ? { MessageGroupId: m.groupId } : {}),
        ...(m.deduplicationId !== undefined ? { MessageDeduplicationId: m.deduplicationId } : {}),
        ...(m.deadLetterSourceArn !== undefined ? { DeadLetterQueueSourceArn: m.deadLetterSourceArn } : {}),
      },
      messageAttributes: {},
      md5OfBody: m.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: this.region,
    };
  }

  private deliver(consumer: ConsumerOptions, batch: StoredMessage[], now: number): void {
    const handles = new Map<string, string>();
    for (const m of batch) {
      m.receiveCount += 1;
      m.firstReceiveTimestamp ??= now;
      m.receiptHandle = Buffer.from(`${m.messageId}:${randomUUID()}`).toString('base64');
      m.visibleAt = now + this.visibilityTimeoutSeconds * 1000;
      handles.set(m.messageId, m.receiptHandle);
    }
    this.counters.receives += batch.length;
    this.counters.batches += 1;
    const event: SQSEvent = { Records: batch.map((m) => this.toRecord(m)) };
    const ids = batch.map((m) => m.messageId);
    const run = this.invoke(consumer, event, new Set(ids)).then((verdict) => {
      const report = this.settleBatch(handles, ids, verdict);
      consumer.onBatch?.(report);
    });
    const tracked = run
      .catch((error: unknown) => this.onError(error, { queue: this.name, messageIds: ids }))
      .finally(() => {
        this.active.delete(tracked);
        this.schedulePump();
      });
    this.active.add(tracked);
  }

  private async invoke(
    consumer: ConsumerOptions,
    event: SQSEvent,
    ids: ReadonlySet<string>,
  ): Promise<BatchVerdict | { kind: 'error' | 'timeout'; reason: string }> {
    const context =
      consumer.contextFor?.() ??
      createLambdaContext({
        functionName: consumer.functionName,
        timeoutSeconds: consumer.timeoutSeconds,
        memoryMb: consumer.memoryMb,
        region: this.region,
        now: () => this.clock.now(),
      });
    let timer: unknown;
    const timeout = new Promise<{ kind: 'timeout'; reason: string }>((resolve) => {
      timer = this.clock.setTimeout(
        () => resolve({ kind: 'timeout', reason: `Task timed out after ${consumer.timeoutSeconds} seconds` }),
        consumer.timeoutSeconds * 1000,
      );
    });
    const handled = Promise.resolve()
      .then(() => consumer.handler(event, context))
      .then(
        (response) => interpretBatchResponse(response, ids),
        (error: unknown) => {
          this.onError(error, { queue: this.name, messageIds: [...ids] });
          return { kind: 'error' as const, reason: error instanceof Error ? error.message : String(error) };
        },
      );
    try {
      const outcome = await Promise.race([handled, timeout]);
      if (outcome.kind === 'timeout')
        this.onError(new Error(outcome.reason), { queue: this.name, messageIds: [...ids] });
      return outcome;
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private settleBatch(
    handles: Map<string, string>,
    ids: string[],
    verdict: BatchVerdict | { kind: 'error' | 'timeout'; reason: string },
  ): BatchReport {
    let failed: Set<string>;
    if (verdict.kind === 'success') failed = new Set();
    else if (verdict.kind === 'partial') failed = verdict.failedIds;
    else failed = new Set(ids);
    for (const id of ids) {
      if (failed.has(id)) continue;
      const m = this.messages.get(id);
      // A stale receipt handle (the message was received again meanwhile) deletes nothing.
      if (m && m.receiptHandle === handles.get(id)) {
        this.messages.delete(id);
        this.counters.deleted += 1;
      }
    }
    const report: BatchReport = {
      messageIds: ids,
      outcome: verdict.kind,
      failedIds: ids.filter((id) => failed.has(id)),
    };
    if ('reason' in verdict) report.reason = verdict.reason;
    return report;
  }

  private clearWake(): void {
    if (this.wakeTimer !== undefined) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = undefined;
  }

  /** One timer for the next instant something may become deliverable (visibility, delay, window). */
  private scheduleWake(now: number): void {
    let next: number | undefined;
    for (const m of this.messages.values()) {
      if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    }
    if (this.windowDeadline !== undefined && this.windowDeadline > now) {
      next = next === undefined ? this.windowDeadline : Math.min(next, this.windowDeadline);
    }
    if (next === this.wakeAt) return;
    this.clearWake();
    if (next === undefined) return;
    this.wakeAt = next;
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = undefined;
      this.pump();
    }, next - now);
  }

  // ---------------------------------------------------------------- inspection and test helpers

  stats(): QueueStats {
    const now = this.clock.now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      const state = stateOf(m, now);
      if (state === 'visible') visible += 1;
      else if (state === 'inFlight') inFlight += 1;
      else delayed += 1;
    }
    return {
      visible,
      inFlight,
      delayed,
      total: this.messages.size,
      deadLetters: this.deadLetterQueue?.messages.size ?? 0,
      ...this.counters,
      activeBatches: this.active.size,
    };
  }

  /** Every message in this queue with its state. */
  peek(): MessageSnapshot[] {
    const now = this.clock.now();
    return [...this.messages.values()].map((m) => snapshot(m, now));
  }

  /** Messages in the dead-letter queue. */
  deadLetters(): MessageSnapshot[] {
    return this.deadLetterQueue?.peek() ?? [];
  }

  /** Moves every dead-lettered message back to this queue (an SQS DLQ redrive); returns how many. */
  redriveDeadLetters(): number {
    const dlq = this.deadLetterQueue;
    if (!dlq) return 0;
    const moved = [...dlq.messages.values()];
    dlq.messages.clear();
    const now = this.clock.now();
    for (const m of moved) {
      this.messages.set(m.messageId, {
        ...m,
        visibleAt: now,
        receiveCount: 0,
        firstReceiveTimestamp: undefined,
        receiptHandle: undefined,
        deadLetterSourceArn: undefined,
      });
    }
    this.schedulePump();
    return moved.length;
  }

  purge(): void {
    this.messages.clear();
    this.clearWake();
  }

  /**
   * Resolves once nothing is being handled and nothing deliverable is waiting at the current instant
   * (messages waiting for a visibility timeout, a delay or a batching window do not count).
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.pumpScheduled) {
        await this.pumpScheduled;
        continue;
      }
      if (this.active.size > 0) {
        await Promise.race([...this.active]);
        continue;
      }
      if (
        this.deadLetterQueue &&
        (this.deadLetterQueue.pumpScheduled || this.deadLetterQueue.active.size > 0)
      ) {
        await this.deadLetterQueue.idle();
        continue;
      }
      return;
    }
  }

  /**
   * Resolves once this queue holds no message at all (each one deleted or dead-lettered). With a
   * ManualClock it moves time from one pending timer to the next; with real time it waits.
   * Fails if no consumer is attached or if `maxMs` of (virtual) time pass first.
   */
  async drain(options: { maxMs?: number } = {}): Promise<void> {
    const deadline = this.clock.now() + (options.maxMs ?? 24 * 60 * 60 * 1000);
    for (;;) {
      await this.idle();
      if (this.messages.size === 0) return;
      if (!this.consumer || this.stopped)
        throw new Error(`queue ${this.name} has messages but no running consumer`);
      if (this.clock.now() >= deadline) throw new Error(`queue ${this.name} did not drain in time`);
      const manual = this.clock as Partial<{ advanceToNextTimer(): Promise<boolean> }>;
      if (typeof manual.advanceToNextTimer === 'function') {
        if (!(await manual.advanceToNextTimer()))
          throw new Error(`queue ${this.name} is stuck: no timer pending`);
      } else {
        const wait = Math.max(1, Math.min(50, (this.wakeAt ?? this.clock.now() + 50) - this.clock.now()));
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}

function stateOf(m: StoredMessage, now: number): MessageState {
  if (m.visibleAt <= now) return 'visible';
  return m.receiptHandle !== undefined ? 'inFlight' : 'delayed';
}

function snapshot(m: StoredMessage, now: number): MessageSnapshot {
  return {
    messageId: m.messageId,
    body: m.body,
    state: stateOf(m, now),
    receiveCount: m.receiveCount,
    sentTimestamp: m.sentTimestamp,
    visibleAt: m.visibleAt,
    ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
    ...(m.deduplicationId !== undefined ? { deduplicationId: m.deduplicationId } : {}),
  };
}

// ---------------------------------------------------------------- topology wiring

/** The queue trigger of a topology function. */
export function queueTriggerOf(fn: FunctionSpec): QueueTrigger {
  const trigger = fn.triggers.find((t): t is QueueTrigger => t.type === 'queue');
  if (!trigger) throw new Error(`function ${fn.name} has no queue trigger`);
  return trigger;
}

/** Consumer options for a topology function from its queue trigger, timeout and memory. */
export function consumerOptionsFor(
  fn: FunctionSpec,
  handler: SqsHandler,
  extra: Pick<ConsumerOptions, 'contextFor' | 'onBatch'> = {},
): ConsumerOptions {
  const trigger = queueTriggerOf(fn);
  return {
    handler,
    batchSize: trigger.batchSize,
    maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
    maxConcurrency: trigger.maxConcurrency,
    functionName: fn.name,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
    ...extra,
  };
}

/** One LocalQueue (with its dead-letter queue) per topology queue, visibility timeouts per §1.2. */
export function createLocalQueues(
  options: Omit<
    LocalQueueOptions,
    'name' | 'visibilityTimeoutSeconds' | 'maxReceiveCount' | 'deadLetterQueue'
  > = {},
): Record<QueueName, LocalQueue> {
  const result = {} as Record<QueueName, LocalQueue>;
  for (const spec of topologyQueues) {
    result[spec.name] = new LocalQueue({
      ...options,
      name: spec.name,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(spec.name),
      maxReceiveCount: spec.maxReceiveCount,
    });
  }
  return result;
}

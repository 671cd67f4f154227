/**
 * The Lambda SQS event source mapping of one local queue: batches of up to `batchSize`, a batching window, at
 * most `maxConcurrency` batches at once, SQS-shaped `SQSEvent` records, the function timeout, and the
 * handler's answer read per docs/reliability.md §1.4 (`batch-response.ts`): listed ids stay and return after the
 * visibility timeout, the rest are deleted; a thrown error, an unreadable answer or a timeout leaves the
 * whole batch to return. Not simulated: FIFO ordering and group blocking, the scale-down after errors.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createLambdaContext } from '../lambda-context.js';
import { type BatchVerdict, interpretBatchResponse } from './batch-response.js';
import type { QueueClock } from './clock.js';
import type { StoredMessage } from './messages.js';

/** A Lambda SQS handler; its answer is normally an `SQSBatchResponse` or nothing (read per §1.4 whatever it is). */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | unknown>;

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

/** What the mapping needs of its queue. */
export interface PolledQueue {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly visibilityTimeoutSeconds: number;
  readonly clock: QueueClock;
  /** Moves the messages that used up their receives to the dead-letter queue. */
  redriveExhausted(now: number): void;
  visibleMessages(now: number): StoredMessage[];
  /** The earliest instant after `now` at which a message becomes visible. */
  nextVisibleAt(now: number): number | undefined;
  /** Marks the batch in flight for the visibility timeout; returns each message's new receipt handle. */
  receive(batch: StoredMessage[], now: number): Map<string, string>;
  /** Deletes each message whose receipt handle is still the given one. */
  deleteReceived(handles: Map<string, string>): void;
  reportError(error: unknown, messageIds: string[]): void;
}

type Verdict = BatchVerdict | { kind: 'error' | 'timeout'; reason: string };

const SENDER_ID = 'AIDALOCALRUNTIME00000';
/** Lambda's synchronous invocation payload limit bounds a batch. */
const MAX_BATCH_PAYLOAD_BYTES = 6 * 1024 * 1024;

export class EventSourceMapping {
  stopped = false;
  /** When the next pump is due (visibility, delay or batching window), if one is. */
  wakeAt: number | undefined;
  receives = 0;
  batches = 0;
  private readonly active = new Set<Promise<void>>();
  private pumpScheduled: Promise<void> | undefined;
  private wakeTimer: unknown;
  private windowDeadline: number | undefined;

  constructor(
    private readonly queue: PolledQueue,
    private readonly options: ConsumerOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
      throw new Error('batchSize must be ≥ 1');
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
      throw new Error('maxConcurrency must be ≥ 1');
    }
    if (!(options.maxBatchingWindowSeconds >= 0)) throw new Error('maxBatchingWindowSeconds must be ≥ 0');
    if (options.timeoutSeconds > queue.visibilityTimeoutSeconds) {
      // Lambda refuses such a mapping (docs/reliability.md §1.2).
      throw new Error(
        `function timeout ${options.timeoutSeconds}s exceeds the visibility timeout ${queue.visibilityTimeoutSeconds}s of ${queue.name}`,
      );
    }
  }

  get activeBatches(): number {
    return this.active.size;
  }

  /** A pump is scheduled or a batch is being handled. */
  get busy(): boolean {
    return this.pumpScheduled !== undefined || this.active.size > 0;
  }

  /** Looks for deliverable messages soon (after a send, a dead letter or a redrive). */
  wake(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = Promise.resolve().then(() => {
      this.pumpScheduled = undefined;
      this.pump();
    });
  }

  /** Stops delivering and waits for the batches under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearWake();
    await Promise.all([...this.active]);
  }

  /** Resolves once no pump is scheduled and no batch is being handled. */
  async idle(): Promise<void> {
    while (this.busy) {
      if (this.pumpScheduled) await this.pumpScheduled;
      else await Promise.race([...this.active]);
    }
  }

  clearWake(): void {
    if (this.wakeTimer !== undefined) this.queue.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = undefined;
  }

  private pump(): void {
    if (this.stopped) return;
    const { options, queue } = this;
    const now = queue.clock.now();
    queue.redriveExhausted(now);
    while (this.active.size < options.maxConcurrency) {
      const visible = queue.visibleMessages(now);
      if (visible.length === 0) {
        this.windowDeadline = undefined;
        break;
      }
      if (visible.length < options.batchSize && options.maxBatchingWindowSeconds > 0) {
        this.windowDeadline ??= now + options.maxBatchingWindowSeconds * 1000;
        if (now < this.windowDeadline) break;
      }
      this.windowDeadline = undefined;
      this.deliver(this.nextBatch(visible), now);
    }
    this.scheduleWake(now);
  }

  private nextBatch(visible: StoredMessage[]): StoredMessage[] {
    const batch: StoredMessage[] = [];
    let bytes = 0;
    for (const m of visible) {
      if (batch.length >= this.options.batchSize) break;
      const size = Buffer.byteLength(m.body, 'utf8') + 1024;
      if (batch.length > 0 && bytes + size > MAX_BATCH_PAYLOAD_BYTES) break;
      batch.push(m);
      bytes += size;
    }
    return batch;
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
      eventSourceARN: this.queue.arn,
      awsRegion: this.queue.region,
    };
  }

  private deliver(batch: StoredMessage[], now: number): void {
    const handles = this.queue.receive(batch, now);
    this.receives += batch.length;
    this.batches += 1;
    const event: SQSEvent = { Records: batch.map((m) => this.toRecord(m)) };
    const ids = batch.map((m) => m.messageId);
    const run = this.invoke(event, new Set(ids)).then((verdict) => {
      const report = this.settle(handles, ids, verdict);
      this.options.onBatch?.(report);
    });
    const tracked = run
      .catch((error: unknown) => this.queue.reportError(error, ids))
      .finally(() => {
        this.active.delete(tracked);
        this.wake();
      });
    this.active.add(tracked);
  }

  private async invoke(event: SQSEvent, ids: ReadonlySet<string>): Promise<Verdict> {
    const { options, queue } = this;
    const context =
      options.contextFor?.() ??
      createLambdaContext({
        functionName: options.functionName,
        timeoutSeconds: options.timeoutSeconds,
        memoryMb: options.memoryMb,
        region: queue.region,
        now: () => queue.clock.now(),
      });
    let timer: unknown;
    const timeout = new Promise<{ kind: 'timeout'; reason: string }>((resolve) => {
      timer = queue.clock.setTimeout(
        () => resolve({ kind: 'timeout', reason: `Task timed out after ${options.timeoutSeconds} seconds` }),
        options.timeoutSeconds * 1000,
      );
    });
    const handled = Promise.resolve()
      .then(() => options.handler(event, context))
      .then(
        (response) => interpretBatchResponse(response, ids),
        (error: unknown) => {
          queue.reportError(error, [...ids]);
          return { kind: 'error' as const, reason: error instanceof Error ? error.message : String(error) };
        },
      );
    try {
      const outcome = await Promise.race([handled, timeout]);
      if (outcome.kind === 'timeout') queue.reportError(new Error(outcome.reason), [...ids]);
      return outcome;
    } finally {
      queue.clock.clearTimeout(timer);
    }
  }

  private settle(handles: Map<string, string>, ids: string[], verdict: Verdict): BatchReport {
    let failed: Set<string>;
    if (verdict.kind === 'success') failed = new Set();
    else if (verdict.kind === 'partial') failed = verdict.failedIds;
    else failed = new Set(ids);
    const done = new Map([...handles].filter(([id]) => !failed.has(id)));
    this.queue.deleteReceived(done);
    const report: BatchReport = {
      messageIds: ids,
      outcome: verdict.kind,
      failedIds: ids.filter((id) => failed.has(id)),
    };
    if ('reason' in verdict) report.reason = verdict.reason;
    return report;
  }

  /** One timer for the next instant something may become deliverable (visibility, delay, window). */
  private scheduleWake(now: number): void {
    let next = this.queue.nextVisibleAt(now);
    if (this.windowDeadline !== undefined && this.windowDeadline > now) {
      next = next === undefined ? this.windowDeadline : Math.min(next, this.windowDeadline);
    }
    if (next === this.wakeAt) return;
    this.clearWake();
    if (next === undefined) return;
    this.wakeAt = next;
    this.wakeTimer = this.queue.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = undefined;
      this.pump();
    }, next - now);
  }
}

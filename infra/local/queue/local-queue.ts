import { randomUUID } from 'node:crypto';
import {
  type Queue,
  type QueueMessage,
  type SendBatchResult,
  sendInChunks,
} from '../../../shared/ports/queue.js';
import { LOCAL_ACCOUNT_ID } from '../lambda-context.js';
import { type QueueClock, systemClock } from './clock.js';
import { type ConsumerOptions, EventSourceMapping, type PolledQueue } from './event-source-mapping.js';
import {
  type EntryFailure,
  invalidEntry,
  type MessageSnapshot,
  type StoredMessage,
  snapshot,
  stateOf,
  storedMessage,
} from './messages.js';

export { ManualClock, type QueueClock, settle, systemClock } from './clock.js';
export type { BatchReport, ConsumerOptions, SqsHandler } from './event-source-mapping.js';
export type { EntryFailure, MessageSnapshot, MessageState } from './messages.js';

/**
 * An in-process queue with the SQS semantics the hub relies on (docs/reliability.md §1), for the local
 * runtime and for tests:
 * - producers use the Queue port (`sendBatch`), answered per entry like SendMessageBatch, with
 *   `delaySeconds`;
 * - one consumer per queue plays the Lambda event source mapping (`queue/event-source-mapping.ts`);
 * - a delivered message is invisible until it is deleted or its visibility timeout passes; each receive
 *   increments `ApproximateReceiveCount`; a message received `maxReceiveCount` times that becomes
 *   visible again moves to the dead-letter queue instead of being delivered (redrive policy).
 * Not simulated: duplicate deliveries of standard queues, message attributes. A delete uses the receipt
 * handle of its batch: if the message was received again meanwhile, the stale delete leaves it in the
 * queue, as in SQS.
 */

/**
 * Where a test plugs in failed sends (test/support/queue-send-faults.ts); infra never decides to fail.
 * Asked once per SendMessageBatch call (chunks of 10), then once per entry SQS would accept.
 */
export interface SendFaultHook {
  /** An error code that fails this whole call, as a thrown SendMessageBatch does. */
  callFailure(entryIds: readonly string[]): string | undefined;
  /** A failure to report for this entry instead of enqueueing it. */
  entryFailure(entryId: string): EntryFailure | undefined;
}

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
  sendFaults?: SendFaultHook;
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

export class LocalQueue implements Queue, PolledQueue {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number | undefined;
  readonly deadLetterQueue: LocalQueue | undefined;
  readonly clock: QueueClock;

  private readonly maxMessageBytes: number;
  private readonly onError: NonNullable<LocalQueueOptions['onError']>;
  private readonly sendFaults: SendFaultHook | undefined;
  private readonly messages = new Map<string, StoredMessage>();
  private mapping: EventSourceMapping | undefined;
  private counters = { sent: 0, deleted: 0, movedToDeadLetter: 0 };

  constructor(options: LocalQueueOptions) {
    if (!(options.visibilityTimeoutSeconds >= 0)) throw new Error('visibilityTimeoutSeconds must be ≥ 0');
    this.name = options.name;
    this.region = options.region ?? 'us-east-1';
    this.arn = `arn:aws:sqs:${this.region}:${options.accountId ?? LOCAL_ACCOUNT_ID}:${options.name}`;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    this.clock = options.clock ?? systemClock;
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
    this.sendFaults = options.sendFaults;
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
    const result = await sendInChunks(messages, (chunk) => this.sendChunk(chunk));
    if (result.successful.length > 0) this.mapping?.wake();
    return result;
  }

  /** One SendMessageBatch call: each entry checked as SQS does, then enqueued or reported failed. */
  private sendChunk(chunk: QueueMessage[]): SendBatchResult {
    const result: SendBatchResult = { successful: [], failed: [] };
    const callFailure = this.sendFaults?.callFailure(chunk.map((m) => m.id));
    if (callFailure !== undefined) {
      result.failed.push(...chunk.map((m) => ({ id: m.id, code: callFailure, senderFault: false })));
      return result;
    }
    for (const m of chunk) {
      const failure = invalidEntry(m, this.maxMessageBytes) ?? this.sendFaults?.entryFailure(m.id);
      if (failure) {
        result.failed.push({ id: m.id, ...failure });
        continue;
      }
      const message = storedMessage(m, this.clock.now());
      this.messages.set(message.messageId, message);
      this.counters.sent += 1;
      result.successful.push(m.id);
    }
    return result;
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
    this.mapping?.wake();
  }

  // ---------------------------------------------------------------- consumer side (event source mapping)

  /** Attaches the one consumer of this queue (a Lambda event source mapping). */
  consume(options: ConsumerOptions): void {
    if (this.mapping) throw new Error(`queue ${this.name} already has a consumer`);
    this.mapping = new EventSourceMapping(this, options);
    this.mapping.wake();
  }

  /** Stops delivering (sends are still accepted) and waits for the batches under way. */
  async stop(): Promise<void> {
    await this.mapping?.stop();
    await this.deadLetterQueue?.stop();
  }

  visibleMessages(now: number): StoredMessage[] {
    const visible: StoredMessage[] = [];
    for (const m of this.messages.values()) if (m.visibleAt <= now) visible.push(m);
    return visible;
  }

  nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const m of this.messages.values()) {
      if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    }
    return next;
  }

  redriveExhausted(now: number): void {
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

  receive(batch: StoredMessage[], now: number): Map<string, string> {
    const handles = new Map<string, string>();
    for (const m of batch) {
      m.receiveCount += 1;
      m.firstReceiveTimestamp ??= now;
      m.receiptHandle = Buffer.from(`${m.messageId}:${randomUUID()}`).toString('base64');
      m.visibleAt = now + this.visibilityTimeoutSeconds * 1000;
      handles.set(m.messageId, m.receiptHandle);
    }
    return handles;
  }

  deleteReceived(handles: Map<string, string>): void {
    for (const [id, handle] of handles) {
      // A stale receipt handle (the message was received again meanwhile) deletes nothing.
      if (this.messages.get(id)?.receiptHandle === handle) {
        this.messages.delete(id);
        this.counters.deleted += 1;
      }
    }
  }

  reportError(error: unknown, messageIds: string[]): void {
    this.onError(error, { queue: this.name, messageIds });
  }

  // ---------------------------------------------------------------- inspection and test helpers

  stats(): QueueStats {
    const now = this.clock.now();
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of this.messages.values()) counts[stateOf(m, now)] += 1;
    return {
      ...counts,
      total: this.messages.size,
      deadLetters: this.deadLetterQueue?.messages.size ?? 0,
      ...this.counters,
      receives: this.mapping?.receives ?? 0,
      batches: this.mapping?.batches ?? 0,
      activeBatches: this.mapping?.activeBatches ?? 0,
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
    this.mapping?.wake();
    return moved.length;
  }

  purge(): void {
    this.messages.clear();
    this.mapping?.clearWake();
  }

  /**
   * Resolves once nothing is being handled and nothing deliverable is waiting at the current instant
   * (messages waiting for a visibility timeout, a delay or a batching window do not count).
   */
  async idle(): Promise<void> {
    do {
      await this.mapping?.idle();
      await this.deadLetterQueue?.idle();
    } while (this.mapping?.busy);
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
      if (!this.mapping || this.mapping.stopped)
        throw new Error(`queue ${this.name} has messages but no running consumer`);
      if (this.clock.now() >= deadline) throw new Error(`queue ${this.name} did not drain in time`);
      const manual = this.clock as Partial<{ advanceToNextTimer(): Promise<boolean> }>;
      if (typeof manual.advanceToNextTimer === 'function') {
        if (!(await manual.advanceToNextTimer()))
          throw new Error(`queue ${this.name} is stuck: no timer pending`);
      } else {
        const now = this.clock.now();
        const wait = Math.max(1, Math.min(50, (this.mapping.wakeAt ?? now + 50) - now));
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}

import { createHash, randomUUID } from 'node:crypto';
import type { QueueMessage } from '../../../shared/ports/queue.js';

/** A message as the local queue holds it, with the attributes SQS keeps per message. */
export interface StoredMessage {
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

/** How SendMessageBatch reports one refused entry. */
export interface EntryFailure {
  code: string;
  senderFault: boolean;
}

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
// Characters SQS accepts in a message body.
const INVALID_BODY_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const MAX_DELAY_SECONDS = 900;

/** SQS's checks of one batch entry; undefined when SQS would accept it. */
export function invalidEntry(m: QueueMessage, maxMessageBytes: number): EntryFailure | undefined {
  const invalid = { code: 'InvalidParameterValue', senderFault: true };
  if (!ENTRY_ID.test(m.id)) return { code: 'InvalidBatchEntryId', senderFault: true };
  if (typeof m.body !== 'string' || m.body.length === 0) return invalid;
  if (Buffer.byteLength(m.body, 'utf8') > maxMessageBytes) return invalid;
  if (INVALID_BODY_CHARS.test(m.body)) return { code: 'InvalidMessageContents', senderFault: true };
  if (m.delaySeconds !== undefined) {
    if (!Number.isInteger(m.delaySeconds) || m.delaySeconds < 0 || m.delaySeconds > MAX_DELAY_SECONDS)
      return invalid;
  }
  return undefined;
}

/** A newly sent message, visible after its delay. */
export function storedMessage(m: QueueMessage, now: number): StoredMessage {
  return {
    messageId: randomUUID(),
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
  };
}

export function stateOf(m: StoredMessage, now: number): MessageState {
  if (m.visibleAt <= now) return 'visible';
  return m.receiptHandle !== undefined ? 'inFlight' : 'delayed';
}

export function snapshot(m: StoredMessage, now: number): MessageSnapshot {
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

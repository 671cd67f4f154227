/** A queue with SQS semantics. Publishing reports per entry, as SendMessageBatch does. */
export interface QueueMessage {
  /** Batch-entry id, unique within one call (SQS: 1–80 chars of [A-Za-z0-9_-]). */
  id: string;
  body: string;
  delaySeconds?: number;
  /** FIFO only. */
  groupId?: string;
  deduplicationId?: string;
}

export interface SendBatchResult {
  successful: string[];
  failed: { id: string; code: string; senderFault: boolean }[];
}

export interface Queue {
  sendBatch(messages: QueueMessage[]): Promise<SendBatchResult>;
}

/** SendMessageBatch takes at most 10 entries. */
export const SEND_BATCH_MAX_ENTRIES = 10;

/**
 * One `sendBatch` as SendMessageBatch calls of at most 10 entries, their outcomes gathered in order. Entry
 * ids must be unique within the whole send (a repeated id is a programming error, not an entry failure).
 */
export async function sendInChunks(
  messages: QueueMessage[],
  sendChunk: (chunk: QueueMessage[]) => Promise<SendBatchResult> | SendBatchResult,
): Promise<SendBatchResult> {
  const ids = new Set<string>();
  for (const m of messages) {
    if (ids.has(m.id)) throw new Error(`duplicate batch entry id ${JSON.stringify(m.id)}`);
    ids.add(m.id);
  }
  const result: SendBatchResult = { successful: [], failed: [] };
  for (let i = 0; i < messages.length; i += SEND_BATCH_MAX_ENTRIES) {
    const outcome = await sendChunk(messages.slice(i, i + SEND_BATCH_MAX_ENTRIES));
    result.successful.push(...outcome.successful);
    result.failed.push(...outcome.failed);
  }
  return result;
}

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

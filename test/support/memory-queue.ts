import type { Queue, QueueMessage, SendBatchResult } from '../../shared/ports/queue.js';

/** Captures sent messages; `failIds` makes chosen entries fail as SendMessageBatch reports them. */
export class MemoryQueue implements Queue {
  readonly sent: QueueMessage[] = [];
  failIds: ((id: string) => boolean) | undefined;

  async sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    const result: SendBatchResult = { successful: [], failed: [] };
    for (const m of messages) {
      if (this.failIds?.(m.id)) {
        result.failed.push({ id: m.id, code: 'InternalError', senderFault: false });
      } else {
        this.sent.push(m);
        result.successful.push(m.id);
      }
    }
    return result;
  }
}

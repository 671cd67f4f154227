import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import { type Queue, type QueueMessage, type SendBatchResult, sendInChunks } from '../ports/queue.js';

/**
 * Queue port over SQS SendMessageBatch (docs/reliability.md §2). SendMessageBatch answers 200 even when some
 * entries failed, so the result is built entry by entry: an entry is successful only when SQS listed it
 * under `Successful` and not under `Failed`; an entry the answer does not mention is failed; a call that
 * throws (network, throttling after retries, MD5 mismatch) fails every entry of its chunk. Chunks of 10
 * (the SendMessageBatch maximum) are sent one after another.
 */
export interface SqsQueueOptions {
  queueUrl: string;
  /** A ready client (tests, shared clients). Wins over `clientConfig`. */
  client?: SQSClient;
  clientConfig?: SQSClientConfig;
}

/** `{ AWS_REGION, SQS_ENDPOINT }` (shared/config/env.ts) as a client config. */
export function sqsClientConfigFromEnv(env: {
  AWS_REGION: string;
  SQS_ENDPOINT?: string | undefined;
}): SQSClientConfig {
  return { region: env.AWS_REGION, ...(env.SQS_ENDPOINT ? { endpoint: env.SQS_ENDPOINT } : {}) };
}

function errorCode(error: unknown): { code: string; senderFault: boolean } {
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; $fault?: unknown };
    return {
      code: typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'SendMessageBatchError',
      senderFault: e.$fault === 'client',
    };
  }
  return { code: 'SendMessageBatchError', senderFault: false };
}

export class SqsQueue implements Queue {
  readonly queueUrl: string;
  readonly client: SQSClient;

  constructor(options: SqsQueueOptions) {
    if (!options.queueUrl) throw new Error('SqsQueue needs a queue URL');
    this.queueUrl = options.queueUrl;
    this.client = options.client ?? new SQSClient(options.clientConfig ?? {});
  }

  sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    return sendInChunks(messages, (chunk) => this.sendChunk(chunk));
  }

  private async sendChunk(chunk: QueueMessage[]): Promise<SendBatchResult> {
    const entries: SendMessageBatchRequestEntry[] = chunk.map((m) => ({
      Id: m.id,
      MessageBody: m.body,
      ...(m.delaySeconds !== undefined ? { DelaySeconds: m.delaySeconds } : {}),
      ...(m.groupId !== undefined ? { MessageGroupId: m.groupId } : {}),
      ...(m.deduplicationId !== undefined ? { MessageDeduplicationId: m.deduplicationId } : {}),
    }));
    let output: {
      Successful?: { Id?: string }[];
      Failed?: { Id?: string; Code?: string; SenderFault?: boolean }[];
    };
    try {
      output = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
    } catch (error) {
      const { code, senderFault } = errorCode(error);
      return { successful: [], failed: chunk.map((m) => ({ id: m.id, code, senderFault })) };
    }
    const failedById = new Map<string, { code: string; senderFault: boolean }>();
    for (const f of output.Failed ?? []) {
      if (f.Id !== undefined)
        failedById.set(f.Id, { code: f.Code ?? 'Unknown', senderFault: f.SenderFault ?? false });
    }
    const succeeded = new Set(
      (output.Successful ?? []).map((s) => s.Id).filter((id): id is string => id !== undefined),
    );
    const result: SendBatchResult = { successful: [], failed: [] };
    for (const m of chunk) {
      const failure = failedById.get(m.id);
      if (failure) result.failed.push({ id: m.id, ...failure });
      else if (succeeded.has(m.id)) result.successful.push(m.id);
      else result.failed.push({ id: m.id, code: 'MissingFromResponse', senderFault: false });
    }
    return result;
  }
}

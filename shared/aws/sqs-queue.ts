import { createHash } from 'node:crypto';
import { type Queue, type QueueMessage, type SendBatchResult, sendInChunks } from '../ports/queue.js';
import { AwsJsonClient, type AwsJsonClientOptions, AwsJsonError } from './aws-json-client.js';

/**
 * Queue port over SQS SendMessageBatch (docs/reliability.md §2). SendMessageBatch answers 200 even when some
 * entries failed, so the result is built entry by entry: an entry is successful only when SQS listed it
 * under `Successful` and not under `Failed`; an entry the answer does not mention is failed; a call that
 * fails (network, throttling after retries) fails every entry of its chunk, and so does an answer whose
 * MD5 of a body differs from what was sent (the check the SDK's SQS client makes). Chunks of 10 (the
 * SendMessageBatch maximum) are sent one after another.
 */
export interface SqsQueueOptions
  extends Pick<
    AwsJsonClientOptions,
    'endpoint' | 'credentials' | 'maxAttempts' | 'retryBaseMs' | 'timeoutMs'
  > {
  queueUrl: string;
  region: string;
}

interface SendMessageBatchOutput {
  Successful?: { Id?: string; MD5OfMessageBody?: string }[];
  Failed?: { Id?: string; Code?: string; SenderFault?: boolean }[];
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function failAll(chunk: QueueMessage[], code: string, senderFault: boolean): SendBatchResult {
  return { successful: [], failed: chunk.map((m) => ({ id: m.id, code, senderFault })) };
}

export class SqsQueue implements Queue {
  readonly queueUrl: string;
  private readonly client: AwsJsonClient;

  constructor(options: SqsQueueOptions) {
    if (!options.queueUrl) throw new Error('SqsQueue needs a queue URL');
    this.queueUrl = options.queueUrl;
    const { queueUrl: _, ...clientOptions } = options;
    this.client = new AwsJsonClient({ ...clientOptions, service: 'sqs', targetPrefix: 'AmazonSQS' });
  }

  sendBatch(messages: QueueMessage[]): Promise<SendBatchResult> {
    return sendInChunks(messages, (chunk) => this.sendChunk(chunk));
  }

  private async sendChunk(chunk: QueueMessage[]): Promise<SendBatchResult> {
    const entries = chunk.map((m) => ({
      Id: m.id,
      MessageBody: m.body,
      ...(m.delaySeconds !== undefined ? { DelaySeconds: m.delaySeconds } : {}),
      ...(m.groupId !== undefined ? { MessageGroupId: m.groupId } : {}),
      ...(m.deduplicationId !== undefined ? { MessageDeduplicationId: m.deduplicationId } : {}),
    }));
    let output: SendMessageBatchOutput;
    try {
      output = await this.client.call<SendMessageBatchOutput>('SendMessageBatch', {
        QueueUrl: this.queueUrl,
        Entries: entries,
      });
    } catch (error) {
      if (error instanceof AwsJsonError) return failAll(chunk, error.code, error.senderFault);
      return failAll(chunk, 'SendMessageBatchError', false);
    }
    const sent = new Map(chunk.map((m) => [m.id, m.body]));
    for (const s of output.Successful ?? []) {
      const body = s.Id === undefined ? undefined : sent.get(s.Id);
      if (body !== undefined && s.MD5OfMessageBody !== undefined && s.MD5OfMessageBody !== md5(body))
        return failAll(chunk, 'MD5Mismatch', false);
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

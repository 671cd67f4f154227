/**
 * Failed sends for a LocalQueue (plugged in as its `sendFaults` hook): entries reported as SQS `Failed`,
 * or whole SendMessageBatch calls failing, so tests can see how producers handle a partial send.
 */
import type { EntryFailure, SendFaultHook } from '../../infra/local/queue/local-queue.js';

export class QueueSendFaults implements SendFaultHook {
  private readonly byId = new Map<string, EntryFailure>();
  private byCount: { remaining: number; failure: EntryFailure } | undefined;
  private calls: { remaining: number; code: string } | undefined;

  /** The next sends report these entry ids (each once) or the next `count` entries as SQS `Failed`. */
  failNextSends(target: readonly string[] | number, failure: Partial<EntryFailure> = {}): void {
    const f: EntryFailure = {
      code: failure.code ?? 'InternalError',
      senderFault: failure.senderFault ?? false,
    };
    if (typeof target === 'number') this.byCount = { remaining: target, failure: f };
    else for (const id of target) this.byId.set(id, f);
  }

  /** The next `calls` SendMessageBatch calls (chunks of 10) fail as a whole, as a thrown call does. */
  failNextSendCalls(calls = 1, code = 'ServiceUnavailable'): void {
    this.calls = { remaining: calls, code };
  }

  callFailure(): string | undefined {
    if (!this.calls || this.calls.remaining === 0) return undefined;
    this.calls.remaining -= 1;
    return this.calls.code;
  }

  entryFailure(entryId: string): EntryFailure | undefined {
    const byId = this.byId.get(entryId);
    if (byId) {
      this.byId.delete(entryId);
      return byId;
    }
    if (!this.byCount || this.byCount.remaining === 0) return undefined;
    this.byCount.remaining -= 1;
    return this.byCount.failure;
  }
}

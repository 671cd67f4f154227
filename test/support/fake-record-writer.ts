/**
 * A provider's RecordWriter (shared/ports/provider.ts) in memory, with the faults the exactly-once rules are
 * about: a request refused before the provider applies it, a response lost after it did, and the worker
 * dying between the provider's answer and the hub's commit. The real writers live with each provider.
 */
import { ProviderError, type ProviderModule, type RecordWriter } from '../../shared/ports/provider.js';

export type WriterFault = 'refuse_before' | 'fail_permanently' | 'lose_response' | 'crash_after';

export interface StoredNote {
  id: string;
  candidateRemoteId: string;
  applicationRemoteId: string | null;
  body: string;
  visibility: string;
}

export class FakeRecordWriter implements RecordWriter {
  readonly notes: StoredNote[] = [];
  readonly tags = new Map<string, Set<string>>();
  readonly calls: string[] = [];
  /** Faults for the next calls of addNote / changeTags, first one first. */
  readonly faults: WriterFault[] = [];
  private sequence = 0;

  private async fault<T>(apply: () => T): Promise<T> {
    const fault = this.faults.shift();
    if (fault === 'refuse_before') throw new ProviderError('injected: 503 before applying', 'transient', 503);
    if (fault === 'fail_permanently')
      throw new ProviderError('injected: 400 before applying', 'permanent', 400);
    const result = apply();
    if (fault === 'lose_response') throw new ProviderError('injected: response lost', 'transient');
    if (fault === 'crash_after') throw new Error('injected: worker died before the commit');
    return result;
  }

  addNote: NonNullable<RecordWriter['addNote']> = (input) => {
    this.calls.push('addNote');
    return this.fault(() => {
      this.sequence += 1;
      const note = { id: `remote-note-${this.sequence}`, ...input };
      this.notes.push(note);
      return note.id;
    });
  };

  findNote: NonNullable<RecordWriter['findNote']> = async (input) => {
    this.calls.push('findNote');
    const note = this.notes.find(
      (n) => n.candidateRemoteId === input.candidateRemoteId && n.body === input.body,
    );
    return note?.id ?? null;
  };

  changeTags: NonNullable<RecordWriter['changeTags']> = (input) => {
    this.calls.push('changeTags');
    return this.fault(() => {
      const set = this.tags.get(input.candidateRemoteId) ?? new Set<string>();
      for (const name of input.add) set.add(name);
      for (const name of input.remove) set.delete(name);
      this.tags.set(input.candidateRemoteId, set);
    });
  };
}

/** A provider module whose client writes records through `writer` (and takes nothing else). */
export function recordWriterModule(name: string, writer: RecordWriter | undefined): ProviderModule {
  const unsupported = () => Promise.reject(new ProviderError('not in this fake', 'permanent'));
  return {
    name,
    capabilities: { objects: [], incremental: false },
    hubGeneratesWebhookSecret: false,
    createClient: () => ({
      provider: name,
      capabilities: { objects: [], incremental: false },
      listPage: unsupported,
      moveStage: unsupported,
      reject: unsupported,
      hire: unsupported,
      ...(writer ? { records: writer } : {}),
    }),
  } as unknown as ProviderModule;
}

/**
 * Ashby writes of the full ATS record (docs/ats-record.md "Ashby", docs/providers.md §4.6):
 * - notes: `candidate.createNote` (plain text, no notifications, `isPrivate` for the hub's private notes); the
 *   lookup before a retried create reads `candidate.listNotes` (newest first, bounded) for the same body.
 * - tags: Ashby tags candidates by tag id. Names resolve through `candidateTag.list` (case-insensitive, read
 *   once per call); a name Ashby lacks is created with `candidateTag.create` before `candidate.addTag`.
 *   Removing a tag Ashby does not know, or one the candidate lacks, is a no-op.
 * Every `success:false` answer is final (`refused`), with Ashby's message.
 */
import { ProviderError, type RecordWriter } from '../../ports/provider.js';
import { parseEach, parseOrFail } from '../common/client-kit.js';
import type { AshbyRpc } from './client.js';
import { type AshbyTag, ashbyNoteSchema, ashbyTagSchema } from './record-schemas.js';

/** Pages of notes read by findNote: a retried create looks among the candidate's newest notes only. */
const NOTE_LOOKUP_PAGES = 5;

export function createAshbyRecordWriter(rpc: AshbyRpc): RecordWriter {
  const call = async (
    method: string,
    body: Record<string, unknown>,
  ): Promise<{ results: unknown; next: string | null }> => {
    const result = await rpc(method, body, { permissionAsRefusal: true });
    if (!result.ok) throw new ProviderError(`ashby ${method}: ${result.message}`, 'refused', result.status);
    const { envelope } = result;
    return {
      results: envelope.results,
      next: envelope.moreDataAvailable ? (envelope.nextCursor ?? null) : null,
    };
  };

  const tagsByTitle = async (): Promise<Map<string, AshbyTag>> => {
    const tags = new Map<string, AshbyTag>();
    let cursor: string | null = null;
    do {
      const page = await call('candidateTag.list', { includeArchived: false, ...(cursor ? { cursor } : {}) });
      for (const tag of parseEach(page.results, ashbyTagSchema, 'ashby candidateTag.list'))
        if (!tags.has(tag.title.toLowerCase())) tags.set(tag.title.toLowerCase(), tag);
      cursor = page.next;
    } while (cursor);
    return tags;
  };

  return {
    async addNote(input) {
      const { results } = await call('candidate.createNote', {
        candidateId: input.candidateRemoteId,
        note: { type: 'text/plain', value: input.body },
        isPrivate: input.visibility === 'private',
        sendNotifications: false,
      });
      return parseOrFail(ashbyNoteSchema, results, 'ashby candidate.createNote').id;
    },

    async findNote(input) {
      const wanted = input.body.trim();
      let cursor: string | null = null;
      for (let page = 0; page < NOTE_LOOKUP_PAGES; page += 1) {
        const answer = await call('candidate.listNotes', {
          candidateId: input.candidateRemoteId,
          ...(cursor ? { cursor } : {}),
        });
        const notes = parseEach(answer.results, ashbyNoteSchema, 'ashby candidate.listNotes');
        const match = notes.find((n) => (n.content ?? '').trim() === wanted);
        if (match) return match.id;
        cursor = answer.next;
        if (!cursor) break;
      }
      return null;
    },

    async changeTags(input) {
      if (input.add.length === 0 && input.remove.length === 0) return;
      const known = await tagsByTitle();
      for (const name of input.add) {
        let tag = known.get(name.toLowerCase());
        if (!tag) {
          const created = await call('candidateTag.create', { title: name });
          tag = parseOrFail(ashbyTagSchema, created.results, 'ashby candidateTag.create');
          known.set(name.toLowerCase(), tag);
        }
        await call('candidate.addTag', { candidateId: input.candidateRemoteId, tagId: tag.id });
      }
      for (const name of input.remove) {
        const tag = known.get(name.toLowerCase());
        if (tag) await call('candidate.removeTag', { candidateId: input.candidateRemoteId, tagId: tag.id });
      }
    },
  };
}

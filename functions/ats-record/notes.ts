/**
 * Notes (event note.created, pushed where the provider takes notes) and rejection reasons. A note's author is the
 * key's label, or its id: never a person's email.
 */
import { decodeCursor, pageOf } from '../../shared/api/cursor.js';
import type { CreateNoteBody, CreateRejectionReasonBody, ListQuery } from '../../shared/api/record.js';
import {
  insertNote,
  insertRejectionReason,
  listApplicationNotes,
  listRejectionReasons,
} from '../../shared/db/repositories/record-notes.js';
import type { Principal } from '../../shared/http/types.js';
import { noteCreated } from '../../shared/messages/events.js';
import { asCaller, liveApplication, type RecordDependencies, writeWithEvents } from './context.js';
import { nameKey, noteView, rejectionReasonView, timeKey } from './views.js';

/** The key's label names the author unless it is empty or looks like an email; the key id does then. */
export function authorOf(principal: Principal): string {
  const label = principal.label?.trim() ?? '';
  return label !== '' && !label.includes('@') ? label : principal.keyId;
}

export async function getNotes(deps: RecordDependencies, principal: Principal, id: string, query: ListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, ['time', 'uuid']) : undefined;
  const rows = await asCaller(deps, principal, async (tx) => {
    const application = await liveApplication(tx, id, 'read');
    return listApplicationNotes(tx, { id, candidateId: application.candidateId }, query.limit, after);
  });
  return pageOf(rows, query.limit, noteView, timeKey);
}

export function createNote(
  deps: RecordDependencies,
  principal: Principal,
  applicationId: string,
  body: CreateNoteBody,
) {
  return writeWithEvents(deps, principal, async (tx) => {
    const application = await liveApplication(tx, applicationId);
    const note = await insertNote(tx, {
      candidateId: application.candidateId,
      applicationId,
      body: body.body,
      author: authorOf(principal),
      authorKeyId: principal.keyId,
      visibility: body.visibility,
    });
    const payload = noteCreated.parse({
      noteId: note.id,
      candidateId: application.candidateId,
      applicationId,
      visibility: note.visibility,
    });
    return {
      value: noteView(note),
      events: [
        { aggregateType: 'application', aggregateId: applicationId, eventType: 'note.created', payload },
      ],
    };
  });
}

export async function getRejectionReasons(deps: RecordDependencies, principal: Principal, query: ListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, ['text', 'uuid']) : undefined;
  const rows = await asCaller(deps, principal, (tx) => listRejectionReasons(tx, query.limit, after));
  return pageOf(rows, query.limit, rejectionReasonView, nameKey);
}

export async function createRejectionReason(
  deps: RecordDependencies,
  principal: Principal,
  body: CreateRejectionReasonBody,
) {
  const row = await asCaller(deps, principal, (tx) =>
    insertRejectionReason(tx, { name: body.name, category: body.category ?? null }),
  );
  return rejectionReasonView(row);
}

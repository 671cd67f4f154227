import type { CanonicalNote } from '../../domain/canonical.js';
import { laterIso, toIsoTimestamp } from '../common/timestamps.js';
import type { LeverNote, LeverUser } from './record-schemas.js';

export interface LeverNoteContext {
  /** The opportunity's contact: the hub's candidate. */
  candidateRemoteId: string;
  /** The opportunity when it is an application (on a posting); null for a general lead's note. */
  applicationRemoteId: string | null;
  users: ReadonlyMap<string, LeverUser>;
}

/** The note's text: its fields' values (Lever keeps the body there), else its `text`. */
export function noteBody(raw: Pick<LeverNote, 'text' | 'fields'>): string {
  const values = (raw.fields ?? [])
    .map((f) => (typeof f.value === 'string' ? f.value.trim() : ''))
    .filter((v) => v !== '');
  return values.length > 0 ? values.join('\n\n') : (raw.text ?? '').trim();
}

/**
 * A Lever note (`GET /opportunities/:id/notes`); a `secret` note is private, the others are for the organization.
 * A note with `deletedAt` is gone (null: the caller reports it as deleted).
 */
export function toNote(raw: LeverNote, context: LeverNoteContext): CanonicalNote | null {
  if (raw.deletedAt) return null;
  const createdAt = toIsoTimestamp(raw.createdAt ?? raw.completedAt) ?? new Date(0).toISOString();
  const author = raw.user ? (context.users.get(raw.user)?.name ?? null) : null;
  return {
    remoteId: raw.id,
    candidateRemoteId: context.candidateRemoteId,
    applicationRemoteId: context.applicationRemoteId,
    body: noteBody(raw),
    author,
    visibility: raw.secret ? 'private' : 'organization',
    createdAt,
    remoteUpdatedAt: laterIso(createdAt, toIsoTimestamp(raw.completedAt)),
  };
}

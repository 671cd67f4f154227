import type { CanonicalNote } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyNote } from './record-schemas.js';
import { toPerson } from './to-person.js';

/** Ashby notes hang off the candidate; `isPrivate` ones are the author's own, the rest the organization's. */
export function toNote(raw: AshbyNote, candidateRemoteId: string): CanonicalNote | null {
  const createdAt = toIsoTimestamp(raw.createdAt);
  if (!createdAt) return null;
  const author = raw.author ? toPerson(raw.author).name : '';
  return {
    remoteId: raw.id,
    candidateRemoteId,
    applicationRemoteId: null,
    body: raw.content ?? '',
    author: author || null,
    visibility: raw.isPrivate ? 'private' : 'organization',
    createdAt,
    // Notes are not edited through the API; their creation is their last change.
    remoteUpdatedAt: createdAt,
  };
}

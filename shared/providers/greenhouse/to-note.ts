import type { CanonicalNote, NoteVisibility } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import { personOf, type UserDirectory } from './people.js';
import type { V3Note } from './record-schemas.js';

/**
 * Greenhouse note visibility `public` / `private` / `admin_only`. `public` is for everyone who sees the candidate
 * (`organization`); `private` and `admin_only` are narrower than the whole organisation, so both become `private`.
 */
export function noteVisibilityOf(value: string | null | undefined): NoteVisibility {
  return value === 'public' ? 'organization' : 'private';
}

/** The hub's visibility as Greenhouse takes it on `POST /v3/notes`: only `private` stays private. */
export function greenhouseVisibilityOf(value: NoteVisibility): 'public' | 'private' {
  return value === 'private' ? 'private' : 'public';
}

export function toNote(raw: V3Note, users: UserDirectory = new Map()): CanonicalNote | null {
  const createdAt = toIsoTimestamp(raw.created_at);
  if (!raw.candidate_id || !createdAt) return null;
  const author = personOf({ ...raw.user, id: raw.user?.id ?? raw.user_id ?? null }, users);
  return {
    remoteId: raw.id,
    candidateRemoteId: raw.candidate_id,
    applicationRemoteId: raw.application_id ?? null,
    body: raw.body ?? '',
    author: author?.name ?? null,
    visibility: noteVisibilityOf(raw.visibility),
    createdAt,
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at ?? raw.created_at),
  };
}

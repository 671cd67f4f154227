/** Greenhouse users as the canonical people of interviews, scorecards and notes. */
import type { CanonicalPerson } from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';

/** What a mapper knows of a user: embedded fields, or `GET /v3/users` resolved by id. */
export interface UserLike {
  id?: string | null | undefined;
  name?: string | null | undefined;
  first_name?: string | null | undefined;
  last_name?: string | null | undefined;
  primary_email_address?: string | null | undefined;
  email?: string | null | undefined;
}

export type UserDirectory = ReadonlyMap<string, CanonicalPerson>;

export function personOf(
  user: UserLike | null | undefined,
  users: UserDirectory = new Map(),
): CanonicalPerson | null {
  if (!user) return null;
  const known = user.id ? users.get(user.id) : undefined;
  const joined = [user.first_name, user.last_name].filter((p) => emptyToNull(p)).join(' ');
  const name = emptyToNull(user.name) ?? emptyToNull(joined) ?? known?.name ?? null;
  const email = emptyToNull(user.email ?? user.primary_email_address)?.toLowerCase() ?? known?.email ?? null;
  if (name) return { name, email };
  // v3 lists users by id only: an unresolved id still names someone.
  return user.id ? { name: `Greenhouse user ${user.id}`, email } : null;
}

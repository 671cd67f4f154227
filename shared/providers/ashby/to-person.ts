import type { CanonicalPerson } from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';
import type { AshbyUser } from './record-schemas.js';

/** An Ashby user as the hub names people: "First Last" and the email, lower-cased. */
export function toPerson(user: Partial<AshbyUser> | null | undefined): CanonicalPerson {
  const name = [user?.firstName, user?.lastName].map(emptyToNull).filter(Boolean).join(' ');
  const email = emptyToNull(user?.email);
  return { name: name || email || '', email: email ? email.toLowerCase() : null };
}

/** BambooHR `applicant` (embedded in each application) → CanonicalCandidate. BambooHR has no candidate list. */
import type { CanonicalCandidate } from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';
import type { BambooApplicant } from './schemas.js';

export function toCandidate(applicant: BambooApplicant): CanonicalCandidate {
  return {
    remoteId: applicant.id,
    firstName: emptyToNull(applicant.firstName) ?? '',
    lastName: emptyToNull(applicant.lastName) ?? '',
    email: emptyToNull(applicant.email)?.toLowerCase() ?? null,
    phone: emptyToNull(applicant.phoneNumber),
    // Applicants carry no update time in the list.
    remoteUpdatedAt: null,
  };
}

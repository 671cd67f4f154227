/**
 * BambooHR `applicant` (embedded in each application) → CanonicalCandidate. BambooHR has no candidate list.
 *
 * BambooHR holds one email and one phone per applicant, without a label (type `other`). The list reports the
 * email but no phone, so `phones` is left out (not reported) unless the applicant object carries a phone field;
 * company, title, tags and attachments are not reported with the applicant (docs/ats-record.md, "Objects per
 * provider").
 */
import type { CanonicalCandidate, ContactPoint } from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';
import type { BambooApplicant } from './schemas.js';

const unlabelled = (value: string | null): ContactPoint[] => (value ? [{ value, type: 'other' }] : []);

export function toCandidate(applicant: BambooApplicant): CanonicalCandidate {
  const email = emptyToNull(applicant.email)?.toLowerCase() ?? null;
  const phone = emptyToNull(applicant.phone) ?? emptyToNull(applicant.phoneNumber);
  const reportsPhone = applicant.phone !== undefined || applicant.phoneNumber !== undefined;
  return {
    remoteId: applicant.id,
    firstName: emptyToNull(applicant.firstName) ?? '',
    lastName: emptyToNull(applicant.lastName) ?? '',
    email,
    phone,
    ...(applicant.email !== undefined ? { emails: unlabelled(email) } : {}),
    ...(reportsPhone ? { phones: unlabelled(phone) } : {}),
    // Applicants carry no update time in the list.
    remoteUpdatedAt: null,
  };
}

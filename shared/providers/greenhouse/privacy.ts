/**
 * Erasure propagated to Greenhouse (docs/privacy.md, "Propagation"): Harvest v3 `PATCH /v3/candidates/{id}/anonymize`
 * (scope `harvest:candidates:anonymize`; irreversible at Greenhouse). The body names the fields to anonymize; the
 * names follow Greenhouse's anonymize field list (unverified for v3: the route and scope are published, the body
 * is not). A 404 is a candidate already gone, which is what the erasure wants.
 */
import type { PrivacyWriter } from '../../ports/provider.js';
import type { GreenhouseHttp } from './http.js';
import { failure } from './submissions.js';

/** Everything personal Greenhouse can anonymize on a candidate. */
export const GREENHOUSE_ANONYMIZE_FIELDS = [
  'full_name',
  'current_company',
  'current_title',
  'tags',
  'phone_numbers',
  'emails',
  'social_media_links',
  'websites',
  'addresses',
  'location',
  'custom_candidate_fields',
  'source',
  'recruiter',
  'coordinator',
  'attachments',
  'application_questions',
  'referral_questions',
  'notes',
  'rejection_notes',
  'email_replies',
  'interview_kits',
  'scorecards_and_interviews',
  'offers',
  'prospect_pool_and_stage',
  'candidate_stage_data',
] as const;

export function createGreenhousePrivacy(deps: { http: GreenhouseHttp; base: string }): PrivacyWriter {
  return {
    async anonymizeCandidate({ candidateRemoteId }) {
      const reply = await deps.http.v3(
        'PATCH',
        `${deps.base}/v3/candidates/${encodeURIComponent(candidateRemoteId)}/anonymize`,
        { body: { fields: GREENHOUSE_ANONYMIZE_FIELDS } },
      );
      if (reply.status === 404) return { action: 'not_found' };
      if (reply.status !== 200 && reply.status !== 204) throw failure(reply, 'greenhouse anonymize');
      return { action: 'anonymized', detail: { fields: GREENHOUSE_ANONYMIZE_FIELDS.length } };
    },
  };
}

import type { CanonicalScorecard, Recommendation } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import { personOf, type UserDirectory } from './people.js';
import type { V3Scorecard } from './record-schemas.js';

/** Greenhouse's five-point scale: `definitely_not`, `no`, `yes`, `strong_yes`, `no_decision`. */
export function recommendationOf(value: string | null | undefined): Recommendation {
  switch ((value ?? '').toLowerCase().replace(/[\s-]/g, '_')) {
    case 'strong_yes':
      return 'strong_yes';
    case 'yes':
      return 'yes';
    case 'no':
      return 'no';
    case 'definitely_not':
    case 'strong_no':
      return 'strong_no';
    default:
      return 'no_decision';
  }
}

/** Drafts are not feedback yet (`status: draft`, no `submitted_at`): null, so only submitted scorecards sync. */
export function toScorecard(raw: V3Scorecard, users: UserDirectory = new Map()): CanonicalScorecard | null {
  const submittedAt = toIsoTimestamp(raw.submitted_at);
  if (!raw.application_id || !submittedAt || raw.status === 'draft') return null;
  const interviewer = personOf(
    { ...raw.interviewer, id: raw.interviewer?.id ?? raw.interviewer_id ?? null },
    users,
  );
  return {
    remoteId: raw.id,
    applicationRemoteId: raw.application_id,
    interviewRemoteId: raw.interview_id ?? null,
    interviewer: interviewer ?? { name: 'Unknown interviewer', email: null },
    recommendation: recommendationOf(raw.overall_recommendation),
    submittedAt,
    attributes: (raw.attributes ?? [])
      .filter((a) => a.name && a.rating)
      .map((a) => ({ name: a.name!, rating: a.rating! })),
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at ?? raw.submitted_at),
  };
}

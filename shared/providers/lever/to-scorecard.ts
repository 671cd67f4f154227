import type { CanonicalScorecard, Recommendation } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { LeverFeedback, LeverFormField, LeverUser } from './record-schemas.js';

export interface LeverScorecardContext {
  applicationRemoteId: string;
  users: ReadonlyMap<string, LeverUser>;
}

/**
 * The overall rating of a feedback form is its `score-system` field, answered with one of Lever's four labels
 * ("4 - Strong Hire" … "1 - Strong No Hire"); the most specific label is matched first.
 */
export function recommendationOf(fields: readonly LeverFormField[]): Recommendation {
  const rating = fields.find((f) => f.type === 'score-system');
  const label = typeof rating?.value === 'string' ? rating.value.toLowerCase() : '';
  if (label.includes('strong no')) return 'strong_no';
  if (label.includes('no hire')) return 'no';
  if (label.includes('strong hire')) return 'strong_yes';
  if (label.includes('hire')) return 'yes';
  return 'no_decision';
}

/** Per-skill ratings: the form's `score` fields (a number) with their question as the attribute name. */
function attributesOf(fields: readonly LeverFormField[]): CanonicalScorecard['attributes'] {
  return fields
    .filter((f) => f.type === 'score' && (typeof f.value === 'number' || typeof f.value === 'string'))
    .map((f) => ({ name: f.text ?? '', rating: String(f.value) }));
}

/**
 * A Lever feedback form (`GET /opportunities/:id/feedback`) is a scorecard once completed. A form not yet
 * completed, or deleted, maps to null (the caller reports a deleted one as deleted).
 */
export function toScorecard(raw: LeverFeedback, context: LeverScorecardContext): CanonicalScorecard | null {
  if (raw.deletedAt || !raw.completedAt) return null;
  const fields = raw.fields ?? [];
  const user = raw.user ? context.users.get(raw.user) : undefined;
  const submittedAt = toIsoTimestamp(raw.completedAt) as string;
  return {
    remoteId: raw.id,
    applicationRemoteId: context.applicationRemoteId,
    interviewRemoteId: raw.interview ?? null,
    interviewer: { name: user?.name ?? '', email: user?.email ? user.email.toLowerCase() : null },
    recommendation: recommendationOf(fields),
    submittedAt,
    attributes: attributesOf(fields),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt) ?? submittedAt,
  };
}

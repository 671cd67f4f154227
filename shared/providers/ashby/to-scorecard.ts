import type { CanonicalScorecard, Recommendation } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyFeedback } from './record-schemas.js';
import { toPerson } from './to-person.js';

/** The form field Ashby's default feedback form keeps the overall recommendation in (unverified path name). */
export const RECOMMENDATION_PATH = 'overall_recommendation';

/** Ashby's Score fields run 1 (strong no) to 4 (strong yes). */
const SCORES: Record<number, Recommendation> = { 1: 'strong_no', 2: 'no', 3: 'yes', 4: 'strong_yes' };

/** A submitted value as a number: `{score: n}`, `n` or `"n"`. */
function scoreOf(value: unknown): number | null {
  const raw =
    value && typeof value === 'object' && 'score' in value ? (value as { score: unknown }).score : value;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

export function recommendationOf(value: unknown): Recommendation {
  const score = scoreOf(value);
  return (score !== null && SCORES[score]) || 'no_decision';
}

/** Submitted feedback only: a draft without `submittedAt` is not a scorecard yet. */
export function toScorecard(raw: AshbyFeedback): CanonicalScorecard | null {
  const submittedAt = toIsoTimestamp(raw.submittedAt);
  if (!submittedAt) return null;
  const values = raw.submittedValues ?? {};
  const fields = (raw.formDefinition?.sections ?? []).flatMap((s) => s.fields ?? []).map((f) => f.field);
  const attributes = fields
    .filter((f) => f.path !== RECOMMENDATION_PATH && f.type === 'Score' && values[f.path] !== undefined)
    .map((f) => ({ name: f.title ?? f.path, rating: String(scoreOf(values[f.path]) ?? '') }))
    .filter((a) => a.rating !== '');
  return {
    remoteId: raw.id,
    applicationRemoteId: raw.applicationId,
    interviewRemoteId: raw.interviewEventId ?? null,
    interviewer: toPerson(raw.submittedByUser),
    recommendation: recommendationOf(values[RECOMMENDATION_PATH]),
    submittedAt,
    attributes,
    remoteUpdatedAt: submittedAt,
  };
}

import type { CanonicalInterview, CanonicalPerson, InterviewStatus } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import { personOf, type UserDirectory } from './people.js';
import type { V3Interview } from './record-schemas.js';

/** v1 `scheduled` / `awaiting_feedback` / `complete`; v3 may add cancelled and no-show states (unverified). */
export function interviewStatusOf(status: string | null | undefined): InterviewStatus {
  switch ((status ?? '').toLowerCase().replace(/[\s-]/g, '_')) {
    case 'awaiting_feedback':
    case 'complete':
    case 'completed':
      return 'completed';
    case 'cancelled':
    case 'canceled':
      return 'cancelled';
    case 'no_show':
      return 'no_show';
    default:
      return 'scheduled';
  }
}

/** An all-day event (take-home test) starts and ends on dates: midnight UTC of each. */
const dayStart = (date: string | null | undefined) =>
  toIsoTimestamp(date ? `${date.slice(0, 10)}T00:00:00Z` : null);

/** An interview without an application or a start time is not on anyone's pipeline: null (raw still kept). */
export function toInterview(raw: V3Interview, users: UserDirectory = new Map()): CanonicalInterview | null {
  const startAt =
    toIsoTimestamp(raw.starts_at ?? raw.start?.date_time) ??
    dayStart(raw.all_day_start_on ?? raw.start?.date);
  if (!raw.application_id || !startAt) return null;
  const endAt =
    toIsoTimestamp(raw.ends_at ?? raw.end?.date_time) ??
    dayStart(raw.all_day_end_on ?? raw.end?.date) ??
    startAt;
  const stage = raw.job_interview_stage;
  const interviewers = (raw.interviewers ?? [])
    .map((entry) =>
      typeof entry === 'string'
        ? personOf({ id: entry }, users)
        : personOf({ ...entry, id: entry.user_id ?? entry.id ?? null }, users),
    )
    .filter((p): p is CanonicalPerson => p !== null);
  return {
    remoteId: raw.id,
    applicationRemoteId: raw.application_id,
    title: raw.interview?.name ?? raw.name ?? 'Interview',
    stage: stage && (stage.id || stage.name) ? { remoteId: stage.id ?? null, name: stage.name ?? '' } : null,
    startAt,
    endAt,
    location: raw.location ?? raw.video_conferencing_url ?? null,
    status: interviewStatusOf(raw.status),
    interviewers,
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at),
  };
}

import type { CanonicalInterview, CanonicalPerson, InterviewStatus } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyInterviewSchedule, AshbyUser } from './record-schemas.js';
import { toPerson } from './to-person.js';

/** Schedule statuses (secondary): Complete/Completed, Cancelled; everything else is still ahead. */
export function interviewStatusOf(status: string | null | undefined): InterviewStatus {
  switch (status) {
    case 'Complete':
    case 'Completed':
      return 'completed';
    case 'Cancelled':
      return 'cancelled';
    default:
      return 'scheduled';
  }
}

/**
 * One canonical interview per scheduled event of an Ashby interview schedule: the events are what happens, the
 * schedule groups them. Events not yet given a time (NeedsScheduling) are not interviews yet. Interviewers come
 * from the event's `interviewers` when present, else from its `interviewerUserIds` looked up in `users`.
 */
export function toInterviews(
  raw: AshbyInterviewSchedule,
  users: ReadonlyMap<string, AshbyUser> = new Map(),
): CanonicalInterview[] {
  const status = interviewStatusOf(raw.status);
  const interviews: CanonicalInterview[] = [];
  for (const event of raw.interviewEvents ?? []) {
    const startAt = toIsoTimestamp(event.startTime);
    const endAt = toIsoTimestamp(event.endTime);
    if (!startAt || !endAt) continue;
    const interviewers: CanonicalPerson[] = event.interviewers
      ? event.interviewers.map(toPerson)
      : (event.interviewerUserIds ?? [])
          .map((id) => users.get(id))
          .filter((u): u is AshbyUser => u !== undefined)
          .map(toPerson);
    interviews.push({
      remoteId: event.id,
      applicationRemoteId: raw.applicationId,
      title: event.interview?.title ?? 'Interview',
      stage: raw.interviewStageId ? { remoteId: raw.interviewStageId, name: '' } : null,
      startAt,
      endAt,
      location: event.location ?? null,
      status,
      interviewers,
      remoteUpdatedAt: toIsoTimestamp(raw.updatedAt ?? event.updatedAt),
    });
  }
  return interviews;
}

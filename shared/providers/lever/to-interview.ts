import type { CanonicalInterview, InterviewStatus } from '../../domain/canonical.js';
import { laterIso, toIsoTimestamp } from '../common/timestamps.js';
import type { LeverInterview } from './record-schemas.js';

export interface LeverInterviewContext {
  /** The opportunity the interview belongs to: the hub's application. */
  applicationRemoteId: string;
  /** Stage id → name (`GET /stages`); Lever gives the interview's stage as an id. */
  stageNames: ReadonlyMap<string, string>;
  /** Lever has no completed flag: an interview whose end has passed by this instant counts as completed. */
  now: Date;
}

const MINUTE = 60_000;

function statusOf(raw: LeverInterview, endMs: number, now: Date): InterviewStatus {
  if (raw.canceledAt) return 'cancelled';
  return endMs <= now.getTime() ? 'completed' : 'scheduled';
}

/**
 * A Lever interview (`GET /opportunities/:id/interviews`): `date` is the start in epoch ms and `duration` minutes,
 * `canceledAt` marks a cancelled one. Interviews carry no update time: the later of creation and cancellation
 * stands in for it.
 */
export function toInterview(raw: LeverInterview, context: LeverInterviewContext): CanonicalInterview {
  const endMs = raw.date + (raw.duration ?? 0) * MINUTE;
  const stageName = raw.stage ? context.stageNames.get(raw.stage) : undefined;
  return {
    remoteId: raw.id,
    applicationRemoteId: context.applicationRemoteId,
    title: raw.subject?.trim() || 'Interview',
    stage: raw.stage ? { remoteId: raw.stage, name: stageName ?? '' } : null,
    startAt: new Date(raw.date).toISOString(),
    endAt: new Date(endMs).toISOString(),
    location: raw.location?.trim() || null,
    status: statusOf(raw, endMs, context.now),
    interviewers: (raw.interviewers ?? []).map((i) => ({
      name: i.name?.trim() || i.email || '',
      email: i.email ? i.email.toLowerCase() : null,
    })),
    remoteUpdatedAt: laterIso(toIsoTimestamp(raw.createdAt), toIsoTimestamp(raw.canceledAt)),
  };
}

/**
 * Rules of the interviews the hub's users schedule (docs/ats-record.md): only a scheduled interview changes
 * (rescheduled, completed, cancelled or marked a no-show); its end never comes before its start; a cancelled
 * interview takes no scorecard.
 */
import type { InterviewStatus } from './canonical.js';

export interface InterviewState {
  title: string;
  startAt: string;
  endAt: string;
  location: string | null;
  interviewers: { name: string; email: string | null }[];
  status: InterviewStatus;
}

export type InterviewPatch = Partial<InterviewState>;

export type InterviewDecision =
  | { ok: true; value: InterviewState }
  | { ok: false; code: 'INVALID_TRANSITION' | 'VALIDATION_FAILED'; reason: string; path?: string };

export function decideInterviewChange(current: InterviewState, patch: InterviewPatch): InterviewDecision {
  if (current.status !== 'scheduled') {
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      reason: `the interview is ${current.status}; only a scheduled interview changes`,
    };
  }
  const next: InterviewState = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) Object.assign(next, { [key]: value });
  }
  if (Date.parse(next.endAt) < Date.parse(next.startAt)) {
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      reason: 'endAt must not be before startAt',
      path: 'body.endAt',
    };
  }
  return { ok: true, value: next };
}

/** Feedback belongs to an interview that took place or is still to take place. */
export function acceptsScorecard(status: InterviewStatus): boolean {
  return status !== 'cancelled';
}

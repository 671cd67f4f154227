/**
 * Interviews, scorecards and offers of an application: lists, scheduling (event interview.scheduled), changes
 * under the interview rules (shared/domain/interviews.ts) and scorecards (event scorecard.submitted).
 */
import { decodeCursor, pageOf } from '../../shared/api/cursor.js';
import type {
  ListQuery,
  ScheduleInterviewBody,
  SubmitScorecardBody,
  UpdateInterviewBody,
} from '../../shared/api/record.js';
import {
  findInterviewForUpdate,
  insertInterview,
  insertScorecard,
  listInterviews,
  listOffers,
  listScorecards,
  updateInterview,
} from '../../shared/db/repositories/record-interviews.js';
import type { Tx } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import { acceptsScorecard, decideInterviewChange } from '../../shared/domain/interviews.js';
import { findStage } from '../../shared/domain/pipeline.js';
import type { Principal } from '../../shared/http/types.js';
import { interviewScheduled, scorecardSubmitted } from '../../shared/messages/events.js';
import { asCaller, liveApplication, type RecordDependencies, writeWithEvents } from './context.js';
import { interviewView, offerView, scorecardView, timeKey } from './views.js';

type Lister<R> = (tx: Tx, applicationId: string, limit: number, after?: readonly string[]) => Promise<R[]>;
type Patch = UpdateInterviewBody & { interviewers?: { name: string; email: string | null }[] };

/** One page of an application's records of one kind, in time order; 404 when the application is not live. */
async function listOf<R extends { sort_at: string; id: string }, V>(
  deps: RecordDependencies,
  principal: Principal,
  applicationId: string,
  query: ListQuery,
  list: Lister<R>,
  view: (row: R) => V,
) {
  const after = query.cursor ? decodeCursor(query.cursor, ['time', 'uuid']) : undefined;
  const rows = await asCaller(deps, principal, async (tx) => {
    await liveApplication(tx, applicationId);
    return list(tx, applicationId, query.limit, after);
  });
  return pageOf(rows, query.limit, view, timeKey);
}

export const getInterviews = (deps: RecordDependencies, p: Principal, id: string, q: ListQuery) =>
  listOf(deps, p, id, q, listInterviews, interviewView);

export const getScorecards = (deps: RecordDependencies, p: Principal, id: string, q: ListQuery) =>
  listOf(deps, p, id, q, listScorecards, scorecardView);

export const getOffers = (deps: RecordDependencies, p: Principal, id: string, q: ListQuery) =>
  listOf(deps, p, id, q, listOffers, offerView);

const asPerson = (p: { name: string; email?: string | undefined }) => ({
  name: p.name,
  email: p.email ?? null,
});

export function scheduleInterview(
  deps: RecordDependencies,
  principal: Principal,
  applicationId: string,
  body: ScheduleInterviewBody,
) {
  return writeWithEvents(deps, principal, async (tx) => {
    const application = await liveApplication(tx, applicationId);
    const stage = body.stage === undefined ? application.stage : findStage(application.stages, body.stage);
    if (!stage) {
      throw new DomainError('VALIDATION_FAILED', 'unknown stage', {
        issues: [{ path: 'body.stage', message: 'not a stage of this application’s job' }],
      });
    }
    const interview = await insertInterview(tx, {
      applicationId,
      title: body.title,
      stage,
      startAt: body.startAt,
      endAt: body.endAt,
      location: body.location ?? null,
      interviewers: body.interviewers.map(asPerson),
      createdByKeyId: principal.keyId,
    });
    const payload = interviewScheduled.parse({
      applicationId,
      interviewId: interview.id,
      startAt: interview.start_at.toISOString(),
      endAt: interview.end_at.toISOString(),
      source: 'hub',
    });
    return {
      value: interviewView(interview),
      events: [
        {
          aggregateType: 'application',
          aggregateId: applicationId,
          eventType: 'interview.scheduled',
          payload,
        },
      ],
    };
  });
}

export async function changeInterview(
  deps: RecordDependencies,
  principal: Principal,
  interviewId: string,
  body: UpdateInterviewBody,
) {
  return asCaller(deps, principal, async (tx) => {
    const current = await findInterviewForUpdate(tx, interviewId);
    if (!current) throw notFound('interview');
    const decision = decideInterviewChange(
      { ...current, startAt: current.start_at.toISOString(), endAt: current.end_at.toISOString() },
      { ...body, interviewers: body.interviewers?.map(asPerson) } as Patch,
    );
    if (!decision.ok) {
      const details = decision.path ? { issues: [{ path: decision.path, message: decision.reason }] } : {};
      throw new DomainError(decision.code, decision.reason, details);
    }
    return interviewView(await updateInterview(tx, interviewId, decision.value));
  });
}

export function submitScorecard(
  deps: RecordDependencies,
  principal: Principal,
  interviewId: string,
  body: SubmitScorecardBody,
) {
  return writeWithEvents(deps, principal, async (tx) => {
    // RLS shows only the caller's organization: another organization's interview is simply not found
    const interview = await findInterviewForUpdate(tx, interviewId);
    if (!interview) throw notFound('interview');
    if (!acceptsScorecard(interview.status)) {
      throw new DomainError('INVALID_TRANSITION', 'a cancelled interview takes no scorecard');
    }
    const applicationId = interview.application_id;
    const scorecard = await insertScorecard(tx, {
      applicationId,
      interviewId,
      interviewer: asPerson(body.interviewer),
      recommendation: body.recommendation,
      submittedAt: deps.clock.now(),
      attributes: body.attributes,
      createdByKeyId: principal.keyId,
    });
    const payload = scorecardSubmitted.parse({
      applicationId,
      scorecardId: scorecard.id,
      interviewId,
      recommendation: scorecard.recommendation,
      source: 'hub',
    });
    return {
      value: scorecardView(scorecard),
      events: [
        {
          aggregateType: 'application',
          aggregateId: applicationId,
          eventType: 'scorecard.submitted',
          payload,
        },
      ],
    };
  });
}

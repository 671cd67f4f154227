/**
 * Interviews, scorecards and offers of an application as the API reads and writes them (docs/ats-record.md).
 * Rows soft-deleted, or under a soft-deleted application, are never listed or changed.
 */
import type { Tx } from '../tenant.js';
import { timeOrderedPage } from './record-keys.js';

export interface PersonRow {
  name: string;
  email: string | null;
}

export interface InterviewRow {
  id: string;
  application_id: string;
  title: string;
  stage_name: string | null;
  start_at: Date;
  end_at: Date;
  location: string | null;
  status: 'scheduled' | 'completed' | 'cancelled' | 'no_show';
  interviewers: PersonRow[];
  source: string;
  sort_at: string;
}

const live = (tx: Tx, alias: string) =>
  tx.unsafe(`${alias}.deleted_at is null and exists (select 1 from applications a
    where a.id = ${alias}.application_id and a.deleted_at is null)`);

const INTERVIEW_COLUMNS = `i.id, i.application_id, i.title, i.stage_name, i.start_at, i.end_at, i.location, i.status,
  i.interviewers, i.source`;

/** By (start_at, id); `after` is the previous page's last. */
export function listInterviews(tx: Tx, applicationId: string, limit: number, after?: readonly string[]) {
  return timeOrderedPage<InterviewRow>(
    tx,
    {
      columns: INTERVIEW_COLUMNS,
      from: 'interviews i',
      time: 'i.start_at',
      id: 'i.id',
      where: tx`i.application_id = ${applicationId} and ${live(tx, 'i')}`,
    },
    limit,
    after,
  );
}

export interface NewInterview {
  applicationId: string;
  title: string;
  stage: { id: string; name: string };
  startAt: string;
  endAt: string;
  location: string | null;
  interviewers: PersonRow[];
  createdByKeyId: string;
}

export async function insertInterview(tx: Tx, input: NewInterview): Promise<Omit<InterviewRow, 'sort_at'>> {
  const [row] = await tx<InterviewRow[]>`
    insert into interviews as i (organization_id, application_id, title, stage_id, stage_name, start_at, end_at,
      location, interviewers, source, created_by_key_id)
    values (app_org(), ${input.applicationId}, ${input.title}, ${input.stage.id}, ${input.stage.name},
      ${input.startAt}, ${input.endAt}, ${input.location}, ${tx.json(input.interviewers as never)}::jsonb, 'hub',
      ${input.createdByKeyId})
    returning ${tx.unsafe(INTERVIEW_COLUMNS)}`;
  return row!;
}

/** The interview, locked for a change, when it and its application are live. */
export async function findInterviewForUpdate(
  tx: Tx,
  id: string,
): Promise<Omit<InterviewRow, 'sort_at'> | undefined> {
  const [row] = await tx<InterviewRow[]>`
    select ${tx.unsafe(INTERVIEW_COLUMNS)} from interviews i
    where i.id = ${id} and ${live(tx, 'i')}
    for update of i`;
  return row;
}

export interface InterviewChange {
  title: string;
  startAt: string;
  endAt: string;
  location: string | null;
  interviewers: PersonRow[];
  status: InterviewRow['status'];
}

export async function updateInterview(
  tx: Tx,
  id: string,
  change: InterviewChange,
): Promise<Omit<InterviewRow, 'sort_at'>> {
  const [row] = await tx<InterviewRow[]>`
    update interviews as i set title = ${change.title}, start_at = ${change.startAt}, end_at = ${change.endAt},
      location = ${change.location}, interviewers = ${tx.json(change.interviewers as never)}::jsonb,
      status = ${change.status}, updated_at = now()
    where i.id = ${id}
    returning ${tx.unsafe(INTERVIEW_COLUMNS)}`;
  return row!;
}

export interface ScorecardRow {
  id: string;
  application_id: string;
  interview_id: string | null;
  interviewer_name: string;
  interviewer_email: string | null;
  recommendation: 'strong_yes' | 'yes' | 'no' | 'strong_no' | 'no_decision';
  submitted_at: Date;
  attributes: { name: string; rating: string }[];
  source: string;
  sort_at: string;
}

const SCORECARD_COLUMNS = `s.id, s.application_id, s.interview_id, s.interviewer_name, s.interviewer_email,
  s.recommendation, s.submitted_at, s.attributes, s.source`;

/** By (submitted_at, id); `after` is the previous page's last. */
export function listScorecards(tx: Tx, applicationId: string, limit: number, after?: readonly string[]) {
  return timeOrderedPage<ScorecardRow>(
    tx,
    {
      columns: SCORECARD_COLUMNS,
      from: 'scorecards s',
      time: 's.submitted_at',
      id: 's.id',
      where: tx`s.application_id = ${applicationId} and ${live(tx, 's')}`,
    },
    limit,
    after,
  );
}

export interface NewScorecard {
  applicationId: string;
  interviewId: string;
  interviewer: PersonRow;
  recommendation: ScorecardRow['recommendation'];
  submittedAt: Date;
  attributes: { name: string; rating: string }[];
  createdByKeyId: string;
}

export async function insertScorecard(tx: Tx, input: NewScorecard): Promise<Omit<ScorecardRow, 'sort_at'>> {
  const [row] = await tx<ScorecardRow[]>`
    insert into scorecards as s (organization_id, application_id, interview_id, interviewer_name, interviewer_email,
      recommendation, submitted_at, attributes, source, created_by_key_id)
    values (app_org(), ${input.applicationId}, ${input.interviewId}, ${input.interviewer.name},
      ${input.interviewer.email}, ${input.recommendation}, ${input.submittedAt},
      ${tx.json(input.attributes as never)}::jsonb, 'hub', ${input.createdByKeyId})
    returning ${tx.unsafe(SCORECARD_COLUMNS)}`;
  return row!;
}

export interface OfferRow {
  id: string;
  application_id: string;
  status: 'draft' | 'sent' | 'accepted' | 'declined' | 'withdrawn';
  sent_at: Date | null;
  resolved_at: Date | null;
  /** A date, as text (no time zone to shift). */
  starts_at: string | null;
  source: string;
  sort_at: string;
}

/** By (created_at, id); `after` is the previous page's last. */
export function listOffers(tx: Tx, applicationId: string, limit: number, after?: readonly string[]) {
  return timeOrderedPage<OfferRow>(
    tx,
    {
      columns:
        'o.id, o.application_id, o.status, o.sent_at, o.resolved_at, o.starts_at::text as starts_at, o.source',
      from: 'offers o',
      time: 'o.created_at',
      id: 'o.id',
      where: tx`o.application_id = ${applicationId} and ${live(tx, 'o')}`,
    },
    limit,
    after,
  );
}

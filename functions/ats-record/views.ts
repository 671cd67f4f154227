/** Rows of the recruiting record as the API shows them (docs/api.md, "The full ATS record"). */
import type { CandidateView } from '../../shared/api/record.js';
import { iso, isoOrNull } from '../../shared/api/views.js';
import type { CandidateRecordRow } from '../../shared/db/repositories/record-candidates.js';
import type { InterviewRow, OfferRow, ScorecardRow } from '../../shared/db/repositories/record-interviews.js';
import type { NoteRow, RejectionReasonRow } from '../../shared/db/repositories/record-notes.js';

/** A portal candidate has only its primary email and phone: they stand for the lists. */
const contacts = (list: { value: string; type: string }[], primary: string | null) =>
  list.length > 0 ? list : primary ? [{ value: primary, type: 'other' }] : [];

export function candidateView(row: CandidateRecordRow): CandidateView {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    emails: contacts(row.emails, row.email),
    phones: contacts(row.phones, row.phone),
    company: row.company,
    title: row.title,
    tags: row.tags,
    applications: row.applications.map((a) => ({
      id: a.id,
      jobId: a.job_id,
      stage: a.stage,
      status: a.status as CandidateView['applications'][number]['status'],
    })),
    attachments: row.attachments.map((a) => ({
      id: a.id,
      fileName: a.file_name,
      type: a.type as CandidateView['attachments'][number]['type'],
      source: a.source,
    })),
    externalRefs: row.external_refs.map((r) => ({
      provider: r.provider,
      integrationId: r.integration_id,
      type: r.type,
      remoteId: r.remote_id,
    })),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export const interviewView = (row: Omit<InterviewRow, 'sort_at'>) => ({
  id: row.id,
  applicationId: row.application_id,
  title: row.title,
  stage: row.stage_name,
  startAt: iso(row.start_at),
  endAt: iso(row.end_at),
  location: row.location,
  status: row.status,
  interviewers: row.interviewers.map((p) => ({ name: p.name, email: p.email ?? null })),
  source: row.source,
});

export const scorecardView = (row: Omit<ScorecardRow, 'sort_at'>) => ({
  id: row.id,
  applicationId: row.application_id,
  interviewId: row.interview_id,
  interviewer: { name: row.interviewer_name, email: row.interviewer_email },
  recommendation: row.recommendation,
  submittedAt: iso(row.submitted_at),
  attributes: row.attributes.map((a) => ({ name: a.name, rating: a.rating })),
  source: row.source,
});

export const offerView = (row: OfferRow) => ({
  id: row.id,
  applicationId: row.application_id,
  status: row.status,
  sentAt: isoOrNull(row.sent_at),
  resolvedAt: isoOrNull(row.resolved_at),
  startsAt: row.starts_at,
  source: row.source,
});

export const noteView = (row: Omit<NoteRow, 'sort_at'>) => ({
  id: row.id,
  applicationId: row.application_id,
  body: row.body,
  author: row.author,
  authorUserId: row.author_user_id,
  visibility: row.visibility,
  createdAt: iso(row.created_at),
  source: row.source,
});

export const rejectionReasonView = (row: RejectionReasonRow) => ({
  id: row.id,
  name: row.name,
  category: row.category,
  source: row.source,
  createdAt: iso(row.created_at),
});

/** The cursor of a row listed in time order: its exact timestamp and id. */
export const timeKey = (row: { sort_at: string; id: string }) => [row.sort_at, row.id];

/** The cursor of a row listed by name. */
export const nameKey = (row: { name: string; id: string }) => [row.name.toLowerCase(), row.id];

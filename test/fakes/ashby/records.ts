/**
 * The Ashby fake's full ATS record endpoints (docs/providers.md §4.6): `interviewSchedule.list` and
 * `applicationFeedback.list` (cursor + syncToken, `applicationId` filter), `offer.list` and `user.list` (cursor
 * only), `archiveReason.list` (`includeArchived`, one page), `candidate.listNotes` (per candidate, cursor),
 * `candidateTag.list`, and the writes `candidate.createNote`, `candidateTag.create`, `candidate.addTag`,
 * `candidate.removeTag` with their validation. Refusals are HTTP 200 `{success:false, errorInfo}`.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeResponse } from '../common/loopback-server.js';
import type { AbCollection } from './paging.js';
import type { AbFeedback, AbNote, AbOffer, AbRecords, AbSchedule, AbTag, AbUser } from './record-state.js';
import type { AbState } from './state.js';

export const ASHBY_RECORD_PERMISSIONS = {
  'interviewSchedule.list': 'interviewsRead',
  'applicationFeedback.list': 'candidatesRead',
  'offer.list': 'offersRead',
  'user.list': 'organizationRead',
  'candidate.listNotes': 'candidatesRead',
  'candidate.createNote': 'candidatesWrite',
  'candidateTag.list': 'hiringProcessMetadataRead',
  'candidateTag.create': 'hiringProcessMetadataWrite',
  'candidate.addTag': 'candidatesWrite',
  'candidate.removeTag': 'candidatesWrite',
} as const;

const MAX_NOTE = 50_000;
const MAX_TAG = 255;
const iso = (ms: number) => new Date(ms).toISOString();
const byApplication = (body: Record<string, unknown>) => (row: { applicationId: string }) =>
  typeof body['applicationId'] !== 'string' || row.applicationId === body['applicationId'];

export function renderUser(u: AbUser) {
  return { id: u.id, firstName: u.firstName, lastName: u.lastName, email: u.email, isEnabled: true };
}

export function renderSchedule(s: AbSchedule) {
  return {
    id: s.id,
    applicationId: s.applicationId,
    candidateId: s.candidateId,
    interviewStageId: s.interviewStageId,
    status: s.status,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    interviewEvents: s.events.map((e) => ({
      id: e.id,
      interviewId: e.interviewId,
      interviewScheduleId: s.id,
      interviewerUserIds: [...e.interviewerUserIds],
      createdAt: iso(s.createdAt),
      updatedAt: iso(s.updatedAt),
      startTime: iso(e.startTime),
      endTime: iso(e.endTime),
      feedbackLink: `https://app.ashbyhq.com/feedback/${e.id}`,
      // Ashby omits the location of a video interview rather than sending null.
      ...(e.location ? { location: e.location } : {}),
      meetingLink: 'https://meet.example/abc',
      hasSubmittedFeedback: false,
      interview: { id: e.interviewId, title: e.title },
    })),
  };
}

export function renderOffer(o: AbOffer) {
  return {
    id: o.id,
    applicationId: o.applicationId,
    offerStatus: o.offerStatus,
    acceptanceStatus: o.acceptanceStatus,
    decidedAt: o.decidedAt === null ? null : iso(o.decidedAt),
    latestVersion: {
      id: `${o.id}-v1`,
      startDate: o.startDate,
      salary: { currencyCode: 'EUR', value: 80_000 },
      createdAt: iso(o.createdAt),
      approvalStatus: o.offerStatus === 'WaitingOnApprovalStart' ? 'Pending' : 'Approved',
    },
  };
}

export function createAshbyRecordRoutes(deps: {
  state: AbState;
  records: AbRecords;
  clock: ControllableClock;
  ok: (body: Record<string, unknown>) => FakeResponse;
  fail: (code: string, message: string, status?: number) => FakeResponse;
  renderCandidate: (id: string) => unknown;
}) {
  const { state, records, clock, ok, fail } = deps;
  const userById = (id: string) => records.users.find((u) => u.id === id);

  const renderFeedback = (f: AbFeedback) => {
    const user = userById(f.userId);
    const values: Record<string, unknown> = {
      communication: { score: f.ratings.communication },
      technical_skills: { score: f.ratings.technical },
    };
    // A blank score is left out of submittedValues, not sent as null.
    if (f.recommendation !== null) values['overall_recommendation'] = { score: f.recommendation };
    return {
      id: f.id,
      applicationId: f.applicationId,
      interviewEventId: f.interviewEventId,
      submittedAt: iso(f.submittedAt),
      submittedByUser: user ? renderUser(user) : null,
      formDefinition: {
        sections: [
          {
            fields: [
              { field: { path: 'overall_recommendation', title: 'Overall Recommendation', type: 'Score' } },
              { field: { path: 'communication', title: 'Communication', type: 'Score' } },
              { field: { path: 'technical_skills', title: 'Technical skills', type: 'Score' } },
            ],
          },
        ],
      },
      submittedValues: values,
    };
  };
  const renderNote = (n: AbNote) => {
    const author = userById(n.authorId);
    return {
      id: n.id,
      createdAt: iso(n.createdAt),
      isPrivate: n.isPrivate,
      content: n.content,
      author: author
        ? { id: author.id, firstName: author.firstName, lastName: author.lastName, email: author.email }
        : null,
    };
  };
  const renderTag = (t: AbTag) => ({ id: t.id, title: t.title, isArchived: t.isArchived });

  const collections: Record<string, AbCollection> = {
    'interviewSchedule.list': {
      rows: (body) => records.schedules.filter(byApplication(body)),
      render: renderSchedule as (row: never) => unknown,
      sync: true,
    },
    'applicationFeedback.list': {
      rows: (body) => records.feedback.filter(byApplication(body)),
      render: renderFeedback as (row: never) => unknown,
      sync: true,
    },
    'offer.list': {
      rows: (body) => records.offers.filter(byApplication(body)),
      render: renderOffer as (row: never) => unknown,
      sync: false,
    },
    'user.list': {
      rows: () => records.users.map((u) => ({ ...u, updatedAt: 0 })),
      render: renderUser as (row: never) => unknown,
      sync: false,
    },
    'candidate.listNotes': {
      rows: (body) =>
        records.notes
          .filter((n) => n.candidateId === body['candidateId'])
          .sort((a, b) => b.createdAt - a.createdAt),
      render: renderNote as (row: never) => unknown,
      sync: false,
      required: ['candidateId'],
    },
    'candidateTag.list': {
      rows: (body) => records.tags.filter((t) => body['includeArchived'] === true || !t.isArchived),
      render: renderTag as (row: never) => unknown,
      sync: false,
    },
  };

  const profile = (candidateId: string) => {
    let found = records.profiles.get(candidateId);
    if (!found) {
      found = { company: null, position: null, tagIds: [], resume: null, files: [] };
      records.profiles.set(candidateId, found);
    }
    return found;
  };
  /** (unverified) a tag change bumps the candidate's updatedAt, so incremental candidate passes see it. */
  const touch = (candidateId: string) => {
    const candidate = state.candidates.find((c) => c.id === candidateId);
    if (candidate) candidate.updatedAt = clock.nowMs();
  };

  const createNote = (body: Record<string, unknown>): FakeResponse => {
    const candidateId = body['candidateId'];
    if (typeof candidateId !== 'string' || !state.candidates.some((c) => c.id === candidateId))
      return fail('candidate_not_found', 'Candidate not found');
    const raw = body['note'];
    const note =
      typeof raw === 'string' ? { type: 'text/plain', value: raw } : (raw as Record<string, unknown> | null);
    if (!note || typeof note !== 'object' || typeof note['value'] !== 'string' || !note['value'].trim())
      return fail('invalid_input', 'note is required');
    if (note['type'] !== 'text/plain' && note['type'] !== 'text/html')
      return fail('invalid_input', 'note.type must be text/plain or text/html');
    if (note['value'].length > MAX_NOTE) return fail('invalid_input', 'note is too long');
    if (body['isPrivate'] !== undefined && typeof body['isPrivate'] !== 'boolean')
      return fail('invalid_input', 'isPrivate must be a boolean');
    const created: AbNote = {
      id: records.rng.uuid(),
      candidateId,
      content: note['value'],
      isPrivate: body['isPrivate'] === true,
      authorId: records.users[0]!.id,
      createdAt: clock.nowMs(),
      updatedAt: clock.nowMs(),
    };
    records.notes.push(created);
    return ok({ results: renderNote(created) });
  };

  const createTag = (body: Record<string, unknown>): FakeResponse => {
    const title = body['title'];
    if (typeof title !== 'string' || !title.trim()) return fail('invalid_input', 'title is required');
    if (title.length > MAX_TAG) return fail('invalid_input', 'title is too long');
    const tag: AbTag = {
      id: records.rng.uuid(),
      title: title.trim(),
      isArchived: false,
      updatedAt: clock.nowMs(),
    };
    records.tags.push(tag);
    return ok({ results: renderTag(tag) });
  };

  const tagging = (body: Record<string, unknown>, add: boolean): FakeResponse => {
    const candidateId = body['candidateId'];
    if (typeof candidateId !== 'string' || !state.candidates.some((c) => c.id === candidateId))
      return fail('candidate_not_found', 'Candidate not found');
    const tag = records.tags.find((t) => t.id === body['tagId']);
    if (!tag) return fail('tag_not_found', 'Tag not found');
    const current = profile(candidateId);
    const had = current.tagIds.includes(tag.id);
    if (add && !had) current.tagIds.push(tag.id);
    if (!add && had) current.tagIds = current.tagIds.filter((id) => id !== tag.id);
    if (add !== had) touch(candidateId);
    return ok({ results: deps.renderCandidate(candidateId) });
  };

  return {
    collections,
    /** The record endpoints that are not lists. */
    route(method: string, body: Record<string, unknown>): FakeResponse | null {
      switch (method) {
        case 'archiveReason.list':
          return ok({
            results: state.archiveReasons
              .filter((r) => body['includeArchived'] === true || !r.isArchived)
              .map((r) => ({ ...r, isArchived: r.isArchived ?? false })),
            moreDataAvailable: false,
          });
        case 'candidate.createNote':
          return createNote(body);
        case 'candidateTag.create':
          return createTag(body);
        case 'candidate.addTag':
          return tagging(body, true);
        case 'candidate.removeTag':
          return tagging(body, false);
        default:
          return null;
      }
    },
    profile,
    renderTag,
  };
}

/** What a recruiter does in Ashby's UI to the record, with the webhook each change fires. */
export function recordControls(
  records: AbRecords,
  clock: ControllableClock,
  queue: { action: string; data: unknown }[],
) {
  return {
    /** A recruiter schedules or changes an interview: interviewScheduleCreate / Update fires. */
    saveSchedule(schedule: AbSchedule, created: boolean) {
      schedule.updatedAt = clock.nowMs();
      if (created) records.schedules.push(schedule);
      const action = created ? 'interviewScheduleCreate' : 'interviewScheduleUpdate';
      const event = { action, data: { interviewSchedule: renderSchedule(schedule) } };
      queue.push(event);
      return event;
    },
    /** A recruiter creates, changes or deletes an offer: offerCreate / offerUpdate / offerDelete fires. */
    saveOffer(offer: AbOffer, change: 'create' | 'update' | 'delete') {
      offer.updatedAt = clock.nowMs();
      if (change === 'create') records.offers.push(offer);
      if (change === 'delete') records.offers = records.offers.filter((o) => o.id !== offer.id);
      const action = `offer${change[0]!.toUpperCase()}${change.slice(1)}`;
      const event = { action, data: { offer: change === 'delete' ? { id: offer.id } : renderOffer(offer) } };
      queue.push(event);
      return event;
    },
  };
}

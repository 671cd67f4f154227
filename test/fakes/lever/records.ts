/**
 * The Lever fake's record endpoints (docs/providers.md §3.7): `GET /users`, `GET /opportunities/:id/interviews |
 * feedback | offers | notes | resumes` with Lever's `{data, next, hasNext}` pages, `POST /opportunities/:id/notes`
 * (required `perform_as`, `{value, secret}`) and `POST /opportunities/:id/addTags | removeTags` (`{tags}`).
 * Fields Lever leaves out are left out: a draft offer has no `sentDocument`, a live note no `deletedAt`.
 * Whether a note or tag write bumps the opportunity's `updatedAt` is (unverified); the fake bumps it.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import {
  addInterview,
  generateLeverRecords,
  type LvFeedback,
  type LvInterview,
  type LvNote,
  type LvOffer,
  type LvRecords,
  type LvResume,
} from './records-state.js';
import type { LvOpportunity, LvState } from './state.js';

const json = (status: number, body: unknown): FakeResponse => ({ status, body });
const bad = (message: string) => json(400, { code: 'BadRequestError', message });
/** (unverified) Lever's cap on a tag's length; the hub's own cap is lower. */
const MAX_TAG_LENGTH = 255;

interface RouteDeps {
  state: LvState;
  clock: ControllableClock;
  seed: number;
  paged: <T>(
    request: FakeRequest,
    resource: string,
    rows: readonly T[],
    render: (row: T) => unknown,
  ) => FakeResponse;
}

const renderInterview = (records: LvRecords) => (i: LvInterview) => ({
  id: i.id,
  panel: i.panel,
  subject: i.subject,
  note: '',
  interviewers: i.interviewers.map((id) => {
    const user = records.users.find((u) => u.id === id);
    return { id, name: user?.name ?? '', email: user?.email ?? '', feedbackTemplate: 'tmpl-interview' };
  }),
  timezone: 'Europe/London',
  createdAt: i.createdAt,
  date: i.date,
  duration: i.duration,
  location: i.location,
  feedbackTemplate: 'tmpl-interview',
  feedbackForms: [],
  feedbackReminder: 'frequently',
  user: records.users[0]!.id,
  stage: i.stage,
  canceledAt: i.canceledAt,
  postings: [i.postingId],
});

const renderFeedback = (f: LvFeedback) => ({
  id: f.id,
  type: 'interview',
  text: 'Interview feedback',
  instructions: '',
  baseTemplateId: 'tmpl-interview',
  interview: f.interview,
  panel: f.panel,
  user: f.user,
  createdAt: f.createdAt,
  completedAt: f.completedAt,
  updatedAt: f.completedAt ?? f.createdAt,
  ...(f.deletedAt ? { deletedAt: f.deletedAt } : {}),
  fields: [
    { type: 'score-system', text: 'Rating', required: true, value: f.rating },
    ...f.scores.map((s) => ({ type: 'score', text: s.text, required: false, value: s.value })),
    { type: 'textarea', text: 'Comments', required: false, value: f.comment },
  ],
});

const document = (fileName: string, uploadedAt: number) => ({
  fileName,
  uploadedAt,
  downloadUrl: `https://api.lever.co/v1/offers/${fileName}/download`,
});

const renderOffer = (o: LvOffer) => ({
  id: o.id,
  createdAt: o.createdAt,
  status: o.status,
  creator: o.creator,
  fields: [
    { text: 'Anticipated start date', identifier: 'anticipated_start_date', value: o.startDate },
    { text: 'Salary', identifier: 'salary_amount', value: o.salary },
  ],
  ...(o.sentAt !== null ? { sentDocument: document(`offer-${o.id}.pdf`, o.sentAt) } : {}),
  ...(o.signedAt !== null ? { signedDocument: document(`signed-${o.id}.pdf`, o.signedAt) } : {}),
});

const renderNote = (n: LvNote) => ({
  id: n.id,
  text: 'Note',
  fields: [{ type: 'note', text: 'Note', value: n.body }],
  user: n.user,
  secret: n.secret,
  completedAt: n.createdAt,
  createdAt: n.createdAt,
  ...(n.deletedAt ? { deletedAt: n.deletedAt } : {}),
});

const renderResume = (r: LvResume) => ({
  id: r.id,
  createdAt: r.createdAt,
  file: { name: r.name, ext: 'pdf', uploadedAt: r.createdAt, status: 'processed', size: 48_213 },
});

function parseBody(request: FakeRequest): Record<string, unknown> | null {
  try {
    const value = JSON.parse(request.body || 'null');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export function createLeverRecordRoutes({ state, clock, seed, paged }: RouteDeps) {
  const records = generateLeverRecords(state, seed, clock.nowMs());

  /** `perform_as`, required or not: when given, the id of a known user. */
  const actor = (request: FakeRequest, required: boolean): FakeResponse | null => {
    const id = request.query.get('perform_as');
    if (!id) return required ? bad('Missing required query parameter: perform_as') : null;
    return records.users.some((u) => u.id === id)
      ? null
      : bad('perform_as must be the id of an active Lever user');
  };

  const addNote = (o: LvOpportunity, request: FakeRequest): FakeResponse => {
    const refused = actor(request, true);
    if (refused) return refused;
    const body = parseBody(request);
    if (!body) return bad('Request body must be a JSON object');
    const value = body['value'];
    if (typeof value !== 'string' || value.trim() === '') return bad('value is required');
    if (body['secret'] !== undefined && typeof body['secret'] !== 'boolean')
      return bad('secret must be a boolean');
    const note: LvNote = {
      id: records.rng.uuid(),
      opportunityId: o.id,
      user: request.query.get('perform_as')!,
      body: value,
      secret: body['secret'] === true,
      createdAt: clock.nowMs(),
      deletedAt: null,
    };
    records.notes.push(note);
    o.updatedAt = clock.nowMs();
    return json(201, { data: { noteId: note.id } });
  };

  const changeTags = (o: LvOpportunity, request: FakeRequest, add: boolean): FakeResponse => {
    const refused = actor(request, false);
    if (refused) return refused;
    const tags = parseBody(request)?.['tags'];
    if (
      !Array.isArray(tags) ||
      tags.length === 0 ||
      !tags.every((t) => typeof t === 'string' && t.trim() !== '')
    )
      return bad('tags must be a non-empty list of strings');
    if (tags.some((t: string) => t.length > MAX_TAG_LENGTH)) return bad('tag is too long');
    o.tags = add ? [...new Set([...o.tags, ...tags])] : o.tags.filter((t) => !tags.includes(t));
    o.updatedAt = clock.nowMs();
    return json(200, { data: { id: o.id, tags: o.tags } });
  };

  const list = <T extends { opportunityId: string }>(
    request: FakeRequest,
    o: LvOpportunity,
    resource: string,
    rows: readonly T[],
    render: (row: T) => unknown,
  ) =>
    paged(
      request,
      `${resource}:${o.id}`,
      rows.filter((r) => r.opportunityId === o.id),
      render,
    );

  return {
    records,
    /** The record routes; null for every other request. `path` is without the `/v1` prefix. */
    route(request: FakeRequest, path: string): FakeResponse | null {
      const { method } = request;
      if (method === 'GET' && path === '/users') return paged(request, 'users', records.users, (u) => u);
      const match =
        /^\/opportunities\/([^/]+)\/(interviews|feedback|offers|notes|resumes|addTags|removeTags)$/.exec(
          path,
        );
      if (!match) return null;
      const o = state.opportunityById.get(decodeURIComponent(match[1]!));
      if (!o) return json(404, { code: 'ResourceNotFound', message: 'Opportunity not found' });
      const resource = match[2]!;
      if (method === 'POST' && resource === 'notes') return addNote(o, request);
      if (method === 'POST' && resource === 'addTags') return changeTags(o, request, true);
      if (method === 'POST' && resource === 'removeTags') return changeTags(o, request, false);
      if (method !== 'GET') return null;
      if (resource === 'interviews')
        return list(request, o, resource, records.interviews, renderInterview(records));
      if (resource === 'feedback') return list(request, o, resource, records.feedback, renderFeedback);
      if (resource === 'offers') return list(request, o, resource, records.offers, renderOffer);
      if (resource === 'notes') return list(request, o, resource, records.notes, renderNote);
      if (resource === 'resumes') return list(request, o, resource, records.resumes, renderResume);
      return null;
    },
    /** Test controls: a new interview (bumping the opportunity), its cancellation and deletion. */
    scheduleInterview(o: LvOpportunity, date: number): LvInterview {
      o.updatedAt = clock.nowMs();
      return addInterview(records, o, { date, createdAt: clock.nowMs(), stage: o.stageId });
    },
    cancelInterview(id: string): LvInterview {
      const interview = records.interviews.find((i) => i.id === id);
      if (!interview) throw new Error(`no interview ${id}`);
      interview.canceledAt = clock.nowMs();
      return interview;
    },
    deleteInterview(id: string) {
      records.interviews = records.interviews.filter((i) => i.id !== id);
    },
    render: {
      interview: renderInterview(records),
      feedback: renderFeedback,
      offer: renderOffer,
      note: renderNote,
    },
  };
}

export type LeverRecordRoutes = ReturnType<typeof createLeverRecordRoutes>;

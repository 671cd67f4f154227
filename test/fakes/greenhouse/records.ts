/**
 * The fake's Harvest v3 record endpoints (docs/ats-record.md "Greenhouse"): the lists `rejection_reasons`,
 * `interviews`, `scorecards`, `offers`, `notes`, `users`, `candidate_tags`, `applied_candidate_tags` (paged,
 * filtered and validated by the server's common list code), the writes `POST /v3/notes`,
 * `POST /v3/candidate_tags`, `POST /v3/applied_candidate_tags`, `DELETE /v3/applied_candidate_tags/{id}`, and the
 * interview, scorecard and offer webhooks. Like v3, rows name people by user id only: the client resolves them
 * through `/v3/users`.
 */
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import { idList } from './filters.js';
import {
  type GhInterview,
  type GhNote,
  type GhOffer,
  type GhRecords,
  type GhScorecard,
  generateGreenhouseRecords,
  refreshCandidateTags,
} from './records-state.js';
import { iso } from './serialize.js';
import { type GhState, REJECTION_REASONS } from './state.js';
import { type GreenhouseSubmissions, ghError } from './submissions.js';

export type V3Row = { id: number; createdAt: number; updatedAt: number };
export interface V3Resource {
  rows: () => readonly V3Row[];
  render: (row: V3Row) => unknown;
  /** A filter from the first request's parameters (null: none). */
  extra?: (q: Map<string, string>) => ((row: V3Row) => boolean) | null;
  /** A 422 for a bad first-request parameter, or null. */
  validate?: (q: Map<string, string>) => FakeResponse | null;
}

const DEFAULT_REASONS = [
  { id: 1, name: 'Not a cultural fit', type: 'We rejected them' },
  { id: 2, name: "Didn't like offer", type: 'They rejected us' },
];

const byAny =
  <T>(field: (row: T) => number | null, param: string) =>
  (q: Map<string, string>) => {
    const ids = idList(q.get(param) ?? null);
    return ids ? (row: V3Row) => ids.has(field(row as unknown as T) ?? -1) : null;
  };

function enumParam(param: string, allowed: string[]) {
  return (q: Map<string, string>) => {
    const value = q.get(param);
    return value === undefined || allowed.includes(value)
      ? null
      : ghError(422, `${param} must be one of ${allowed.join(', ')}`, param);
  };
}

export function createGreenhouseRecords(
  state: GhState,
  seed: number,
  now: () => number,
  submissions: GreenhouseSubmissions,
) {
  const data: GhRecords = generateGreenhouseRecords(state, seed, now());
  const reasonTime = now() - 200 * 86_400_000;
  const reasonRow = (r: { id: number; name: string; type: string }) => ({
    ...r,
    createdAt: reasonTime,
    updatedAt: reasonTime,
  });
  const reasons = [...DEFAULT_REASONS.map(reasonRow), ...REJECTION_REASONS.map(reasonRow)];

  const renderInterview = (i: GhInterview) => ({
    id: i.id,
    application_id: i.applicationId,
    job_interview_id: 10_000 + (i.stageId ?? 0),
    name: i.name,
    job_interview_stage: i.stageId
      ? { id: i.stageId, name: state.stageById.get(i.stageId)?.name ?? null }
      : null,
    starts_at: iso(i.startsAt),
    ends_at: iso(i.endsAt),
    all_day_start_on: null,
    all_day_end_on: null,
    location: i.location,
    video_conferencing_url: null,
    status: i.status,
    interviewers: i.interviewerIds.map((id) => ({ user_id: id, response_status: 'accepted' })),
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
  });
  const renderScorecard = (s: GhScorecard) => ({
    id: s.id,
    application_id: s.applicationId,
    interview_id: s.interviewId,
    interviewer_id: s.interviewerId,
    submitter_id: s.interviewerId,
    status: s.status,
    overall_recommendation: s.recommendation,
    interviewed_at: iso(s.interviewedAt),
    submitted_at: iso(s.submittedAt),
    attributes: s.attributes,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  });
  const renderOffer = (o: GhOffer) => ({
    id: o.id,
    application_id: o.applicationId,
    candidate_id: o.candidateId,
    job_id: o.jobId,
    version: o.version,
    status: o.status,
    sent_at: iso(o.sentAt),
    resolved_at: iso(o.resolvedAt),
    start_date: o.startDate,
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
  });
  const renderNote = (n: GhNote) => ({
    id: n.id,
    candidate_id: n.candidateId,
    application_id: n.applicationId,
    user_id: n.userId,
    body: n.body,
    visibility: n.visibility,
    created_at: iso(n.createdAt),
    updated_at: iso(n.updatedAt),
  });

  const resources: Record<string, V3Resource> = {
    rejection_reasons: {
      rows: () => reasons,
      render: (row) => {
        const r = row as (typeof reasons)[number];
        return {
          id: r.id,
          name: r.name,
          type: { id: r.type.length, name: r.type },
          updated_at: iso(r.updatedAt),
        };
      },
      validate: enumParam('include_defaults', ['true', 'false']),
      // Only the organisation's own reasons unless include_defaults=true (confirmed).
      extra: (q) => (q.get('include_defaults') === 'true' ? null : (row) => row.id > 1000),
    },
    interviews: {
      rows: () => data.interviews,
      render: (row) => renderInterview(row as unknown as GhInterview),
      extra: byAny<GhInterview>((i) => i.applicationId, 'application_ids'),
    },
    scorecards: {
      rows: () => data.scorecards,
      render: (row) => renderScorecard(row as unknown as GhScorecard),
      validate: enumParam('status', ['draft', 'complete']),
      extra: (q) => {
        const apps = byAny<GhScorecard>((s) => s.applicationId, 'application_ids')(q);
        const status = q.get('status');
        return (row) =>
          (!apps || apps(row)) && (status === undefined || (row as unknown as GhScorecard).status === status);
      },
    },
    offers: {
      rows: () => data.offers,
      render: (row) => renderOffer(row as unknown as GhOffer),
      validate: enumParam('current_only', ['true', 'false']),
      extra: (q) => {
        const apps = byAny<GhOffer>((o) => o.applicationId, 'application_ids')(q);
        const current = q.get('current_only') === 'true';
        return (row) =>
          (!apps || apps(row)) && (!current || (row as unknown as GhOffer).status !== 'Deprecated');
      },
    },
    notes: {
      rows: () => data.notes,
      render: (row) => renderNote(row as unknown as GhNote),
      extra: byAny<GhNote>((n) => n.candidateId, 'candidate_ids'),
    },
    users: {
      rows: () => data.users.map((u) => ({ ...u, createdAt: reasonTime, updatedAt: reasonTime })),
      render: (row) => {
        const u = row as unknown as (typeof data.users)[number];
        return {
          id: u.id,
          first_name: u.firstName,
          last_name: u.lastName,
          name: `${u.firstName} ${u.lastName}`,
          primary_email_address: u.email,
        };
      },
    },
    candidate_tags: {
      rows: () => data.tags,
      render: (row) => ({ id: row.id, name: (row as unknown as { name: string }).name }),
    },
    applied_candidate_tags: {
      rows: () => data.appliedTags,
      render: (row) => {
        const a = row as unknown as GhRecords['appliedTags'][number];
        return {
          id: a.id,
          candidate_id: a.candidateId,
          candidate_tag_id: a.tagId,
          created_at: iso(a.createdAt),
        };
      },
      extra: byAny<GhRecords['appliedTags'][number]>((a) => a.candidateId, 'candidate_ids'),
    },
  };

  const body = (request: FakeRequest): Record<string, unknown> | null => {
    try {
      const value: unknown = JSON.parse(request.body);
      return value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  };
  const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

  const addNote = (b: Record<string, unknown>, sub: number | null): FakeResponse => {
    const candidate = isId(b['candidate_id']) ? state.candidateById.get(b['candidate_id']) : undefined;
    if (!candidate) return ghError(422, 'candidate_id must be an existing candidate', 'candidate_id');
    const appId = b['application_id'];
    if (appId !== undefined && appId !== null) {
      const app = isId(appId) ? state.applicationById.get(appId) : undefined;
      if (!app || app.candidateId !== candidate.id)
        return ghError(422, 'application_id must be an application of the candidate', 'application_id');
    }
    const text = b['body'];
    if (typeof text !== 'string' || text.trim() === '' || text.length > 10_000)
      return ghError(422, 'body is required (at most 10000 characters)', 'body');
    const visibility = b['visibility'];
    if (visibility !== 'public' && visibility !== 'private' && visibility !== 'admin_only')
      return ghError(422, 'visibility must be one of admin_only, private, public', 'visibility');
    const at = now();
    const note: GhNote = {
      id: data.next.note++,
      candidateId: candidate.id,
      applicationId: isId(appId) ? appId : null,
      // Without `sub` the token acts as the auto-generated service user.
      userId: sub ?? 100,
      body: text,
      visibility,
      createdAt: at,
      updatedAt: at,
    };
    data.notes.push(note);
    return { status: 201, body: renderNote(note) };
  };

  const addTag = (b: Record<string, unknown>): FakeResponse => {
    const name = b['name'];
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
      return ghError(422, 'name is required (at most 255 characters)', 'name');
    if (data.tags.some((t) => t.name.toLowerCase() === name.trim().toLowerCase()))
      return ghError(422, 'name has already been taken', 'name');
    const tag = { id: data.next.tag++, name: name.trim(), createdAt: now(), updatedAt: now() };
    data.tags.push(tag);
    return { status: 201, body: { id: tag.id, name: tag.name } };
  };

  const applyTag = (b: Record<string, unknown>): FakeResponse => {
    const candidate = isId(b['candidate_id']) ? state.candidateById.get(b['candidate_id']) : undefined;
    if (!candidate) return ghError(422, 'candidate_id must be an existing candidate', 'candidate_id');
    const tag = data.tags.find((t) => t.id === b['candidate_tag_id']);
    if (!tag) return ghError(422, 'candidate_tag_id must be an existing tag', 'candidate_tag_id');
    if (data.appliedTags.some((a) => a.candidateId === candidate.id && a.tagId === tag.id))
      return ghError(422, 'the tag is already applied to the candidate', 'candidate_tag_id');
    const applied = {
      id: data.next.appliedTag++,
      candidateId: candidate.id,
      tagId: tag.id,
      createdAt: now(),
      updatedAt: now(),
    };
    data.appliedTags.push(applied);
    candidate.updatedAt = now();
    refreshCandidateTags(data, candidate);
    return { status: 201, body: { id: applied.id, candidate_id: candidate.id, candidate_tag_id: tag.id } };
  };

  const unapplyTag = (id: number): FakeResponse => {
    const applied = data.appliedTags.find((a) => a.id === id);
    if (!applied) return { status: 404, body: { message: 'Resource not found' } };
    data.appliedTags = data.appliedTags.filter((a) => a.id !== id);
    const candidate = state.candidateById.get(applied.candidateId);
    if (candidate) {
      candidate.updatedAt = now();
      refreshCandidateTags(data, candidate);
    }
    return { status: 204 };
  };

  return {
    data,
    /** The rejection reasons `GET /v3/rejection_reasons?include_defaults=true` lists. */
    reasons,
    resources,
    /** The answer to a record write, or null when the request is not one. */
    handle(request: FakeRequest, sub: number | null): FakeResponse | null {
      const { method, path } = request;
      const unapply = /^\/v3\/applied_candidate_tags\/(\d+)$/.exec(path);
      if (method === 'DELETE' && unapply) {
        return (
          submissions.guard('harvest:applied_candidate_tags:destroy', sub, true) ??
          unapplyTag(Number(unapply[1]))
        );
      }
      const routes: Record<
        string,
        [string, (b: Record<string, unknown>, sub: number | null) => FakeResponse]
      > = {
        '/v3/notes': ['harvest:notes:create', addNote],
        '/v3/candidate_tags': ['harvest:candidate_tags:create', addTag],
        '/v3/applied_candidate_tags': ['harvest:applied_candidate_tags:create', applyTag],
      };
      const route = method === 'POST' ? routes[path] : undefined;
      if (!route) return null;
      const refused = submissions.guard(route[0], sub, true);
      if (refused) return refused;
      const parsed = body(request);
      return parsed ? route[1](parsed, sub) : ghError(422, 'invalid JSON body');
    },
    /** Webhook bodies as Greenhouse sends them (offers flat, offer_deleted under `offer`). */
    events: {
      offer: (action: 'offer_created' | 'offer_updated' | 'offer_approved', offer: GhOffer) => ({
        action,
        payload: {
          id: offer.id,
          application_id: offer.applicationId,
          job_id: offer.jobId,
          user_id: 101,
          version: offer.version,
          sent_on: offer.sentAt === null ? null : iso(offer.sentAt)!.slice(0, 10),
          resolved_at: iso(offer.resolvedAt),
          start_date: offer.startDate
            ? `${offer.startDate.slice(5, 7)}/${offer.startDate.slice(8, 10)}/${offer.startDate.slice(0, 4)}`
            : null,
          notes: null,
          offer_status: offer.status,
          custom_fields: {},
        },
      }),
      offerDeleted: (offer: GhOffer) => ({
        action: 'offer_deleted',
        payload: {
          offer: {
            id: offer.id,
            application_id: offer.applicationId,
            offering_user_id: 101,
            offer_status: offer.status,
            version: offer.version,
            job_id: offer.jobId,
          },
        },
      }),
      interviewDeleted: (id: number) => ({ action: 'interview_deleted', payload: { interview: { id } } }),
      scorecardDeleted: (s: GhScorecard) => ({
        action: 'scorecard_deleted',
        payload: {
          scorecard: {
            id: s.id,
            candidate_id: state.applicationById.get(s.applicationId)?.candidateId ?? null,
            interviewed_at: iso(s.interviewedAt),
            created_at: iso(s.createdAt),
            updated_at: iso(s.updatedAt),
            scorecard_status: s.status,
          },
        },
      }),
    },
  };
}

export type GreenhouseRecordsFake = ReturnType<typeof createGreenhouseRecords>;

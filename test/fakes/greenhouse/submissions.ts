/**
 * The Greenhouse fake's Harvest v3 submission endpoints (docs/write-back-notes.md §1.4–§1.6, §7): candidate search
 * by email, `POST /v3/candidates` with a nested application, `POST /v3/applications`, `POST /v3/attachments`
 * (base64 `content` or `url`) and `GET /v3/attachments`. Created records join the fake's state, so the v3 lists
 * see them at once. No dedupe on create (none documented): a second create makes a second candidate.
 */
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import { v3Application, v3Candidate } from './serialize.js';
import type { GhApplication, GhCandidate, GhState } from './state.js';

/** An attachment held by the fake; v3 attachments belong to an application (v1 ones to the candidate). */
export interface GhV3Attachment {
  id: number;
  applicationId: number;
  candidateId: number;
  type: string;
  filename: string;
  content: Buffer;
  createdAt: number;
}

/** Who made a record and what it credits: the token's `sub` and the application's `source_id`. */
export interface GhCreation {
  byUserId: number | null;
  sourceId: number | null;
}

export interface GhSubmissionOptions {
  /** Scopes the client credentials lack (GH-SPEC `security.oauth2`); a call needing one answers 403. */
  missingScopes?: string[];
  /** Users whose writes are refused with 403 (the authorizing user lacks the permission). */
  readOnlyUserIds?: number[];
  /** The organisation's blocklisted file extensions (the real list is configurable and unpublished). */
  blockedExtensions?: string[];
}

interface Wiring extends GhSubmissionOptions {
  /** An attachment's expiring download URL (the server serves it). */
  attachmentUrl: (id: number) => string;
  /** Attachments seeded with the fake's data, listed with those created here. */
  seededAttachments?: () => readonly GhV3Attachment[];
}

export const GH_SOURCES = [
  { id: 31, name: 'Careers portal' },
  { id: 32, name: 'Referral' },
];

const ATTACHMENT_TYPES = [
  'resume',
  'cover_letter',
  'take_home_test',
  'offer_packet',
  'offer_letter',
  'signed_offer_letter',
  'other',
  'form_attachment',
  'midfunnel_agreement',
  'automated_agreement',
];
const CANDIDATE_FIELDS = new Set([
  'first_name',
  'last_name',
  'preferred_name',
  'company',
  'title',
  'time_zone',
  'can_email',
  'tags',
  'linked_user_ids',
  'custom_fields',
  'email_addresses',
  'phone_numbers',
  'addresses',
  'website_addresses',
  'social_media_addresses',
  'application',
]);
const APPLICATION_FIELDS = new Set([
  'job_id',
  'initial_stage_id',
  'source_id',
  'recruiter_id',
  'coordinator_id',
  'referrer_id',
  'created_at',
  'custom_fields',
]);

type Body = Record<string, unknown>;

/** Error body in v1's documented shape `{message, errors:[{message, field}]}`; the v3 shape is unverified (§1.6). */
export const ghError = (status: number, message: string, field?: string): FakeResponse => ({
  status,
  body: {
    message: status === 422 ? 'Validation error' : message,
    errors: [{ message, ...(field ? { field } : {}) }],
  },
});

/** (unverified wording) a token without the scope, or an acting user without the permission: 403. */
export const ghForbidden = (what: string): FakeResponse => ghError(403, `Forbidden: ${what}`);

function parseBody(request: FakeRequest): Body | null {
  try {
    const value: unknown = JSON.parse(request.body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : null;
  } catch {
    return null;
  }
}

const isId = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isName = (value: unknown) => typeof value === 'string' && value.trim() !== '' && value.length <= 255;

export function createGreenhouseSubmissions(state: GhState, now: () => number, options: Wiring) {
  const missingScopes = new Set(options.missingScopes ?? []);
  const readOnly = new Set(options.readOnlyUserIds ?? []);
  const blocked = new Set(
    (options.blockedExtensions ?? ['exe', 'bat', 'js', 'sh']).map((e) => e.toLowerCase()),
  );
  const attachments: GhV3Attachment[] = [];
  const created = new Map<string, GhCreation>();
  let nextCandidateId = Math.max(100000, ...state.candidates.map((c) => c.id)) + 1;
  let nextAttachmentId = 800000;

  const guard = (scope: string, sub: number | null, write: boolean): FakeResponse | null => {
    if (missingScopes.has(scope)) return ghForbidden(`the token lacks the ${scope} scope`);
    if (write && sub !== null && readOnly.has(sub)) return ghForbidden('the user cannot perform this action');
    return null;
  };

  /** The job an application is created on; it must exist and be open (unverified for closed jobs). */
  const jobError = (jobId: unknown, field: string): FakeResponse | null => {
    if (!isId(jobId)) return ghError(422, `${field} is required`, field);
    const job = state.jobById.get(jobId);
    if (!job) return ghError(422, `${field} ${jobId} not found`, field);
    if (job.status !== 'open') return ghError(422, `job ${jobId} is not open`, field);
    return null;
  };

  const sourceError = (sourceId: unknown, field: string): FakeResponse | null =>
    sourceId === undefined || sourceId === null || GH_SOURCES.some((s) => s.id === sourceId)
      ? null
      : ghError(422, `${field} not found`, field);

  const addCandidate = (person: Pick<GhCandidate, 'firstName' | 'lastName' | 'emails' | 'phones'>) => {
    const at = now();
    const candidate: GhCandidate = {
      id: nextCandidateId++,
      ...person,
      createdAt: at,
      updatedAt: at,
    };
    state.candidates.push(candidate);
    state.candidateById.set(candidate.id, candidate);
    return candidate;
  };

  const addApplication = (candidateId: number, jobId: number, body: Body, sub: number | null) => {
    const job = state.jobById.get(jobId)!;
    const at = now();
    const app: GhApplication = {
      id: state.nextApplicationId++,
      candidateId,
      jobId,
      stageId: job.stages[0]!.id,
      applicationStageId: state.nextApplicationStageId++,
      status: 'active',
      prospect: false,
      rejectedAt: null,
      rejectionReasonId: null,
      createdAt: at,
      updatedAt: at,
      lastActivityAt: at,
    };
    state.applications.push(app);
    state.applicationById.set(app.id, app);
    created.set(`application:${app.id}`, { byUserId: sub, sourceId: (body['source_id'] as number) ?? null });
    return app;
  };

  const createCandidate = (body: Body, sub: number | null): FakeResponse => {
    const unknown = Object.keys(body).find((k) => !CANDIDATE_FIELDS.has(k));
    if (unknown) return ghError(422, `${unknown} is not a permitted property`, unknown);
    if (!isName(body['first_name'])) return ghError(422, 'first_name is required', 'first_name');
    if (!isName(body['last_name'])) return ghError(422, 'last_name is required', 'last_name');
    const emails = (body['email_addresses'] ?? []) as { value?: unknown; type?: unknown }[];
    if (
      !Array.isArray(emails) ||
      emails.some((e) => typeof e?.value !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(e.value))
    ) {
      return ghError(422, 'email_addresses must hold valid addresses', 'email_addresses');
    }
    if (emails.some((e) => !['personal', 'work', 'other'].includes(e.type as string))) {
      return ghError(422, 'email_addresses type must be personal, work or other', 'email_addresses');
    }
    const application = body['application'] as Body | undefined;
    if (application !== undefined) {
      if (typeof application !== 'object' || application === null)
        return ghError(422, 'invalid application', 'application');
      const extra = Object.keys(application).find((k) => !APPLICATION_FIELDS.has(k));
      if (extra)
        return ghError(422, `application.${extra} is not a permitted property`, `application.${extra}`);
      const refused =
        jobError(application['job_id'], 'application.job_id') ??
        sourceError(application['source_id'], 'application.source_id');
      if (refused) return refused;
    }
    const phones = (body['phone_numbers'] ?? []) as { value?: unknown }[];
    const candidate = addCandidate({
      firstName: body['first_name'] as string,
      lastName: body['last_name'] as string,
      emails: emails.map((e) => e.value as string),
      phones: Array.isArray(phones) ? phones.map((p) => String(p?.value ?? '')) : [],
    });
    created.set(`candidate:${candidate.id}`, { byUserId: sub, sourceId: null });
    const app = application
      ? addApplication(candidate.id, application['job_id'] as number, application, sub)
      : null;
    return {
      status: 201,
      body: { candidate: v3Candidate(candidate), application: app ? v3Application(app, state) : null },
    };
  };

  const createApplication = (body: Body, sub: number | null): FakeResponse => {
    const candidateId = body['candidate_id'];
    if (!isId(candidateId)) return ghError(422, 'candidate_id is required', 'candidate_id');
    if (!state.candidateById.has(candidateId))
      return ghError(422, `candidate_id ${candidateId} not found`, 'candidate_id');
    const refused = jobError(body['job_id'], 'job_id') ?? sourceError(body['source_id'], 'source_id');
    if (refused) return refused;
    // A second application of the candidate to the same job: Greenhouse's answer is unverified (notes §8.3); allowed.
    return {
      status: 201,
      body: v3Application(addApplication(candidateId, body['job_id'] as number, body, sub), state),
    };
  };

  const renderAttachment = (a: GhV3Attachment) => ({
    id: a.id,
    application_id: a.applicationId,
    candidate_id: a.candidateId,
    type: a.type,
    filename: a.filename,
    url: options.attachmentUrl(a.id),
    created_at: new Date(a.createdAt).toISOString(),
    updated_at: new Date(a.createdAt).toISOString(),
  });

  const createAttachment = (body: Body, sub: number | null): FakeResponse => {
    const applicationId = body['application_id'];
    if (!isId(applicationId)) return ghError(422, 'application_id is required', 'application_id');
    const app = state.applicationById.get(applicationId);
    if (!app) return ghError(422, `application_id ${applicationId} not found`, 'application_id');
    const filename = body['filename'];
    const extension = typeof filename === 'string' ? /\.([A-Za-z0-9]+)$/.exec(filename)?.[1] : undefined;
    if (!extension) return ghError(422, 'filename must include an extension', 'filename');
    if (blocked.has(extension.toLowerCase()))
      return ghError(422, `.${extension} files are not allowed`, 'filename');
    if (!ATTACHMENT_TYPES.includes(body['type'] as string)) return ghError(422, 'type is not valid', 'type');
    const hasContent = body['content'] !== undefined;
    if (hasContent === (body['url'] !== undefined)) {
      return ghError(422, 'exactly one of content or url is required', 'content');
    }
    let content: Buffer;
    if (hasContent) {
      if (typeof body['content'] !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(body['content'])) {
        return ghError(422, 'content must be base64', 'content');
      }
      content = Buffer.from(body['content'], 'base64');
    } else {
      // The fake does not fetch; the bytes of a URL upload are unknown to it.
      content = Buffer.alloc(0);
    }
    const type = body['type'] as string;
    // "uploading a resume or cover_letter replaces any prior attachment of that type by reclassifying it as other"
    if (type === 'resume' || type === 'cover_letter') {
      for (const a of attachments) if (a.applicationId === app.id && a.type === type) a.type = 'other';
    }
    const attachment: GhV3Attachment = {
      id: nextAttachmentId++,
      applicationId: app.id,
      candidateId: app.candidateId,
      type,
      filename: filename as string,
      content,
      createdAt: now(),
    };
    attachments.push(attachment);
    created.set(`attachment:${attachment.id}`, { byUserId: sub, sourceId: null });
    return { status: 201, body: renderAttachment(attachment) };
  };

  const idFilter = (request: FakeRequest, name: string): Set<number> | null | FakeResponse => {
    const raw = request.query.get(name);
    if (raw === null) return null;
    const ids = raw.split(',');
    if (ids.length > 50) return ghError(422, `${name} takes at most 50 ids`, name);
    return new Set(ids.map(Number));
  };

  /** Unpaginated: a filtered attachment list of the fake stays far below one page. */
  const listAttachments = (request: FakeRequest): FakeResponse => {
    const applicationIds = idFilter(request, 'application_ids');
    const candidateIds = idFilter(request, 'candidate_ids');
    if (applicationIds && !(applicationIds instanceof Set)) return applicationIds;
    if (candidateIds && !(candidateIds instanceof Set)) return candidateIds;
    const type = request.query.get('type');
    const rows = [...(options.seededAttachments?.() ?? []), ...attachments].filter(
      (a) =>
        (!applicationIds || applicationIds.has(a.applicationId)) &&
        (!candidateIds || candidateIds.has(a.candidateId)) &&
        (type === null || a.type === type),
    );
    return { status: 200, body: rows.map(renderAttachment) };
  };

  /** "Matches against any of the candidate's email addresses, case-insensitively"; private ones included. */
  const searchCandidates = (email: string): FakeResponse => {
    const wanted = email.trim().toLowerCase();
    const rows = state.candidates.filter((c) => c.emails.some((e) => e.toLowerCase() === wanted));
    return { status: 200, body: rows.map(v3Candidate) };
  };

  return {
    attachments,
    created,
    guard,
    /** A candidate made in Greenhouse before any submission (the reuse case), without an application. */
    seedCandidate: (person: { firstName: string; lastName: string; email: string }) =>
      addCandidate({
        firstName: person.firstName,
        lastName: person.lastName,
        emails: [person.email],
        phones: [],
      }),
    /** The answer to a v3 submission request, or null when the path is not one (the server's lists take it). */
    handle(request: FakeRequest, sub: number | null): FakeResponse | null {
      const { method, path } = request;
      if (method === 'GET' && path === '/v3/candidates' && request.query.has('email')) {
        return (
          guard('harvest:candidates:list', sub, false) ?? searchCandidates(request.query.get('email') ?? '')
        );
      }
      if (method === 'GET' && path === '/v3/attachments') {
        return guard('harvest:attachments:list', sub, false) ?? listAttachments(request);
      }
      const creates: Record<string, [string, (body: Body, sub: number | null) => FakeResponse]> = {
        '/v3/candidates': ['harvest:candidates:create', createCandidate],
        '/v3/applications': ['harvest:applications:create', createApplication],
        '/v3/attachments': ['harvest:attachments:create', createAttachment],
      };
      const route = method === 'POST' ? creates[path] : undefined;
      if (!route) return null;
      const refused = guard(route[0], sub, true);
      if (refused) return refused;
      const body = parseBody(request);
      return body ? route[1](body, sub) : ghError(422, 'invalid JSON body');
    },
  };
}

export type GreenhouseSubmissions = ReturnType<typeof createGreenhouseSubmissions>;

/**
 * The Lever fake's write-back endpoints (docs/write-back-notes.md §2, §7 "Lever"): `POST /opportunities` with a
 * required `perform_as`, one posting per request and merge into an existing contact by email; the email /
 * posting_id / contact_id list filters; `POST|GET /opportunities/{id}/files` (multipart, 30 MB). Statuses and
 * error bodies Lever does not document are marked (unverified); `dedupe` is not a documented parameter, so the
 * fake ignores it and exposes the merge as the `mergeByEmail` switch instead.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import type { WriteBackFake, WriteBackStep } from '../fixture.js';
import type { LeverFake } from './server.js';
import type { LvOpportunity, LvState } from './state.js';

export interface LvUser {
  id: string;
  name: string;
  accessRole: 'super admin' | 'admin' | 'team member' | 'limited team member' | 'interviewer';
}

export interface LvFile {
  id: string;
  opportunityId: string;
  name: string;
  ext: string;
  size: number;
  content: Buffer;
  uploadedAt: number;
}

/** 30 MB per file (secondary, https://developers.getknit.dev/docs/lever-usecases). */
export const LEVER_FILE_LIMIT_BYTES = 30 * 1024 * 1024;
const PHONE_TYPES = new Set(['mobile', 'home', 'work', 'skype', 'other']);
const ORIGINS = new Set(['agency', 'applied', 'internal', 'referred', 'sourced', 'university']);

/**
 * Every role but Interviewer may add candidates (confirmed, https://help.lever.co/hc/en-us/articles/360042645691,
 * "Add candidates" row); interviewers may only refer them.
 */
export const LEVER_USERS: LvUser[] = [
  { id: '5f0c2a6e-1b2d-4c3e-9f40-7a1b2c3d4e01', name: 'Rita Recruiter', accessRole: 'super admin' },
  { id: '5f0c2a6e-1b2d-4c3e-9f40-7a1b2c3d4e02', name: 'Ivan Interviewer', accessRole: 'interviewer' },
];

/** (unverified) Lever's refusal of a perform_as user whose role may not add candidates: 403 with `{code, message}`. */
export const leverForbidden = (): FakeResponse => ({
  status: 403,
  body: {
    code: 'ForbiddenError',
    message: 'The perform_as user does not have permission to perform this action',
  },
});

const json = (status: number, body: unknown): FakeResponse => ({ status, body });
const bad = (message: string) => json(400, { code: 'BadRequestError', message });
const lower = (s: string) => s.trim().toLowerCase();
const isEmail = (v: unknown): v is string => typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

/** The create of a write-back step, as the hub sends it (application = a create naming its `contact`). */
export function matchCreateOf(step: WriteBackStep) {
  return (request: FakeRequest): boolean => {
    if (request.method !== 'POST') return false;
    if (step === 'attachment') return /^\/v1\/opportunities\/[^/]+\/files$/.test(request.path);
    if (request.path !== '/v1/opportunities') return false;
    const namesContact = /"contact"\s*:/.test(request.body);
    return step === 'application' ? namesContact : !namesContact;
  };
}

/** A new opportunity in the first stage, added to the fake's world; a new contact unless one is given. */
function addOpportunity(
  state: LvState,
  now: number,
  fields: Pick<LvOpportunity, 'name' | 'emails' | 'phones' | 'postingId'> & { contact: string | null },
): LvOpportunity {
  const opportunity: LvOpportunity = {
    ...fields,
    headline: '',
    tags: [],
    id: state.rng.uuid(),
    contact: fields.contact ?? state.rng.uuid(),
    applicationId: state.rng.uuid(),
    stageId: state.stages[0]!.id,
    archived: null,
    hiredRequisitionId: null,
    createdAt: now,
    updatedAt: now,
  };
  state.opportunities.push(opportunity);
  state.opportunityById.set(opportunity.id, opportunity);
  return opportunity;
}

interface RouteDeps {
  state: LvState;
  clock: ControllableClock;
  render: (o: LvOpportunity, expand: string[]) => unknown;
  paged: <T>(
    request: FakeRequest,
    resource: string,
    rows: readonly T[],
    render: (row: T) => unknown,
  ) => FakeResponse;
}

export function createLeverSubmissionRoutes({ state, clock, render, paged }: RouteDeps) {
  const users = new Map(LEVER_USERS.map((u) => [u.id, u]));
  const files: LvFile[] = [];
  const sources = new Map<string, string[]>();

  const actingUser = (request: FakeRequest): LvUser | FakeResponse => {
    const id = request.query.get('perform_as');
    // (unverified) status of a missing or unknown perform_as: 400.
    if (!id) return bad('Missing required query parameter: perform_as');
    const user = users.get(id);
    if (!user) return bad('perform_as must be the id of an active Lever user');
    return user.accessRole === 'interviewer' ? leverForbidden() : user;
  };

  const contactByEmail = (emails: string[]): string | null => {
    const wanted = new Set(emails.map(lower));
    const owner = state.opportunities.find((o) => o.emails.some((e) => wanted.has(lower(e))));
    return owner?.contact ?? null;
  };

  const createOpportunity = (request: FakeRequest): FakeResponse => {
    const user = actingUser(request);
    if ('status' in user) return user;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body || 'null');
    } catch {
      return bad('Request body must be JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return bad('Request body must be an object');
    const emails = body['emails'] ?? [];
    if (!Array.isArray(emails) || !emails.every(isEmail))
      return bad('emails must be a list of email addresses');
    const phones = body['phones'] ?? [];
    if (
      !Array.isArray(phones) ||
      !phones.every((p) => typeof p?.value === 'string' && (p.type === undefined || PHONE_TYPES.has(p.type)))
    )
      return bad('phones must be a list of {value, type}');
    const name = body['name'];
    if (typeof name !== 'string' && emails.length === 0)
      return bad('An opportunity needs a name or an email');
    const origin = body['origin'] ?? 'sourced';
    if (typeof origin !== 'string' || !ORIGINS.has(origin)) return bad('Invalid origin');
    const postings = body['postings'] ?? [];
    if (!Array.isArray(postings)) return bad('postings must be a list');
    // One posting per request (confirmed, help.lever.co 360036076752).
    if (postings.length > 1) return bad('Only one posting may be applied per request');
    const postingId = (postings[0] as string | undefined) ?? null;
    // (unverified) an unknown posting: 404.
    if (postingId !== null && !state.postings.some((p) => p.id === postingId))
      return json(404, { code: 'ResourceNotFound', message: 'Posting not found' });
    let contact: string | null = null;
    if (body['contact'] !== undefined) {
      contact = typeof body['contact'] === 'string' ? body['contact'] : null;
      if (!contact || !state.opportunities.some((o) => o.contact === contact))
        return bad('contact must be the id of an existing contact');
    } else if (routes.mergeByEmail) {
      contact = contactByEmail(emails);
    }
    const opportunity = addOpportunity(state, clock.nowMs(), {
      contact,
      name: typeof name === 'string' ? name : emails[0]!,
      emails,
      phones: phones.map((p: { value: string; type?: string }) => ({
        type: p.type ?? 'other',
        value: p.value,
      })),
      postingId,
    });
    const given = body['sources'];
    sources.set(opportunity.id, Array.isArray(given) ? given.map(String) : []);
    return json(201, { data: render(opportunity, ['applications']) });
  };

  const renderFile = (f: LvFile) => ({
    id: f.id,
    downloadUrl: `https://api.lever.co/v1/opportunities/${f.opportunityId}/files/${f.id}/download`,
    ext: f.ext,
    name: f.name,
    uploadedAt: f.uploadedAt,
    status: 'processed',
    size: f.size,
  });

  const uploadFile = async (o: LvOpportunity, request: FakeRequest): Promise<FakeResponse> => {
    const user = actingUser(request);
    if ('status' in user) return user;
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) return bad('File uploads must be multipart/form-data');
    // Checked on the raw body first, as a server refuses an oversize upload before parsing it.
    // (unverified) status beyond the cap: 413.
    if (request.rawBody.length > routes.fileLimitBytes + 64 * 1024)
      return json(413, { code: 'RequestEntityTooLarge', message: 'File exceeds the 30 MB limit' });
    const form = await new Response(request.rawBody, { headers: { 'content-type': type } }).formData();
    const file = form.get('file');
    // (unverified) the field name `file`.
    if (!(file instanceof File)) return bad('Missing file');
    if (file.size > routes.fileLimitBytes)
      return json(413, { code: 'RequestEntityTooLarge', message: 'File exceeds the 30 MB limit' });
    const stored: LvFile = {
      id: state.rng.uuid(),
      opportunityId: o.id,
      name: file.name,
      ext: file.name.includes('.') ? file.name.slice(file.name.lastIndexOf('.') + 1) : '',
      size: file.size,
      content: Buffer.from(await file.arrayBuffer()),
      uploadedAt: clock.nowMs(),
    };
    files.push(stored);
    return json(201, { data: renderFile(stored) });
  };

  const listFiltered = (request: FakeRequest): FakeResponse => {
    const emails = request.query.getAll('email').map(lower);
    const postingIds = request.query.getAll('posting_id');
    const contactIds = request.query.getAll('contact_id');
    const rows = state.opportunities.filter(
      (o) =>
        (emails.length === 0 || o.emails.some((e) => emails.includes(lower(e)))) &&
        (postingIds.length === 0 || (o.postingId !== null && postingIds.includes(o.postingId))) &&
        (contactIds.length === 0 || contactIds.includes(o.contact)),
    );
    const expand = request.query.getAll('expand');
    const key = `opportunities:${emails.join()}:${postingIds.join()}:${contactIds.join()}`;
    return paged(request, key, rows, (o) => render(o, expand));
  };

  const routes = {
    users,
    files,
    sources,
    /** Lever merges a create into the contact holding the same email (default on; confirmed for applicants). */
    mergeByEmail: true,
    /** Lever's per-file cap; tests lower it rather than upload 30 MB. */
    fileLimitBytes: LEVER_FILE_LIMIT_BYTES,
    /** The write-back routes; null for every other request. `path` is without the `/v1` prefix. */
    route(request: FakeRequest, path: string): FakeResponse | Promise<FakeResponse> | null {
      const { method, query } = request;
      if (method === 'POST' && path === '/opportunities') return createOpportunity(request);
      if (
        method === 'GET' &&
        path === '/opportunities' &&
        ['email', 'posting_id', 'contact_id'].some((k) => query.has(k))
      )
        return listFiltered(request);
      const filesPath = /^\/opportunities\/([^/]+)\/files$/.exec(path);
      if (!filesPath) return null;
      const o = state.opportunityById.get(decodeURIComponent(filesPath[1]!));
      if (!o) return json(404, { code: 'ResourceNotFound', message: 'Opportunity not found' });
      if (method === 'POST') return uploadFile(o, request);
      if (method === 'GET')
        return json(200, {
          data: files.filter((f) => f.opportunityId === o.id).map(renderFile),
          hasNext: false,
        });
      return null;
    },
  };
  return routes;
}

export type LeverSubmissionRoutes = ReturnType<typeof createLeverSubmissionRoutes>;

/** The Lever fake as the write-back contract suite drives it (WriteBackFake in ../fixture.ts). */
export function leverWriteBack(fake: LeverFake): WriteBackFake {
  const { state } = fake;
  const ofEmail = (email: string) =>
    state.opportunities.filter((o) => o.emails.some((e) => lower(e) === lower(email)));
  const filesOf = (email: string) => {
    const ids = new Set(ofEmail(email).map((o) => o.id));
    return fake.submissions.files.filter((f) => ids.has(f.opportunityId));
  };
  return {
    openJobRemoteIds: () => state.postings.filter((p) => p.state === 'published').map((p) => p.id),
    remoteCounts(email) {
      const opportunities = ofEmail(email);
      return {
        candidates: new Set(opportunities.map((o) => o.contact)).size,
        // A contact without a posting (a seeded lead) has no application yet.
        applications: opportunities.filter((o) => o.postingId !== null).length,
        attachments: filesOf(email).length,
      };
    },
    attachedFiles: (email) => filesOf(email).map((f) => ({ fileName: f.name, content: f.content })),
    stageOf(applicationRemoteId) {
      const o = state.opportunityById.get(applicationRemoteId);
      if (!o) throw new Error(`no opportunity ${applicationRemoteId}`);
      return o.stageId;
    },
    seedCandidate(person) {
      // A Lever contact exists through an opportunity: a general lead on no posting.
      return addOpportunity(state, fake.clock.nowMs(), {
        contact: null,
        name: `${person.firstName} ${person.lastName}`,
        emails: [person.email],
        phones: [],
        postingId: null,
      }).contact;
    },
    loseNextCreate: (step) => fake.failNext(1, { kind: 'lost' }, matchCreateOf(step)),
    denyNextCreate(step) {
      const { status, body } = leverForbidden();
      fake.failNext(1, { kind: 'status', status, body }, matchCreateOf(step));
    },
    writeBackSettings: { actingUserId: LEVER_USERS[0]!.id, sourceId: 'Careers portal' },
  };
}

/**
 * A faithful Greenhouse Harvest fake (docs/providers.md §9 "Greenhouse", docs/write-back-notes.md §7): v3 OAuth +
 * cursor pagination, the 10 s rate window, v3 write guards and submissions (./submissions.ts), v1/v2 answering
 * "removed", expiring attachment URLs and the webhook sender.
 * Independent of shared/providers on purpose: a bug shared by client and fake cannot hide.
 */
import { randomBytes } from 'node:crypto';
import type { FakeRequest, FakeResponse, FakeServerOptions } from '../common/fake-server.js';
import { createControllableClock, startFakeServer } from '../common/fake-server.js';
import { createApplicationEvents } from './events.js';
import { createV3Lists } from './lists.js';
import { createGreenhousePrivacy } from './privacy.js';
import { createRateWindow, type RateWindowOptions } from './rate-window.js';
import { createGreenhouseRecords } from './records.js';
import {
  type GhApplication,
  type GhCandidate,
  type GhState,
  generateGreenhouseState,
  REJECTION_REASONS,
} from './state.js';
import { createGreenhouseSubmissions, type GhSubmissionOptions, ghError } from './submissions.js';
import { deliverGreenhouseWebhook, type GhDelivery, type GhWebhookOptions } from './webhooks.js';

export interface GreenhouseFakeOptions extends FakeServerOptions {
  jobs?: number;
  candidates?: number;
  clientId?: string;
  clientSecret?: string;
  /** Greenhouse user ids accepted as `sub`. */
  userIds?: number[];
  tokenLifetimeSeconds?: number;
  /** (unverified) v3 cursor lifetime. */
  cursorTtlSeconds?: number;
  /** Default 50 per 10 s; `false` disables the limiter. */
  rateLimit?: RateWindowOptions | false;
  /** (unverified) v3 list order; id descending by default. */
  order?: 'id_desc' | 'id_asc';
  /** v3 default per_page when the first request gives none (unverified). */
  v3DefaultPerPage?: number;
  /**
   * What any /v1 or /v2 path answers since their removal on 30 August 2026. The real status and body are
   * unverified (docs/write-back-notes.md §1.1): 410 with a JSON message is a guess, hence configurable.
   */
  removedApi?: { status: number; message: string };
  /** Scopes, read-only users and blocked extensions of the submission endpoints. */
  submissions?: GhSubmissionOptions;
  /** Attachment URL lifetime (confirmed 7 days). */
  attachmentTtlSeconds?: number;
  webhooks?: GhWebhookOptions;
}

export interface GreenhouseWebhookRegistration {
  id: number;
  url: string;
  secret: string;
  enabled: boolean;
}

const DAY_MS = 86_400_000;

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers };
}

const errors = ghError;

function decodeBasic(header: string | undefined): { user: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function startGreenhouseFake(options: GreenhouseFakeOptions = {}) {
  const clock = options.clock ?? createControllableClock();
  const clientId = options.clientId ?? 'gh-client';
  const clientSecret = options.clientSecret ?? 'gh-client-secret';
  const userIds = new Set(options.userIds ?? [101, 102]);
  const tokenLifetimeMs = (options.tokenLifetimeSeconds ?? 3600) * 1000;
  const cursorTtlMs = (options.cursorTtlSeconds ?? 600) * 1000;
  const order = options.order ?? 'id_desc';
  const attachmentTtlMs = (options.attachmentTtlSeconds ?? 7 * 86_400) * 1000;
  const state: GhState = generateGreenhouseState({
    seed: options.seed ?? 1,
    jobs: options.jobs ?? 3,
    candidates: options.candidates ?? 25,
    now: clock.nowMs(),
  });
  const tokens = new Map<string, { expiresAt: number; sub: string | null }>();
  const submissions = createGreenhouseSubmissions(state, () => clock.nowMs(), {
    ...options.submissions,
    attachmentUrl: (id) => `${baseUrl()}/attachments/${id}?issued=${clock.nowMs()}`,
    seededAttachments: () => records.data.attachments,
  });
  const records = createGreenhouseRecords(state, options.seed ?? 1, () => clock.nowMs(), submissions);
  const privacy = createGreenhousePrivacy(state, () => clock.nowMs(), submissions.guard);
  const rate = createRateWindow(options.rateLimit ?? { limit: 50, windowSeconds: 10 }, () => clock.nowMs());
  const webhooks: GreenhouseWebhookRegistration[] = [];
  const deliveries: GhDelivery[] = [];
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  const baseUrl = () => server.url;

  // --- auth -------------------------------------------------------------------------------------------------

  const issueToken = (request: FakeRequest): FakeResponse => {
    const basic = decodeBasic(request.headers.authorization);
    if (!basic || basic.user !== clientId || basic.password !== clientSecret) {
      return json(401, { error: 'invalid_client' });
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials')
      return json(400, { error: 'unsupported_grant_type' });
    const sub = form.get('sub');
    if (sub !== null && !userIds.has(Number(sub))) return json(400, { error: 'invalid_request' });
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, { expiresAt: clock.nowMs() + tokenLifetimeMs, sub });
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: tokenLifetimeMs / 1000 });
  };

  /** The live token of a request, or null. */
  const bearer = (request: FakeRequest) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return null;
    const token = tokens.get(header.slice(7));
    return token !== undefined && clock.nowMs() < token.expiresAt ? token : null;
  };

  const listV3 = createV3Lists({
    state,
    clock,
    records: records.resources,
    cursorTtlMs,
    order,
    defaultPerPage: options.v3DefaultPerPage ?? 100,
    baseUrl,
  });

  // --- writes -----------------------------------------------------------------------------------------------

  const touch = (app: GhApplication) => {
    app.updatedAt = clock.nowMs();
    app.lastActivityAt = app.updatedAt;
  };

  const setStage = (app: GhApplication, stageId: number) => {
    app.stageId = stageId;
    app.applicationStageId = state.nextApplicationStageId++;
    touch(app);
  };

  const readJsonBody = (request: FakeRequest): Record<string, unknown> | null => {
    if (request.body.trim() === '') return {};
    try {
      const value = JSON.parse(request.body);
      return value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  };

  const v3Move = (id: number, request: FakeRequest): FakeResponse => {
    const app = state.applicationById.get(id);
    if (!app) return json(404, { message: 'Resource not found' });
    const body = readJsonBody(request);
    if (!body) return errors(422, 'invalid JSON body');
    const from = body['from_stage_id'];
    if (typeof from !== 'number') return errors(422, 'from_stage_id is required', 'from_stage_id');
    if (app.status !== 'active')
      return errors(422, `Application must be 'active', is currently '${app.status}'`);
    if (from !== app.stageId)
      return errors(422, 'from_stage_id is not the current stage of the application', 'from_stage_id');
    if (typeof body['to_job_id'] === 'number') {
      const job = state.jobById.get(body['to_job_id']);
      if (!job) return errors(422, 'to_job_id not found', 'to_job_id');
      app.jobId = job.id;
      setStage(app, job.stages[0]!.id);
      return { status: 204 };
    }
    const to = body['to_stage_id'];
    const job = state.jobById.get(app.jobId)!;
    if (typeof to !== 'number' || !job.stages.some((s) => s.id === to)) {
      return errors(422, 'to_stage_id must be a stage of the application job', 'to_stage_id');
    }
    setStage(app, to);
    return { status: 204 };
  };

  /** `POST /v3/applications/{id}/reject|hire` (docs/write-back-notes.md §1.4): 204, 422 on a guard. */
  const v3StatusWrite = (id: number, action: 'reject' | 'hire', request: FakeRequest): FakeResponse => {
    const app = state.applicationById.get(id);
    if (!app) return json(404, { message: 'Resource not found' });
    const body = readJsonBody(request);
    if (!body) return errors(422, 'invalid JSON body');
    if (app.status !== 'active')
      return errors(422, `Application must be 'active', is currently '${app.status}'`);
    if (action === 'reject') {
      // v3 requires the reason (v1 made it optional).
      const reason = body['rejection_reason_id'];
      if (typeof reason !== 'number')
        return errors(422, 'rejection_reason_id is required', 'rejection_reason_id');
      if (!REJECTION_REASONS.some((r) => r.id === reason)) {
        return errors(422, 'rejection_reason_id not found', 'rejection_reason_id');
      }
      app.status = 'rejected';
      app.rejectedAt = clock.nowMs();
      app.rejectionReasonId = reason;
    } else {
      // Every job of the fake has one opening, so `opening_id` is never required here.
      app.status = 'hired';
      app.stageId = null;
      app.applicationStageId = null;
    }
    touch(app);
    return { status: 204 };
  };

  // --- router -----------------------------------------------------------------------------------------------

  const handler = (request: FakeRequest): FakeResponse => {
    const { method, path } = request;
    if (method === 'POST' && path === '/token') return issueToken(request);
    if (method === 'GET' && path.startsWith('/attachments/')) {
      const issued = Number(request.query.get('issued'));
      if (!Number.isFinite(issued) || clock.nowMs() - issued > attachmentTtlMs) {
        return {
          status: 403,
          headers: { 'content-type': 'application/xml' },
          body: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
        };
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/pdf' },
        body: Buffer.from('%PDF-1.4 fake resume'),
      };
    }
    if (request.headers['x-forwarded-proto'] === 'http') return json(403, { message: 'HTTPS is required' });

    if (/^\/v[12]\//.test(path)) {
      const removed = options.removedApi ?? {
        status: 410,
        message: 'Harvest v1 and v2 have been removed; use v3',
      };
      return json(removed.status, { message: removed.message });
    }

    const v3 = /^\/v3\/([a-z_]+)(?:\/(\d+)(?:\/(move|reject|hire|anonymize))?)?$/.exec(path);
    if (v3) {
      const token = bearer(request);
      if (!token) return json(401, { message: 'Unauthorized' });
      const decision = rate.take();
      // A 429 carries Retry-After and X-RateLimit-Reset, never X-RateLimit-Limit/-Remaining.
      if (!decision.allowed) return json(429, { message: 'Rate limit exceeded' }, decision.headers);
      const sub = token.sub === null ? null : Number(token.sub);
      let response: FakeResponse;
      const submission =
        submissions.handle(request, sub) ?? records.handle(request, sub) ?? privacy.handle(request, sub);
      if (submission) response = submission;
      else if (method === 'GET' && !v3[2]) response = listV3(v3[1]!, request);
      else if (method === 'POST' && v3[1] === 'applications' && v3[3] === 'move')
        response = v3Move(Number(v3[2]), request);
      else if (method === 'POST' && v3[1] === 'applications' && (v3[3] === 'reject' || v3[3] === 'hire'))
        response =
          submissions.guard(`harvest:applications:${v3[3]}`, sub, true) ??
          v3StatusWrite(Number(v3[2]), v3[3], request);
      else response = json(404, { message: 'Not found' });
      return { ...response, headers: { ...(response.headers ?? {}), ...decision.headers } };
    }

    return json(404, { message: 'Not found' });
  };

  server = await startFakeServer(handler, options);
  const rng = state.rng;

  const application = (id: number): GhApplication => {
    const app = state.applicationById.get(id);
    if (!app) throw new Error(`no application ${id}`);
    return app;
  };
  const candidate = (id: number): GhCandidate => {
    const found = state.candidateById.get(id);
    if (!found) throw new Error(`no candidate ${id}`);
    return found;
  };
  const removeApplication = (id: number) => {
    state.applicationById.delete(id);
    state.applications = state.applications.filter((a) => a.id !== id);
  };

  const events = createApplicationEvents(state, application, () => clock.nowMs());

  return {
    url: server.url,
    authUrl: `${server.url}/token`,
    clock,
    state,
    ...server.controls,
    credentials: { clientId, clientSecret, userId: String([...userIds][0]) },
    submissions,
    /** Interviews, scorecards, offers, notes, tags and users, their writes and webhook bodies (./records.ts). */
    records,
    /** The anonymize endpoint and its calls (./privacy.ts). */
    privacy,
    /** Authorization of another client of the account: a token minted without a request. */
    bearerHeaders(sub: string | null = null): Record<string, string> {
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, { expiresAt: clock.nowMs() + tokenLifetimeMs, sub });
      return { authorization: `Bearer ${token}` };
    },
    get rateLimitRejections() {
      return rate.rejectedCount;
    },

    /** Moves an application as a recruiter would in the UI (bumps updated_at). */
    moveApplication(id: number, stageId: number) {
      setStage(application(id), stageId);
    },
    rejectApplication(id: number, reasonId = REJECTION_REASONS[0]!.id) {
      const app = application(id);
      app.status = 'rejected';
      app.rejectedAt = clock.nowMs();
      app.rejectionReasonId = reasonId;
      touch(app);
    },
    touchCandidate(id: number) {
      candidate(id).updatedAt = clock.nowMs();
    },
    touchApplication(id: number) {
      touch(application(id));
    },
    /** Hard delete: invisible to `updated_at` filters, visible only through the delete webhook. */
    deleteApplication(id: number) {
      const app = application(id);
      removeApplication(id);
      return events.deleteApplication(app);
    },
    deleteCandidate(id: number) {
      const c = candidate(id);
      const appIds = state.applications.filter((a) => a.candidateId === id).map((a) => a.id);
      for (const appId of appIds) removeApplication(appId);
      state.candidateById.delete(id);
      state.candidates = state.candidates.filter((x) => x.id !== id);
      return events.deleteCandidate(c, appIds);
    },
    /** Merge `loserId` into `winnerId`: applications move over, the loser disappears; no updated_at bump. */
    mergeCandidates(loserId: number, winnerId: number) {
      const loser = candidate(loserId);
      candidate(winnerId);
      for (const app of state.applications) if (app.candidateId === loserId) app.candidateId = winnerId;
      state.candidateById.delete(loserId);
      state.candidates = state.candidates.filter((x) => x.id !== loserId);
      return events.mergeCandidate(loser, winnerId);
    },
    events,
    webhooks,
    deliveries,
    /** Signs and posts one event as Greenhouse does; with `retry`, runs the retry schedule on the fake clock. */
    async sendWebhook(
      targetUrl: string,
      event: unknown,
      sendOptions: { secret: string; retry?: boolean; eventId?: string; headers?: Record<string, string> },
    ): Promise<GhDelivery> {
      const delivery = await deliverGreenhouseWebhook(targetUrl, event, sendOptions.secret, clock, rng, {
        ...(options.webhooks ?? {}),
        ...sendOptions,
      });
      deliveries.push(delivery);
      return delivery;
    },
    /** Creating (or updating) a webhook pings it; anything but 200 leaves it saved but disabled. */
    async createWebhook(url: string, secret: string): Promise<GreenhouseWebhookRegistration> {
      const registration = { id: 7000 + webhooks.length, url, secret, enabled: false };
      const delivery = await deliverGreenhouseWebhook(url, events.ping(registration.id), secret, clock, rng, {
        ...(options.webhooks ?? {}),
        retry: false,
      });
      deliveries.push(delivery);
      registration.enabled = delivery.delivered;
      webhooks.push(registration);
      return registration;
    },
  };
}

export type GreenhouseFake = Awaited<ReturnType<typeof startGreenhouseFake>>;
export const GREENHOUSE_DAY_MS = DAY_MS;

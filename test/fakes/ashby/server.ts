/**
 * A faithful Ashby fake (docs/providers.md §9 "Ashby"): RPC `POST /<object>.<method>` only, Basic API keys with
 * per-endpoint permissions, cursor pages with a capped limit, sync tokens on the last page only, the documented
 * pagination error codes on demand, 429 with and without `X-RateLimit-Scope: integration-partner`,
 * `application.changeStage` rules, webhook subscriptions and the signed sender. Independent of shared/providers.
 */
import type { FakeRequest, FakeResponse, FakeServerOptions } from '../common/fake-server.js';
import { createControllableClock, startFakeServer } from '../common/fake-server.js';
import { type AbApplication, type AbCandidate, type AbState, generateAshbyState } from './state.js';
import { ASHBY_SUBMISSION_PERMISSIONS, createAshbySubmissionRoutes } from './submissions.js';
import { type AbDelivery, deliverAshbyWebhook } from './webhooks.js';

export type AshbyPermission =
  | 'candidatesRead'
  | 'candidatesWrite'
  | 'jobsRead'
  | 'interviewsRead'
  | 'hiringProcessMetadataRead';
const ALL_PERMISSIONS: AshbyPermission[] = [
  'candidatesRead',
  'candidatesWrite',
  'jobsRead',
  'interviewsRead',
  'hiringProcessMetadataRead',
];

export interface AshbyFakeOptions extends FakeServerOptions {
  jobs?: number;
  candidates?: number;
  /** API key → permissions (default: `ashby-key` with every permission). */
  apiKeys?: Record<string, AshbyPermission[]>;
  /** (unverified) page-size cap; larger limits are silently capped. */
  maxPageSize?: number;
  /** (unverified) lifetimes; compress them with the clock. */
  cursorTtlSeconds?: number;
  syncTokenTtlSeconds?: number;
  /** Incremental passes deeper than this many pages fail with incremental_sync_too_large. */
  maxIncrementalPages?: number;
  /** Per-key window; numbers are (unverified). `false` disables it. */
  rateLimit?: { limit: number; windowSeconds: number } | false;
  /** (unverified) HTTP status of `{success:false}` answers (Ashby reports most errors in the body). */
  errorHttpStatus?: number;
  /** (unverified) fire applicationSubmit for applications created through the API. Off: Ashby says integration syncs do not fire it. */
  fireApplicationSubmitForApi?: boolean;
}

const ENDPOINT_PERMISSIONS: Record<string, AshbyPermission> = {
  'candidate.list': 'candidatesRead',
  'application.list': 'candidatesRead',
  'application.info': 'candidatesRead',
  'application.changeStage': 'candidatesWrite',
  'application.change_stage': 'candidatesWrite',
  'application.create': 'candidatesWrite',
  'job.list': 'jobsRead',
  'interviewStage.list': 'interviewsRead',
  'archiveReason.list': 'hiringProcessMetadataRead',
  ...ASHBY_SUBMISSION_PERMISSIONS,
};

const iso = (ms: number) => new Date(ms).toISOString();

export async function startAshbyFake(options: AshbyFakeOptions = {}) {
  const clock = options.clock ?? createControllableClock();
  const apiKeys = options.apiKeys ?? { 'ashby-key': ALL_PERMISSIONS };
  const maxPageSize = options.maxPageSize ?? 100;
  const cursorTtlMs = (options.cursorTtlSeconds ?? 3600) * 1000;
  const syncTokenTtlMs = (options.syncTokenTtlSeconds ?? 7 * 86_400) * 1000;
  const errorStatus = options.errorHttpStatus ?? 200;
  const state: AbState = generateAshbyState({
    seed: options.seed ?? 1,
    jobs: options.jobs ?? 3,
    candidates: options.candidates ?? 30,
    now: clock.nowMs(),
  });
  const cursors = new Map<
    string,
    {
      method: string;
      position: number;
      since: number | null;
      passStartedAt: number;
      page: number;
      issuedAt: number;
    }
  >();
  const syncTokens = new Map<string, { method: string; since: number; issuedAt: number; revoked: boolean }>();
  const windows = new Map<string, { start: number; used: number }>();
  const subscriptions: { url: string; action: string; secret: string }[] = [];
  const deliveries: AbDelivery[] = [];
  let partnerThrottle = 0;
  let maxIncrementalPages = options.maxIncrementalPages ?? Number.POSITIVE_INFINITY;

  const ok = (body: Record<string, unknown>): FakeResponse => ({
    status: 200,
    body: { success: true, ...body },
  });
  const fail = (code: string, message: string, status = errorStatus): FakeResponse => ({
    status,
    body: { success: false, errors: [code], errorInfo: { code, message } },
  });

  // --- renderers --------------------------------------------------------------------------------------------

  const stageById = (id: string) => state.stages.find((s) => s.id === id);
  const candidateById = (id: string) => state.candidates.find((c) => c.id === id);
  const renderStage = (s: (typeof state.stages)[number]) => ({ ...s });
  const renderCandidate = (c: AbCandidate) => ({
    id: c.id,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    name: c.name,
    primaryEmailAddress: { value: c.email, type: 'Personal', isPrimary: true },
    emailAddresses: [{ value: c.email, type: 'Personal', isPrimary: true }],
    primaryPhoneNumber: { value: c.phone, type: 'Mobile', isPrimary: true },
    phoneNumbers: [{ value: c.phone, type: 'Mobile', isPrimary: true }],
    applicationIds: state.applications.filter((a) => a.candidateId === c.id).map((a) => a.id),
  });
  const renderApplication = (a: AbApplication) => {
    const candidate = candidateById(a.candidateId);
    const job = state.jobs.find((j) => j.id === a.jobId);
    const stage = stageById(a.stageId);
    const reason = state.archiveReasons.find((r) => r.id === a.archiveReasonId);
    return {
      id: a.id,
      createdAt: iso(a.createdAt),
      updatedAt: iso(a.updatedAt),
      status: a.status,
      candidate: candidate
        ? {
            id: candidate.id,
            name: candidate.name,
            primaryEmailAddress: { value: candidate.email, type: 'Personal', isPrimary: true },
          }
        : null,
      job: job ? { id: job.id, title: job.title } : null,
      currentInterviewStage: stage ? renderStage(stage) : null,
      archiveReason: reason ? { id: reason.id, text: reason.text, reasonType: reason.reasonType } : null,
      customFields: [],
    };
  };
  const renderJob = (j: (typeof state.jobs)[number]) => ({
    id: j.id,
    title: j.title,
    status: j.status,
    employmentType: j.employmentType,
    confidential: false,
    defaultInterviewPlanId: j.interviewPlanId,
    interviewPlanIds: [j.interviewPlanId],
    departmentId: j.departmentId,
    locationId: j.location.id,
    location: { ...j.location, isArchived: false },
    createdAt: iso(j.createdAt),
    updatedAt: iso(j.updatedAt),
  });

  // --- lists ------------------------------------------------------------------------------------------------

  const collections: Record<
    string,
    { rows: () => readonly { updatedAt: number }[]; render: (row: never) => unknown; sync: boolean }
  > = {
    'candidate.list': {
      rows: () => state.candidates,
      render: renderCandidate as (row: never) => unknown,
      sync: true,
    },
    'application.list': {
      rows: () => state.applications,
      render: renderApplication as (row: never) => unknown,
      sync: true,
    },
    'job.list': { rows: () => state.jobs, render: renderJob as (row: never) => unknown, sync: true },
  };

  const list = (method: string, body: Record<string, unknown>): FakeResponse => {
    const spec = collections[method]!;
    const limitRaw = body['limit'];
    const limit = Math.min(
      typeof limitRaw === 'number' && limitRaw > 0 ? Math.floor(limitRaw) : maxPageSize,
      maxPageSize,
    );
    let position = 0;
    let since: number | null = null;
    let passStartedAt = clock.nowMs();
    let page = 0;
    if (typeof body['syncToken'] === 'string') {
      const token = syncTokens.get(body['syncToken']);
      if (!token || token.method !== method)
        return fail('sync_token_invalid', 'The sync token is not valid. Discard it and run a full sync.');
      if (token.revoked || clock.nowMs() - token.issuedAt > syncTokenTtlMs) {
        return fail('sync_token_expired', 'The sync token has expired. Discard it and run a full sync.');
      }
      since = token.since;
    }
    if (typeof body['cursor'] === 'string') {
      const cursor = cursors.get(body['cursor']);
      if (!cursor || cursor.method !== method)
        return fail('invalid_next_cursor', 'The cursor is not valid. Restart pagination.');
      if (clock.nowMs() - cursor.issuedAt > cursorTtlMs)
        return fail('next_cursor_expired', 'The cursor has expired. Restart pagination.');
      position = cursor.position;
      since = cursor.since ?? since;
      passStartedAt = cursor.passStartedAt;
      page = cursor.page;
    }
    if (since !== null && page >= maxIncrementalPages) {
      return fail(
        'incremental_sync_too_large',
        'Too many pages for an incremental sync. Discard the sync token and run a full sync.',
      );
    }
    const rows = spec.rows().filter((r) => since === null || r.updatedAt >= since);
    const slice = rows.slice(position, position + limit);
    const more = position + limit < rows.length;
    const response: Record<string, unknown> = {
      results: slice.map((r) => spec.render(r as never)),
      moreDataAvailable: more,
    };
    if (more) {
      const next = state.rng.alnum(24);
      cursors.set(next, {
        method,
        position: position + limit,
        since,
        passStartedAt,
        page: page + 1,
        issuedAt: clock.nowMs(),
      });
      response['nextCursor'] = next;
    } else if (spec.sync) {
      // The sync token appears on the last page only; it covers changes since this pass started.
      const token = state.rng.alnum(32);
      syncTokens.set(token, { method, since: passStartedAt, issuedAt: clock.nowMs(), revoked: false });
      response['syncToken'] = token;
    }
    return ok(response);
  };

  // --- writes -----------------------------------------------------------------------------------------------

  const webhookQueue: { action: string; data: unknown }[] = [];

  const changeStage = (body: Record<string, unknown>): FakeResponse => {
    const app = state.applications.find((a) => a.id === body['applicationId']);
    if (!app) return fail('application_not_found', 'Application not found');
    const stage = stageById(String(body['interviewStageId'] ?? ''));
    const job = state.jobs.find((j) => j.id === app.jobId)!;
    if (!stage || stage.interviewPlanId !== job.interviewPlanId)
      return fail('invalid_interview_stage', 'Interview stage is not in the application plan');
    const reasonId = body['archiveReasonId'];
    if (stage.type === 'Archived') {
      if (typeof reasonId !== 'string')
        return fail(
          'archive_reason_required',
          'archiveReasonId is required when moving to an Archived stage',
        );
      if (!state.archiveReasons.some((r) => r.id === reasonId))
        return fail('invalid_archive_reason', 'Unknown archive reason');
    }
    app.stageId = stage.id;
    app.status = stage.type === 'Archived' ? 'Archived' : stage.type === 'Hired' ? 'Hired' : 'Active';
    app.archiveReasonId = stage.type === 'Archived' ? (reasonId as string) : null;
    app.updatedAt = clock.nowMs();
    webhookQueue.push({ action: 'candidateStageChange', data: { application: renderApplication(app) } });
    return ok({ results: renderApplication(app) });
  };

  const createApplication = (candidateId: string, jobId: string, via: 'ui' | 'api'): AbApplication | null => {
    const job = state.jobs.find((j) => j.id === jobId);
    if (!job || !candidateById(candidateId)) return null;
    const first = state.stages.find(
      (s) => s.interviewPlanId === job.interviewPlanId && s.orderInInterviewPlan === 0,
    )!;
    const app: AbApplication = {
      id: state.rng.uuid(),
      candidateId,
      jobId,
      stageId: first.id,
      status: 'Active',
      archiveReasonId: null,
      createdAt: clock.nowMs(),
      updatedAt: clock.nowMs(),
    };
    state.applications.push(app);
    if (via === 'ui' || options.fireApplicationSubmitForApi) {
      webhookQueue.push({ action: 'applicationSubmit', data: { application: renderApplication(app) } });
    }
    return app;
  };

  const submissions = createAshbySubmissionRoutes({
    state,
    clock,
    ok,
    fail,
    renderCandidate,
    renderApplication,
    createApplication: (candidateId, jobId) => createApplication(candidateId, jobId, 'api'),
  });

  // --- router -----------------------------------------------------------------------------------------------

  const takeRate = (key: string): FakeResponse | null => {
    if (partnerThrottle > 0) {
      partnerThrottle -= 1;
      return {
        status: 429,
        headers: { 'x-ratelimit-scope': 'integration-partner' },
        body: {
          success: false,
          errorInfo: { code: 'rate_limit_exceeded', message: 'Partner rate limit exceeded' },
        },
      };
    }
    if (options.rateLimit === false || options.rateLimit === undefined) return null;
    const windowMs = options.rateLimit.windowSeconds * 1000;
    const start = Math.floor(clock.nowMs() / windowMs) * windowMs;
    const window = windows.get(key);
    const current = window && window.start === start ? window : { start, used: 0 };
    windows.set(key, current);
    if (current.used >= options.rateLimit.limit) {
      return {
        status: 429,
        headers: { 'retry-after': String(Math.max(1, Math.ceil((start + windowMs - clock.nowMs()) / 1000))) },
        body: { success: false, errorInfo: { code: 'rate_limit_exceeded', message: 'Rate limit exceeded' } },
      };
    }
    current.used += 1;
    return null;
  };

  const handler = (request: FakeRequest): FakeResponse => {
    const method = request.path.replace(/^\//, '');
    const stored = submissions.storageUpload(request);
    if (stored) return stored;
    if (request.method !== 'POST')
      return {
        status: 405,
        body: { success: false, errorInfo: { code: 'method_not_allowed', message: 'Use POST' } },
      };
    const header = request.headers.authorization;
    if (!header?.startsWith('Basic '))
      return {
        status: 401,
        body: { success: false, errorInfo: { code: 'unauthenticated', message: 'Missing API key' } },
      };
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const key = decoded.slice(0, Math.max(0, decoded.indexOf(':')));
    const permissions = apiKeys[key];
    if (!permissions)
      return {
        status: 403,
        body: { success: false, errorInfo: { code: 'invalid_api_key', message: 'Invalid API key' } },
      };
    const needed = ENDPOINT_PERMISSIONS[method];
    if (!needed)
      return {
        status: 404,
        body: { success: false, errorInfo: { code: 'endpoint_not_found', message: `No endpoint ${method}` } },
      };
    if (!permissions.includes(needed)) {
      return {
        status: 403,
        body: {
          success: false,
          errors: ['missing_endpoint_permission'],
          errorInfo: { code: 'missing_endpoint_permission', message: `Requires ${needed}` },
        },
      };
    }
    const limited = takeRate(key);
    if (limited) return limited;
    const written = submissions.route(method, request);
    if (written) return written;
    let body: Record<string, unknown>;
    try {
      const parsed = JSON.parse(request.body || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return fail('invalid_input', 'Body must be a JSON object');
      body = parsed;
    } catch {
      return fail('invalid_input', 'Body must be JSON');
    }
    if (collections[method]) return list(method, body);
    if (method === 'interviewStage.list') {
      return ok({
        results: state.stages.filter((s) => s.interviewPlanId === body['interviewPlanId']).map(renderStage),
        moreDataAvailable: false,
      });
    }
    if (method === 'archiveReason.list')
      return ok({ results: state.archiveReasons, moreDataAvailable: false });
    if (method === 'application.info') {
      const app = state.applications.find((a) => a.id === body['applicationId']);
      return app
        ? ok({ results: renderApplication(app) })
        : fail('application_not_found', 'Application not found');
    }
    if (method === 'application.changeStage' || method === 'application.change_stage')
      return changeStage(body);
    return fail('endpoint_not_found', `No endpoint ${method}`, 404);
  };

  const server = await startFakeServer(handler, options);

  const application = (id: string) => {
    const found = state.applications.find((a) => a.id === id);
    if (!found) throw new Error(`no application ${id}`);
    return found;
  };

  /** Delivers queued events (from writes and mutators) to matching subscriptions. */
  const flushWebhooks = async (deliveryOptions: { retry?: boolean } = {}) => {
    const pending = webhookQueue.splice(0);
    for (const event of pending) {
      for (const sub of subscriptions.filter((s) => s.action === event.action)) {
        deliveries.push(await deliverAshbyWebhook(sub.url, event, sub.secret, clock, deliveryOptions));
      }
    }
  };

  return {
    url: server.url,
    clock,
    state,
    ...server.controls,
    submissions,
    apiKey: Object.keys(apiKeys)[0]!,
    /** The next `count` requests get a partner-wide 429 with X-RateLimit-Scope: integration-partner. */
    throttlePartner(count: number) {
      partnerThrottle += count;
    },
    /** Every sync token issued so far now answers sync_token_expired. */
    expireSyncTokens() {
      for (const token of syncTokens.values()) token.revoked = true;
    },
    setMaxIncrementalPages(pages: number) {
      maxIncrementalPages = pages;
    },

    /** A recruiter moves the application in the UI; an Archived-type stage archives it with `archiveReasonId`. */
    changeStage(applicationId: string, stageId: string, archiveReasonId: string | null = null) {
      const app = application(applicationId);
      const type = stageById(stageId)?.type;
      app.stageId = stageId;
      app.status = type === 'Archived' ? 'Archived' : type === 'Hired' ? 'Hired' : 'Active';
      app.archiveReasonId = type === 'Archived' ? archiveReasonId : null;
      app.updatedAt = clock.nowMs();
      webhookQueue.push({ action: 'candidateStageChange', data: { application: renderApplication(app) } });
    },
    touchCandidate(id: string) {
      const c = candidateById(id);
      if (!c) throw new Error(`no candidate ${id}`);
      c.updatedAt = clock.nowMs();
    },
    /** A recruiter adds an application in the UI: applicationSubmit fires. */
    createApplicationInUi(candidateId: string, jobId: string) {
      return createApplication(candidateId, jobId, 'ui');
    },
    deleteCandidate(id: string) {
      state.candidates = state.candidates.filter((c) => c.id !== id);
      state.applications = state.applications.filter((a) => a.candidateId !== id);
      const event = { action: 'candidateDelete', data: { candidate: { id } } };
      webhookQueue.push(event);
      return event;
    },
    /** (unverified payload) merged candidate ids under data.mergedCandidateIds. */
    mergeCandidates(loserId: string, winnerId: string) {
      for (const app of state.applications) if (app.candidateId === loserId) app.candidateId = winnerId;
      state.candidates = state.candidates.filter((c) => c.id !== loserId);
      const winner = candidateById(winnerId);
      const event = {
        action: 'candidateMerge',
        data: {
          candidate: winner ? renderCandidate(winner) : { id: winnerId },
          mergedCandidateIds: [loserId],
        },
      };
      webhookQueue.push(event);
      return event;
    },
    events: {
      applicationUpdate: (id: string) => ({
        action: 'applicationUpdate',
        data: { application: renderApplication(application(id)) },
      }),
      stageChange: (id: string) => ({
        action: 'candidateStageChange',
        data: { application: renderApplication(application(id)) },
      }),
    },
    subscribeWebhook(url: string, action: string, secret: string) {
      subscriptions.push({ url, action, secret });
    },
    flushWebhooks,
    pendingWebhooks: () => [...webhookQueue],
    deliveries,
    /** Signs and posts one event as Ashby does; with `retry`, runs the attempt schedule on the fake clock. */
    async sendWebhook(
      targetUrl: string,
      event: { action: string; data: unknown },
      sendOptions: { secret: string | null; retry?: boolean },
    ) {
      const delivery = await deliverAshbyWebhook(targetUrl, event, sendOptions.secret, clock, {
        retry: sendOptions.retry,
      });
      deliveries.push(delivery);
      return delivery;
    },
  };
}

export type AshbyFake = Awaited<ReturnType<typeof startAshbyFake>>;

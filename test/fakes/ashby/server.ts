/**
 * A faithful Ashby fake (docs/providers.md §9 "Ashby"): RPC `POST /<object>.<method>` only, Basic API keys with
 * per-endpoint permissions, cursor pages with a capped limit, sync tokens on the last page only, the documented
 * pagination error codes on demand, 429 with and without `X-RateLimit-Scope: integration-partner`,
 * `application.changeStage` rules, webhook subscriptions and the signed sender. Independent of shared/providers.
 */
import type { FakeRequest, FakeResponse, FakeServerOptions } from '../common/fake-server.js';
import { createControllableClock, startFakeServer } from '../common/fake-server.js';
import { ALL_PERMISSIONS, type AshbyPermission, createAshbyGate } from './access.js';
import { type AbCollection, createListEngine } from './paging.js';
import { generateAshbyRecords } from './record-state.js';
import { createAshbyRecordRoutes, recordControls } from './records.js';
import { type AbApplication, type AbCandidate, type AbState, generateAshbyState } from './state.js';
import { createAshbySubmissionRoutes } from './submissions.js';
import { type AbDelivery, deliverAshbyWebhook } from './webhooks.js';

export type { AshbyPermission };

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
  const gate = createAshbyGate({ apiKeys, rateLimit: options.rateLimit, clock });
  const subscriptions: { url: string; action: string; secret: string }[] = [];
  const deliveries: AbDelivery[] = [];
  let maxIncrementalPages = options.maxIncrementalPages ?? Number.POSITIVE_INFINITY;
  const records = generateAshbyRecords(state, options.seed ?? 1, clock.nowMs());

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
  const renderCandidate = (c: AbCandidate) => {
    const p = records.profiles.get(c.id);
    return {
      id: c.id,
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
      name: c.name,
      primaryEmailAddress: { value: c.email, type: 'Personal', isPrimary: true },
      emailAddresses: [{ value: c.email, type: 'Personal', isPrimary: true }],
      primaryPhoneNumber: { value: c.phone, type: 'Mobile', isPrimary: true },
      phoneNumbers: [{ value: c.phone, type: 'Mobile', isPrimary: true }],
      applicationIds: state.applications.filter((a) => a.candidateId === c.id).map((a) => a.id),
      // Ashby omits `company` and `position` when the profile has none.
      ...(p?.company ? { company: p.company } : {}),
      ...(p?.position ? { position: p.position } : {}),
      tags: records.tags.filter((t) => p?.tagIds.includes(t.id)).map(recordRoutes.renderTag),
      resumeFileHandle: p?.resume ?? null,
      fileHandles: p?.files ?? [],
    };
  };
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

  const recordRoutes = createAshbyRecordRoutes({
    state,
    records,
    clock,
    ok,
    fail,
    renderCandidate: (id) => {
      const c = candidateById(id);
      return c ? renderCandidate(c) : { id };
    },
  });
  const engine = createListEngine({
    clock,
    rng: state.rng,
    maxPageSize,
    cursorTtlMs,
    syncTokenTtlMs,
    maxIncrementalPages: () => maxIncrementalPages,
    ok,
    fail,
  });
  const collections: Record<string, AbCollection> = {
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
    ...recordRoutes.collections,
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

  const handler = (request: FakeRequest): FakeResponse => {
    const method = request.path.replace(/^\//, '');
    const stored = submissions.storageUpload(request);
    if (stored) return stored;
    if (request.method !== 'POST')
      return {
        status: 405,
        body: { success: false, errorInfo: { code: 'method_not_allowed', message: 'Use POST' } },
      };
    const refused = gate.check(request, method);
    if (refused) return refused;
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
    const collection = collections[method];
    if (collection) return engine.list(method, collection, body);
    const recordAnswer = recordRoutes.route(method, body);
    if (recordAnswer) return recordAnswer;
    if (method === 'interviewStage.list') {
      return ok({
        results: state.stages.filter((s) => s.interviewPlanId === body['interviewPlanId']).map(renderStage),
        moreDataAvailable: false,
      });
    }
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
    throttlePartner: gate.throttlePartner,
    /** Every sync token issued so far now answers sync_token_expired. */
    expireSyncTokens: engine.expireSyncTokens,
    records,
    ...recordControls(records, clock, webhookQueue),
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

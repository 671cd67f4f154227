/**
 * A BambooHR fake (docs/providers.md §6 and the §9 checklist), over loopback HTTP:
 * - Basic auth (API key as user, any password) under `/api/gateway.php/{companyDomain}/v1`; 401 otherwise;
 *   JSON only with `Accept: application/json` (XML otherwise, as BambooHR does);
 * - `GET /applicant_tracking/applications` with `page`, `newSince` (UTC `YYYY-MM-DD HH:MM:SS`),
 *   `applicationStatus`, `jobId`, `sortBy`, `sortOrder` → `{paginationComplete, nextPageUrl, applications}`;
 *   `GET …/applications/{id}`, `POST …/applications/{id}/status`, `GET …/jobs`, `GET …/statuses`;
 * - `GET /employees/changed?since=&type=inserted|updated|deleted` → `{latest, employees: {id: {...}}}`;
 * - throttling as `503` with `Retry-After` (numbers configurable: none are published);
 * - webhooks signed with lowercase hex HMAC-SHA256 of the raw body followed by the timestamp (webhooks.ts).
 * Facts marked (unverified) in docs/providers.md are switchable options here.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeServerControls, FakeServerOptions } from '../common/fake-server.js';
import { createControllableClock, startFakeServer } from '../common/fake-server.js';
import { createFixedWindowThrottle, type ThrottleConfig } from '../common/fixed-window-throttle.js';
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import { createSeededRng } from '../common/seeded-rng.js';
import {
  type BamboohrState,
  createBamboohrState,
  DEFAULT_STATUSES,
  type FakeApplication,
  type FakeStatus,
  type StatusGroup,
} from './state.js';
import { type BamboohrSubmissionOptions, createBamboohrSubmissions, matchesSearch } from './submissions.js';
import { type BamboohrWebhookDelivery, sendBamboohrWebhook } from './webhooks.js';

export interface BamboohrFakeOptions extends FakeServerOptions {
  /** Applications generated (10,000 is cheap). Default 30. */
  applications?: number;
  jobs?: number;
  employees?: number;
  companyDomain?: string;
  apiKeys?: string[];
  start?: Date | number;
  /** (unverified) Applications per page; BambooHR publishes none. Default 100. */
  pageSize?: number;
  /** Throttle window; refusals are 503 with Retry-After. */
  throttle?: ThrottleConfig | null;
  /** (unverified) Whether `newSince` also matches applications whose status changed since. Default false. */
  newSinceIncludesStatusChanges?: boolean;
  /** (unverified) `applicationStatus` applied when the request has none. Default `ALL_ACTIVE`. */
  defaultApplicationStatus?: string;
  statuses?: FakeStatus[];
  /** Webhook private key; derived from the seed when absent. */
  webhookPrivateKey?: string;
  submissions?: BamboohrSubmissionOptions;
}

export interface BamboohrFake extends FakeServerControls {
  /** Origin (`http://127.0.0.1:port`). */
  url: string;
  /** `{url}/api/gateway.php/{companyDomain}/v1`. */
  apiBase: string;
  companyDomain: string;
  apiKey: string;
  webhookPrivateKey: string;
  clock: ControllableClock;
  state: BamboohrState;
  submissions: ReturnType<typeof createBamboohrSubmissions>;
  webhookDeliveries: BamboohrWebhookDelivery[];
  setThrottle(config: ThrottleConfig | null): void;
  throttledCount(): number;
  /** Signs and POSTs `payload` to `targetUrl` exactly as BambooHR does (body + timestamp, lowercase hex). */
  sendWebhook(
    targetUrl: string,
    payload: unknown,
    options?: { timestamp?: number; privateKey?: string },
  ): Promise<BamboohrWebhookDelivery>;
}

const xmlBuilder = new XMLBuilder({ ignoreAttributes: false, format: false });

/** ISO 8601 with an explicit `+00:00` offset. */
function bambooIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** `newSince`: `YYYY-MM-DD HH:MM:SS` (UTC) or ISO 8601. */
function parseNewSince(value: string): number | null {
  const text = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? Date.parse(`${text.replace(' ', 'T')}Z`)
    : Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

function error(status: number, message: string): FakeResponse {
  return { status, headers: { 'x-bamboohr-error-message': message }, body: '' };
}

export async function startBamboohrFake(options: BamboohrFakeOptions = {}): Promise<BamboohrFake> {
  const companyDomain = options.companyDomain ?? 'acme';
  const apiKeys = new Set(options.apiKeys ?? ['fake-api-key']);
  const apiKey = [...apiKeys][0] ?? 'fake-api-key';
  const clock = options.clock ?? createControllableClock(options.start);
  const statuses = options.statuses ?? DEFAULT_STATUSES;
  const state = createBamboohrState(
    {
      seed: options.seed ?? 1,
      applications: options.applications ?? 30,
      jobs: options.jobs ?? 4,
      employees: options.employees ?? 10,
      statuses,
    },
    clock,
  );
  const webhookPrivateKey =
    options.webhookPrivateKey ?? createSeededRng((options.seed ?? 1) ^ 0x5eed).hex(64);
  const pageSize = options.pageSize ?? 100;
  const throttle = createFixedWindowThrottle(options.throttle ?? null, () => clock.nowMs());
  const defaultApplicationStatus = options.defaultApplicationStatus ?? 'ALL_ACTIVE';
  const webhookDeliveries: BamboohrWebhookDelivery[] = [];
  const submissions = createBamboohrSubmissions(state, options.submissions);
  const base = `/api/gateway.php/${companyDomain}/v1`;
  let origin = '';

  const statusGroup = (id: number): StatusGroup | undefined => statuses.find((s) => s.id === id)?.group;

  function statusJson(status: FakeStatus) {
    return {
      id: status.id,
      code: status.code,
      name: status.name,
      description: null,
      enabled: status.enabled,
      manageable: status.group === 'active',
      translatedName: status.name,
    };
  }

  function jobTitle(jobId: number) {
    return { id: null, label: state.jobs.find((j) => j.id === jobId)?.title ?? null };
  }

  function applicationJson(application: FakeApplication) {
    const status = state.status(application.statusId);
    return {
      id: application.id,
      appliedDate: bambooIso(application.appliedMs),
      status: { id: application.statusId, label: status?.name ?? null },
      rating: null,
      applicant: {
        id: application.applicant.id,
        firstName: application.applicant.firstName,
        lastName: application.applicant.lastName,
        avatar: null,
        email: application.applicant.email,
        // the list reports the source but no phone (official SDK, ApplicationsListApplicationsInnerApplicant)
        source: null,
      },
      job: { id: application.jobId, title: jobTitle(application.jobId) },
    };
  }

  function applicationDetailJson(application: FakeApplication) {
    const list = applicationJson(application);
    return {
      ...list,
      status: { ...list.status, dateChanged: bambooIso(application.statusChangedMs), changedByUser: null },
      // the single read adds `phone` and the address (official SDK, ApplicationDetailsApplicant)
      applicant: { ...list.applicant, phone: application.applicant.phoneNumber, address: null },
      lastUpdated: bambooIso(Math.max(application.appliedMs, application.statusChangedMs)),
    };
  }

  function matchesStatusFilter(application: FakeApplication, filter: string): boolean {
    const group = statusGroup(application.statusId);
    switch (filter.toUpperCase()) {
      case 'ALL':
        return true;
      case 'ALL_ACTIVE':
        return group === 'new' || group === 'active';
      case 'NEW':
        return group === 'new';
      case 'ACTIVE':
        return group === 'active';
      case 'INACTIVE':
        return group === 'inactive';
      case 'HIRED':
        return group === 'hired';
      default:
        return false;
    }
  }

  function listApplications(request: FakeRequest): FakeResponse {
    const query = request.query;
    const pageText = query.get('page') ?? '1';
    if (!/^\d+$/.test(pageText) || Number(pageText) < 1) return error(400, 'Invalid page');
    const page = Number(pageText);
    const newSinceText = query.get('newSince');
    const newSince = newSinceText === null ? null : parseNewSince(newSinceText);
    if (newSinceText !== null && newSince === null) return error(400, 'Invalid newSince');
    const statusFilter = query.get('applicationStatus') ?? defaultApplicationStatus;
    const jobId = query.get('jobId');
    const statusId = query.get('applicationStatusId');
    const search = query.get('searchString');
    let items = state.applications.filter((application) => {
      if (application.deleted) return false;
      if (!matchesStatusFilter(application, statusFilter)) return false;
      if (jobId !== null && String(application.jobId) !== jobId) return false;
      if (statusId !== null && String(application.statusId) !== statusId) return false;
      if (search !== null && !matchesSearch(application.applicant, search)) return false;
      if (newSince !== null) {
        const created = application.appliedMs > newSince;
        const changed =
          options.newSinceIncludesStatusChanges === true && application.statusChangedMs > newSince;
        if (!created && !changed) return false;
      }
      return true;
    });
    const sortBy = query.get('sortBy');
    const descending = (query.get('sortOrder') ?? (sortBy ? 'ASC' : 'DESC')).toUpperCase() === 'DESC';
    const key = (a: FakeApplication): number | string =>
      sortBy === 'first_name'
        ? a.applicant.firstName
        : sortBy === 'last_name'
          ? a.applicant.lastName
          : sortBy === 'status'
            ? a.statusId
            : sortBy === 'last_updated'
              ? Math.max(a.appliedMs, a.statusChangedMs)
              : a.appliedMs;
    items = [...items].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const order = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
      return descending ? -order : order;
    });
    const slice = items.slice((page - 1) * pageSize, page * pageSize);
    const complete = page * pageSize >= items.length;
    let nextPageUrl: string | null = null;
    if (!complete) {
      const next = new URL(`${origin}${request.path}`);
      for (const [name, value] of query) if (name !== 'page') next.searchParams.append(name, value);
      next.searchParams.set('page', String(page + 1));
      nextPageUrl = next.toString();
    }
    return {
      status: 200,
      body: { paginationComplete: complete, nextPageUrl, applications: slice.map(applicationJson) },
    };
  }

  function changeStatus(request: FakeRequest, application: FakeApplication): FakeResponse {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return error(400, 'Body is not JSON');
    }
    // (unverified) `{"status": <id>}`.
    const raw =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['status'] : undefined;
    const statusId =
      typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : null;
    const status = statusId === null ? undefined : state.status(statusId);
    if (!status?.enabled) return error(400, 'Invalid status');
    state.setStatus(application.id, status.id);
    return { status: 200, body: { id: application.id, status: { id: status.id, label: status.name } } };
  }

  function changedEmployees(request: FakeRequest): FakeResponse {
    const sinceText = request.query.get('since');
    const since = sinceText ? Date.parse(sinceText) : Number.NaN;
    if (Number.isNaN(since)) return error(400, 'since is required (ISO 8601)');
    const type = request.query.get('type')?.toLowerCase();
    if (type !== undefined && !['inserted', 'updated', 'deleted'].includes(type))
      return error(400, 'Invalid type');
    const employees: Record<string, { id: string; action: string; lastChanged: string }> = {};
    for (const employee of state.employees) {
      if (employee.lastChangedMs <= since) continue;
      if (type !== undefined && employee.action.toLowerCase() !== type) continue;
      employees[String(employee.id)] = {
        id: String(employee.id),
        action: employee.action,
        lastChanged: bambooIso(employee.lastChangedMs),
      };
    }
    return { status: 200, body: { latest: bambooIso(clock.nowMs()), employees } };
  }

  function jobsList(request: FakeRequest): FakeResponse {
    // (unverified) `statusGroups`: ALL, DRAFT_AND_OPEN or one status; by default everything but deleted jobs.
    const group = request.query.get('statusGroups');
    const jobs = state.jobs.filter((job) => {
      if (group === null) return job.status !== 'Deleted';
      if (group.toUpperCase() === 'ALL') return true;
      if (group.toUpperCase() === 'DRAFT_AND_OPEN') return job.status === 'Draft' || job.status === 'Open';
      return job.status.toLowerCase() === group.toLowerCase();
    });
    const counts = (jobId: number) => state.liveApplications().filter((a) => a.jobId === jobId);
    return {
      status: 200,
      body: jobs.map((job) => ({
        id: job.id,
        title: { id: null, label: job.title },
        postedDate: bambooIso(job.postedMs),
        location: { id: null, label: job.location },
        department: { id: null, label: job.department },
        status: { id: null, label: job.status },
        hiringLead: null,
        newApplicantsCount: counts(job.id).filter((a) => statusGroup(a.statusId) === 'new').length,
        activeApplicantsCount: counts(job.id).filter((a) => statusGroup(a.statusId) === 'active').length,
        totalApplicantsCount: counts(job.id).length,
        postingUrl: `https://${companyDomain}.bamboohr.com/careers/${job.id}`,
      })),
    };
  }

  function route(request: FakeRequest): FakeResponse {
    const path = request.path.slice(base.length);
    if (request.method === 'GET' && path === '/applicant_tracking/applications')
      return listApplications(request);
    if (request.method === 'GET' && path === '/applicant_tracking/jobs') return jobsList(request);
    if (request.method === 'GET' && path === '/applicant_tracking/statuses') {
      return { status: 200, body: statuses.map(statusJson) };
    }
    if (request.method === 'GET' && path === '/employees/changed') return changedEmployees(request);
    const one = /^\/applicant_tracking\/applications\/(\d+)(\/status)?$/.exec(path);
    if (one) {
      const application = state.application(Number(one[1]));
      if (!application) return error(404, 'Application not found');
      if (!one[2] && request.method === 'GET')
        return { status: 200, body: applicationDetailJson(application) };
      if (one[2] && request.method === 'POST') return changeStatus(request, application);
      return error(405, 'Method not allowed');
    }
    return error(404, 'Not found');
  }

  async function handle(request: FakeRequest): Promise<FakeResponse> {
    if (!request.path.startsWith(`${base}/`)) return error(404, 'Unknown company domain');
    const decision = throttle.take();
    if (!decision.allowed) {
      return {
        status: 503,
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
        body: 'Service Unavailable',
      };
    }
    const header = request.headers['authorization'];
    const credentials =
      typeof header === 'string' && header.startsWith('Basic ')
        ? Buffer.from(header.slice(6), 'base64').toString('utf8')
        : '';
    const key = credentials.includes(':') ? credentials.slice(0, credentials.indexOf(':')) : '';
    if (!apiKeys.has(key)) return error(401, 'Invalid API key');
    const response = await submissions.route(request, request.path.slice(base.length), () => route(request));
    const accept = request.headers['accept'] ?? '';
    if (response.status === 200 && typeof response.body === 'object' && !String(accept).includes('json')) {
      // BambooHR answers XML unless JSON is asked for.
      const xml = `<?xml version="1.0"?>${xmlBuilder.build({ response: response.body })}`;
      return { status: 200, headers: { 'content-type': 'application/xml' }, body: xml };
    }
    return response;
  }

  const server = await startFakeServer(handle, options);
  origin = server.url;
  return {
    url: server.url,
    apiBase: `${server.url}${base}`,
    companyDomain,
    apiKey,
    webhookPrivateKey,
    clock,
    state,
    ...server.controls,
    submissions,
    webhookDeliveries,
    setThrottle: (config) => throttle.configure(config),
    throttledCount: () => throttle.refusedCount,
    async sendWebhook(targetUrl, payload, sendOptions = {}) {
      const delivery = await sendBamboohrWebhook(targetUrl, payload, {
        privateKey: sendOptions.privateKey ?? webhookPrivateKey,
        timestamp: sendOptions.timestamp ?? Math.floor(clock.nowMs() / 1000),
      });
      webhookDeliveries.push(delivery);
      return delivery;
    },
  };
}

/**
 * BambooHR applicant-tracking client (docs/providers.md §6).
 *
 * Base `https://api.bamboohr.com/api/gateway.php/{companyDomain}/v1`, Basic auth with the API key as user and
 * `x` as password, `Accept: application/json` (BambooHR answers XML otherwise).
 *
 * How `listPage` maps the hub's objects onto BambooHR:
 * - `job` → `GET /applicant_tracking/jobs` (one unpaginated list); stages are the account's statuses;
 *   jobs listed with a deleted status are reported in `deletedRemoteIds`.
 * - `application` → `GET /applicant_tracking/applications` with `page` (from 1) until `paginationComplete`,
 *   oldest first; incremental passes add `newSince` (UTC `YYYY-MM-DD HH:MM:SS`), the previous pass start minus
 *   `lookbackSeconds`. Whether `newSince` also returns status changes is not documented (unverified), so status
 *   changes of older applications reach the hub through periodic full passes.
 * - `candidate` → the same pages, emitting the embedded `applicant` objects (BambooHR has no candidate list).
 *
 * Writes: `POST /applicant_tracking/applications/{id}/status` with a status id (ids from
 * `GET /applicant_tracking/statuses`; mapping unverified and configurable). BambooHR documents no guard, so a
 * move or hire first reads the application and refuses when its status is not the one the hub expects.
 *
 * Throttling is `503` with `Retry-After` (secondary) → ProviderError `rate_limited`. No sleeping, no retries.
 */
import * as z from 'zod';
import {
  decodePageToken,
  encodePageToken,
  isoInstant,
  type ListPage,
  type ListPageRequest,
  numericId,
  objectNotOffered,
  type ProviderCapabilities,
  type ProviderClient,
  type ProviderContext,
  ProviderError,
  parseEach,
  parseJsonBody,
  parseOrFail,
  type RejectWrite,
  type StageWrite,
  type SyncObjectType,
  type WriteResult,
} from '../common/client-kit.js';
import { bamboohrCapabilities } from './capabilities.js';
import { BamboohrHttp, formatNewSince, queryString } from './http.js';
import {
  applicationSchema,
  applicationsPageSchema,
  type BambooApplication,
  changedEmployeesSchema,
  jobSchema,
  jobsResponseSchema,
  statusesResponseSchema,
} from './schemas.js';
import { type BamboohrSettings, parseBamboohrConfig } from './settings.js';
import { StatusCatalog } from './statuses.js';
import { BamboohrSubmissions } from './submissions.js';
import { toApplication } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { jobStatusLabel, toJob } from './to-job.js';

export { formatNewSince, resolveApiBase } from './http.js';

const pageTokenSchema = z.object({
  v: z.literal(1),
  object: z.enum(['candidate', 'application']),
  page: z.number().int().min(1),
  newSince: z.string().nullable(),
  passStartedAt: isoInstant,
});
type PassState = z.output<typeof pageTokenSchema>;

const cursorSchema = z.object({ passStartedAt: isoInstant, employeesSince: z.string().optional() });

export class BamboohrClient implements ProviderClient {
  readonly provider = 'bamboohr' as const;
  readonly capabilities: ProviderCapabilities;
  private readonly settings: BamboohrSettings;
  private readonly http: BamboohrHttp;
  private catalog: Promise<StatusCatalog> | null = null;
  /** Portal submissions: one multipart create per submission (submissions.ts). */
  readonly submissions: BamboohrSubmissions;

  constructor(private readonly context: ProviderContext) {
    const config = parseBamboohrConfig(context);
    this.settings = config.settings;
    this.http = new BamboohrHttp(context, config.settings, config.credentials);
    this.submissions = new BamboohrSubmissions(this.http, config.settings);
    // The employee delete feed counts as a delete feed only where the integration opted into it.
    this.capabilities = {
      ...bamboohrCapabilities,
      deletedRecords: this.settings.employeeDeletesAsCandidateDeletes,
    };
  }

  async listPage<T extends SyncObjectType>(objectType: T, request: ListPageRequest): Promise<ListPage<T>> {
    if (objectType === 'job') return (await this.jobsPass()) as ListPage<T>;
    // BambooHR's API lists none of the record objects (docs/ats-record.md, "BambooHR")
    if (objectType !== 'candidate' && objectType !== 'application') objectNotOffered('bamboohr', objectType);
    const pass = request.pageToken
      ? this.resumePass(objectType, request.pageToken)
      : this.startPass(objectType as 'candidate' | 'application', request);
    const query = queryString({
      page: String(pass.page),
      applicationStatus: this.settings.applicationStatusFilter,
      // (unverified) Oldest first, so applications created during a pass append to its end.
      sortBy: 'created_date',
      sortOrder: 'ASC',
      ...(pass.newSince ? { newSince: pass.newSince } : {}),
    });
    const body = parseOrFail(
      applicationsPageSchema,
      await this.http.getJson(`/applicant_tracking/applications?${query}`, 'list applications'),
      'applications page',
      'permanent',
    );
    const applications = parseEach(body.applications, applicationSchema, 'list applications');
    // `paginationComplete` / `nextPageUrl` are (unverified): without the flag, a page without a next link or
    // without items ends the pass, so an endpoint that ignores `page` cannot loop forever.
    const lastPage =
      body.paginationComplete === true ||
      (body.paginationComplete == null && (!body.nextPageUrl || applications.length === 0));
    let deletedRemoteIds: string[] = [];
    let employeesSince: string | undefined;
    if (
      lastPage &&
      request.mode === 'incremental' &&
      objectType === 'candidate' &&
      this.settings.employeeDeletesAsCandidateDeletes &&
      request.cursor
    ) {
      const cursor = cursorSchema.safeParse(request.cursor);
      const since = cursor.success ? (cursor.data.employeesSince ?? cursor.data.passStartedAt) : null;
      if (since) {
        const deleted = await this.deletedEmployeeIds(since);
        deletedRemoteIds = deleted.ids;
        employeesSince = deleted.latest ?? undefined;
      }
    }
    const records =
      objectType === 'application'
        ? await this.applicationsToCanonical(applications)
        : this.applicantsOf(applications).map(toCandidate);
    return {
      records,
      raw: body.applications,
      deletedRemoteIds,
      nextPageToken: lastPage ? null : encodePageToken<PassState>({ ...pass, page: pass.page + 1 }),
      nextCursor: lastPage
        ? { passStartedAt: pass.passStartedAt, ...(employeesSince ? { employeesSince } : {}) }
        : null,
    } as ListPage<T>;
  }

  async moveStage(write: StageWrite): Promise<WriteResult> {
    const guard = await this.guard(write.applicationRemoteId, write.fromStageRemoteId);
    if (guard) return guard;
    return this.writeStatus(write.applicationRemoteId, write.toStageRemoteId);
  }

  async reject(write: RejectWrite): Promise<WriteResult> {
    const kind = write.withdrawn ? 'withdrawn' : 'rejected';
    const statusId = await this.mappedStatusId(kind);
    if (!statusId) {
      return {
        ok: false,
        kind: 'unsupported',
        message: `bamboohr has no status for ${kind}; set settings.statusIds.${kind}`,
      };
    }
    // BambooHR's status change takes no reason; the reason stays in the hub (the note could go to …/comments).
    return this.writeStatus(write.applicationRemoteId, statusId);
  }

  async hire(write: { applicationRemoteId: string; fromStageRemoteId: string | null }): Promise<WriteResult> {
    const statusId = await this.mappedStatusId('hired');
    if (!statusId)
      return {
        ok: false,
        kind: 'unsupported',
        message: 'bamboohr has no hired status; set settings.statusIds.hired',
      };
    const guard = await this.guard(write.applicationRemoteId, write.fromStageRemoteId);
    if (guard) return guard;
    return this.writeStatus(write.applicationRemoteId, statusId);
  }

  /**
   * `GET /employees/changed?since=&type=deleted` (confirmed): ids of *employees* deleted since `since`, and the
   * `latest` value to store as the next `since`. BambooHR publishes no applicant delete feed; what deleting an
   * applicant does to this feed is not documented (unverified: presumably nothing, applicants are not employees).
   */
  async deletedEmployeeIds(since: string): Promise<{ ids: string[]; latest: string | null }> {
    const query = queryString({ since, type: 'deleted' });
    const body = parseOrFail(
      changedEmployeesSchema,
      await this.http.getJson(`/employees/changed?${query}`, 'changed employees'),
      'changed employees',
      'permanent',
    );
    const employees = body.employees
      ? Array.isArray(body.employees)
        ? body.employees
        : Object.values(body.employees)
      : [];
    const ids = employees.filter((e) => (e.action ?? 'deleted').toLowerCase() === 'deleted').map((e) => e.id);
    return { ids, latest: body.latest ?? null };
  }

  // ── passes ────────────────────────────────────────────────────────────────

  private startPass(objectType: 'candidate' | 'application', request: ListPageRequest): PassState {
    const startedAt = this.context.clock.now();
    let newSince: string | null = null;
    if (request.mode === 'incremental' && request.cursor) {
      const cursor = cursorSchema.safeParse(request.cursor);
      if (!cursor.success)
        throw new ProviderError('bamboohr cursor is unreadable; run a full sync', 'cursor_expired');
      newSince = formatNewSince(
        new Date(Date.parse(cursor.data.passStartedAt) - this.settings.lookbackSeconds * 1000),
      );
    }
    return { v: 1, object: objectType, page: 1, newSince, passStartedAt: startedAt.toISOString() };
  }

  private resumePass(objectType: SyncObjectType, token: string): PassState {
    const pass = decodePageToken(token, pageTokenSchema);
    if (pass.object !== objectType)
      throw new ProviderError('page token belongs to another object type', 'permanent');
    return pass;
  }

  private async jobsPass(): Promise<ListPage<'job'>> {
    const startedAt = this.context.clock.now().toISOString();
    const query = queryString({ statusGroups: this.settings.jobStatusGroups });
    const items = parseOrFail(
      jobsResponseSchema,
      await this.http.getJson(`/applicant_tracking/jobs?${query}`, 'list jobs'),
      'jobs',
      'permanent',
    );
    const stages = (await this.statusCatalog()).stages();
    const deletedLabels = new Set(this.settings.deletedJobStatuses.map((label) => label.toLowerCase()));
    const records = [];
    const deletedRemoteIds: string[] = [];
    for (const job of parseEach(items, jobSchema, 'list jobs')) {
      const label = jobStatusLabel(job)?.toLowerCase();
      if (label && deletedLabels.has(label)) deletedRemoteIds.push(job.id);
      else records.push(toJob(job, stages));
    }
    return {
      records,
      raw: items,
      deletedRemoteIds,
      nextPageToken: null,
      nextCursor: { passStartedAt: startedAt },
    };
  }

  private async applicationsToCanonical(applications: BambooApplication[]) {
    const catalog = await this.statusCatalog();
    return applications.map((application) => toApplication(application, catalog, this.settings));
  }

  /** Unique applicants of a page (one applicant may apply to several jobs). */
  private applicantsOf(applications: BambooApplication[]) {
    const seen = new Map<string, BambooApplication['applicant']>();
    for (const application of applications) {
      if (!seen.has(application.applicant.id)) seen.set(application.applicant.id, application.applicant);
    }
    return [...seen.values()];
  }

  private statusCatalog(): Promise<StatusCatalog> {
    if (!this.catalog) {
      const loading = this.http
        .getJson('/applicant_tracking/statuses', 'list statuses')
        .then(
          (body) => new StatusCatalog(parseOrFail(statusesResponseSchema, body, 'statuses', 'permanent')),
        );
      // A failed load is not cached: the next call asks again.
      loading.catch(() => {
        if (this.catalog === loading) this.catalog = null;
      });
      this.catalog = loading;
    }
    return this.catalog;
  }

  private async mappedStatusId(kind: 'rejected' | 'withdrawn' | 'hired'): Promise<string | null> {
    const configured = this.settings.statusIds[kind];
    if (configured) return configured;
    const codes =
      kind === 'hired'
        ? this.settings.hiredStatusCodes
        : kind === 'withdrawn'
          ? this.settings.withdrawnStatusCodes
          : this.settings.rejectedStatusCodes;
    return (await this.statusCatalog()).firstWithCode(codes)?.id ?? null;
  }

  // ── writes ────────────────────────────────────────────────────────────────

  /** Reads the application; a refusal when it is gone or its status is not the expected one, else null. */
  private async guard(applicationId: string, expectedStatusId: string | null): Promise<WriteResult | null> {
    if (!this.settings.guardWithCurrentStatus || expectedStatusId === null) return null;
    const reply = await this.http.request(
      'GET',
      `/applicant_tracking/applications/${encodeURIComponent(applicationId)}`,
    );
    if (reply.status === 404)
      return { ok: false, kind: 'refused', message: 'application not found', status: 404 };
    if (reply.status !== 200) throw this.http.failure(reply, 'read application');
    const application = applicationSchema.safeParse(parseJsonBody(reply, 'read application'));
    if (!application.success) throw new ProviderError('read application: unexpected shape', 'permanent');
    const current = application.data.status?.id ?? null;
    if (current !== expectedStatusId) {
      return {
        ok: false,
        kind: 'refused',
        message: `stale status: the application is in status ${current ?? 'none'}, not ${expectedStatusId}`,
        currentStageRemoteId: current,
      };
    }
    return null;
  }

  private async writeStatus(applicationId: string, statusId: string): Promise<WriteResult> {
    const reply = await this.http.request(
      'POST',
      `/applicant_tracking/applications/${encodeURIComponent(applicationId)}/status`,
      JSON.stringify({ [this.settings.statusWriteField]: numericId(statusId) }),
    );
    if (reply.status >= 200 && reply.status < 300) return { ok: true, detail: { statusId } };
    if (reply.status === 400 || reply.status === 404 || reply.status === 409 || reply.status === 422) {
      return {
        ok: false,
        kind: 'refused',
        message: `bamboohr refused the status change (${reply.status})`,
        status: reply.status,
      };
    }
    throw this.http.failure(reply, 'change status');
  }
}

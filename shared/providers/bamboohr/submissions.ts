/**
 * BambooHR write-back of portal submissions (docs/write-back-notes.md §4).
 *
 * One call does everything: `POST /applicant_tracking/application` (multipart; `firstName`, `lastName`, `jobId`
 * required; `email`, `phoneNumber`, `source`; the `resume` file) creates the applicant, the application and the
 * resume. There is no endpoint to add an application to an existing applicant or to attach a file later, so
 * `resumeMode` is `inline`, `createApplication` is the same create, and `attachResume` refuses.
 *
 * The create's response body is not documented reliably (a candidate id, or nothing), so every create is followed
 * by a lookup: `GET /applicant_tracking/applications?jobId=&searchString=<email>`, then the application detail
 * `GET /applicant_tracking/applications/{id}` for the applicant email and `resumeFileId`. Ids: candidate = the
 * applicant id, application = the application id, attachment = the resume file id.
 *
 * (unverified) What `searchString` searches is not documented: the lookups assume it matches the applicant's email
 * (as the fake does) and then compare the email exactly, so a search that also matches names only costs reads. If a
 * tenant's search ignores emails, the lookups find nothing and a lost create would be repeated.
 *
 * Attribution: BambooHR records the API key's owner as the actor, so `actingUserId` is ignored; `sourceId` is sent
 * as the free-text `source` field. Errors: 400/403/404/413/415 → `refused` with BambooHR's
 * `X-BambooHR-Error-Message`; 401 → `auth`; 503 + Retry-After / 429 → `rate_limited`; other 5xx → `transient`.
 */
import {
  type CreatedCandidate,
  ProviderError,
  type SubmissionAttribution,
  type SubmissionFile,
  type SubmissionPerson,
  type SubmissionWriter,
} from '../../ports/provider.js';
import { type HttpReply, parseJsonBody, parseOrFail } from '../common/client-kit.js';
import { parseJson } from '../common/parse.js';
import { type BamboohrHttp, queryString } from './http.js';
import {
  applicationDetailSchema,
  applicationSchema,
  applicationsPageSchema,
  type BambooApplication,
  createdApplicationSchema,
} from './schemas.js';
import type { BamboohrSettings } from './settings.js';

const CREATE_PATH = '/applicant_tracking/application';
/** Search pages read per lookup: a search by one email returns a handful of applications. */
const MAX_SEARCH_PAGES = 10;
const REFUSED_STATUSES = new Set([400, 403, 404, 409, 413, 415, 422]);

interface FoundApplication {
  applicationId: string;
  applicantId: string;
  resumeFileId: string | null;
}

export class BamboohrSubmissions implements SubmissionWriter {
  readonly resumeMode = 'inline' as const;

  constructor(
    private readonly http: BamboohrHttp,
    private readonly settings: BamboohrSettings,
  ) {}

  /** An applicant with this email on any application (BambooHR has no candidate search of its own). */
  async findCandidate(input: { email: string; jobRemoteId: string }): Promise<string | null> {
    const found = await this.findByEmail(input.email, null);
    return found[0]?.applicantId ?? null;
  }

  /**
   * The application on the job whose applicant has this email. Matched on (job, email), not on the applicant id:
   * where BambooHR does not merge applicants by email, a create for an existing candidate makes a new applicant.
   */
  async findApplication(input: {
    candidateRemoteId: string;
    jobRemoteId: string;
    email: string;
  }): Promise<string | null> {
    // Newest first: after a re-application the applicant holds several applications to the job, and the one a
    // retried create looks for is the latest.
    const found = (await this.findByEmail(input.email, input.jobRemoteId)).reverse();
    const own = found.find((application) => application.applicantId === input.candidateRemoteId);
    return (own ?? found[0])?.applicationId ?? null;
  }

  async createCandidate(input: {
    person: SubmissionPerson;
    jobRemoteId: string;
    resume: SubmissionFile | null;
    attribution: SubmissionAttribution;
  }): Promise<CreatedCandidate> {
    const created = await this.create(input);
    return {
      candidateRemoteId: created.applicantId,
      applicationRemoteId: created.applicationId,
      attachmentRemoteId: created.resumeFileId,
    };
  }

  /** BambooHR has no "add an application to this applicant" call: the same create, matched afterwards by email. */
  async createApplication(input: {
    candidateRemoteId: string;
    person: SubmissionPerson;
    jobRemoteId: string;
    resume: SubmissionFile | null;
    attribution: SubmissionAttribution;
  }): Promise<{ applicationRemoteId: string; attachmentRemoteId: string | null }> {
    const created = await this.create(input);
    return { applicationRemoteId: created.applicationId, attachmentRemoteId: created.resumeFileId };
  }

  /** The application's resume file id. The detail carries no file name or size (unverified), so it is not compared. */
  async findAttachment(input: {
    candidateRemoteId: string;
    applicationRemoteId: string;
    fileName: string;
    sizeBytes: number;
  }): Promise<string | null> {
    const detail = await this.detail(input.applicationRemoteId);
    return detail?.resumeFileId ?? null;
  }

  async attachResume(): Promise<string> {
    throw new ProviderError(
      'bamboohr cannot attach a file to an existing application; the resume goes only with the create',
      'refused',
    );
  }

  // ── calls ─────────────────────────────────────────────────────────────────

  private async create(input: {
    person: SubmissionPerson;
    jobRemoteId: string;
    resume: SubmissionFile | null;
    attribution: SubmissionAttribution;
  }): Promise<FoundApplication> {
    const form = new FormData();
    form.append('firstName', input.person.firstName);
    form.append('lastName', input.person.lastName);
    form.append('jobId', input.jobRemoteId);
    form.append('email', input.person.email);
    if (input.person.phone) form.append('phoneNumber', input.person.phone);
    // The API key's owner is the actor; `actingUserId` has no field. `source` is free text.
    if (input.attribution.sourceId) form.append('source', input.attribution.sourceId);
    if (input.resume) {
      const blob = new Blob([new Uint8Array(input.resume.content)], { type: input.resume.contentType });
      form.append('resume', blob, input.resume.fileName);
    }
    const reply = await this.http.request('POST', CREATE_PATH, form);
    if (reply.status < 200 || reply.status >= 300) throw this.failure(reply, 'create candidate application');
    // (unverified) The body may name the new applicant; it only breaks ties between same-email applications.
    const body = createdApplicationSchema.safeParse(parseJson(reply.text) ?? {});
    const applicantId = body.success ? (body.data.candidateId ?? null) : null;
    const applicationId = body.success ? (body.data.applicationId ?? null) : null;
    // Newest first: the application just made is the applicant's newest (a reused applicant holds older ones too).
    const found = (await this.findByEmail(input.person.email, input.jobRemoteId)).reverse();
    const created =
      found.find((a) => a.applicationId === applicationId) ??
      found.find((a) => a.applicantId === applicantId) ??
      found[0];
    if (!created) {
      // Created, but not listed yet: a transient failure makes the engine look up again before any retry.
      throw new ProviderError('bamboohr created the application but does not list it yet', 'transient');
    }
    return created;
  }

  /** Applications (on `jobId`, or any job) whose applicant has exactly this email, oldest first. */
  private async findByEmail(email: string, jobId: string | null): Promise<FoundApplication[]> {
    const wanted = email.trim().toLowerCase();
    const found: FoundApplication[] = [];
    for (const application of await this.search(wanted, jobId)) {
      // The search may match names too: a listed email that differs needs no detail read.
      const listed = application.applicant.email?.trim().toLowerCase();
      if (listed && listed !== wanted) continue;
      const detail = await this.detail(application.id);
      const applicantEmail = detail?.email ?? application.applicant.email ?? null;
      if (!detail || applicantEmail?.trim().toLowerCase() !== wanted) continue;
      found.push({
        applicationId: application.id,
        applicantId: application.applicant.id,
        resumeFileId: detail.resumeFileId,
      });
    }
    return found.sort((a, b) => Number(a.applicationId) - Number(b.applicationId));
  }

  private async search(searchString: string, jobId: string | null): Promise<BambooApplication[]> {
    const applications: BambooApplication[] = [];
    for (let page = 1; page <= MAX_SEARCH_PAGES; page += 1) {
      const query = queryString({
        searchString,
        applicationStatus: this.settings.applicationStatusFilter,
        page: String(page),
        ...(jobId ? { jobId } : {}),
      });
      const reply = await this.http.request('GET', `/applicant_tracking/applications?${query}`);
      if (reply.status !== 200) throw this.failure(reply, 'search applications');
      const body = parseOrFail(
        applicationsPageSchema,
        parseJsonBody(reply, 'search applications'),
        'applications page',
        'permanent',
      );
      for (const item of body.applications) {
        const parsed = applicationSchema.safeParse(item);
        if (!parsed.success) throw new ProviderError('search applications: unexpected shape', 'permanent');
        // The list may ignore `jobId` on some accounts (unverified): the job is checked here too.
        if (!jobId || parsed.data.job.id === jobId) applications.push(parsed.data);
      }
      const last =
        body.paginationComplete === true ||
        (body.paginationComplete == null && (!body.nextPageUrl || body.applications.length === 0));
      if (last) break;
    }
    return applications;
  }

  /** The applicant email and resume file id of one application; null when it is gone. */
  private async detail(
    applicationId: string,
  ): Promise<{ email: string | null; resumeFileId: string | null } | null> {
    const reply = await this.http.request(
      'GET',
      `/applicant_tracking/applications/${encodeURIComponent(applicationId)}`,
    );
    if (reply.status === 404) return null;
    if (reply.status !== 200) throw this.failure(reply, 'read application');
    const detail = parseOrFail(
      applicationDetailSchema,
      parseJsonBody(reply, 'read application'),
      'application detail',
      'permanent',
    );
    return { email: detail.applicant.email ?? null, resumeFileId: detail.resumeFileId ?? null };
  }

  /** Permission, validation and not-found answers are final refusals carrying BambooHR's own message. */
  private failure(reply: HttpReply, what: string): ProviderError {
    if (REFUSED_STATUSES.has(reply.status)) {
      const message =
        reply.headers.get('x-bamboohr-error-message')?.slice(0, 300) || `status ${reply.status}`;
      return new ProviderError(`${what}: ${message}`, 'refused', reply.status);
    }
    return this.http.failure(reply, what);
  }
}

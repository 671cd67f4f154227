/**
 * The BambooHR fake's write-back surface (docs/write-back-notes.md §4, §7):
 * - `POST /applicant_tracking/application`, multipart with BambooHR's field names: 403 without ATS access
 *   (`denyNext` for one refusal), 400 when `firstName`/`lastName`/`jobId` is missing, `jobId` is no job, `email` is
 *   not an email, `linkedinUrl` is not a LinkedIn URL, or `resume`/`coverLetter` is outside the MIME allow-list;
 *   each success is a new application (the applicant reused by email only with `mergeApplicantsByEmail`);
 * - `resumeFileId` / `coverLetterFileId` on `GET /applicant_tracking/applications/{id}` (field names unverified);
 * - `searchString` on the applications list (`matchesSearch`; what it searches is unverified).
 * Errors carry `X-BambooHR-Error-Message` like the rest of the fake; throttling (503) and auth stay in server.ts.
 */
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import type { BamboohrState, FakeApplicant } from './state.js';

export interface BamboohrSubmissionOptions {
  /** (unverified) A create with a known email reuses that applicant. Default false: a new one each time (§4.2). */
  mergeApplicantsByEmail?: boolean;
  /** (unverified) Success body: `{candidateId}` (the docs) or empty (the SDK). Default `id`. */
  createResponse?: 'id' | 'empty';
  /** Whether the API key's owner has access to ATS settings; without it every create answers 403. */
  atsAccess?: boolean;
  /** (unverified) Largest file accepted: none is published, so no limit by default. */
  maxFileBytes?: number | null;
}

/** A file received with a create. */
export interface FakeFile {
  id: number;
  applicationId: number;
  field: 'resume' | 'coverLetter';
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** Resume and cover-letter types the create accepts (confirmed, documentation.bamboohr.com "Create Candidate"). */
export const ACCEPTED_FILE_TYPES = new Set([
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
  'application/rtf',
  'image/jpeg',
  'image/gif',
  'image/png',
  'image/tiff',
  'image/bmp',
]);

const CREATE = '/applicant_tracking/application';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LINKEDIN = /^https?:\/\/(.*\.)?linkedin\.com\//i;

/** The create call, for `failNext(…, { kind: 'lost' }, isCreate)`. */
export function isCreate(request: Pick<FakeRequest, 'method' | 'path'>): boolean {
  return request.method === 'POST' && request.path.endsWith(CREATE);
}

/** (unverified) `searchString`: a case-insensitive part of the applicant's name or email. */
export function matchesSearch(applicant: FakeApplicant, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return [
    applicant.firstName,
    applicant.lastName,
    `${applicant.firstName} ${applicant.lastName}`,
    applicant.email,
  ]
    .map((value) => value.toLowerCase())
    .some((value) => value.includes(needle));
}

function error(status: number, message: string): FakeResponse {
  return { status, headers: { 'x-bamboohr-error-message': message }, body: '' };
}

export function createBamboohrSubmissions(state: BamboohrState, options: BamboohrSubmissionOptions = {}) {
  const files: FakeFile[] = [];
  /** Form fields of every accepted create, by application id (what the client sent). */
  const fields = new Map<number, Record<string, string>>();
  let denials = 0;
  let atsAccess = options.atsAccess ?? true;

  async function create(request: FakeRequest): Promise<FakeResponse> {
    if (!atsAccess || denials > 0) {
      denials = Math.max(0, denials - 1);
      return error(403, 'The owner of the API key does not have access to ATS settings');
    }
    let form: FormData;
    try {
      form = await new Request('http://fake/', {
        method: 'POST',
        headers: { 'content-type': String(request.headers['content-type'] ?? '') },
        body: request.rawBody,
      }).formData();
    } catch {
      return error(400, 'Expected multipart/form-data');
    }
    const text: Record<string, string> = {};
    for (const [name, value] of form) if (typeof value === 'string') text[name] = value.trim();
    for (const name of ['firstName', 'lastName', 'jobId'])
      if (!text[name]) return error(400, `Missing required field: ${name}`);
    const job = state.jobs.find((j) => String(j.id) === text['jobId'] && j.status !== 'Deleted');
    if (!job) return error(400, 'Invalid jobId');
    if (text['email'] && !EMAIL.test(text['email'])) return error(400, 'email must be a valid email address');
    if (text['linkedinUrl'] && !LINKEDIN.test(text['linkedinUrl'])) return error(400, 'Invalid linkedinUrl');
    const uploads: { field: FakeFile['field']; file: File }[] = [];
    for (const field of ['resume', 'coverLetter'] as const) {
      const value = form.get(field);
      if (value === null) continue;
      if (typeof value === 'string') return error(400, `${field} must be a file`);
      if (!ACCEPTED_FILE_TYPES.has(value.type)) return error(400, `Invalid file type for ${field}`);
      if (options.maxFileBytes != null && value.size > options.maxFileBytes)
        return error(413, `${field} is too large`);
      uploads.push({ field, file: value });
    }
    const email = text['email'] ?? '';
    const known =
      options.mergeApplicantsByEmail && email
        ? state.liveApplications().find((a) => a.applicant.email.toLowerCase() === email.toLowerCase())
        : undefined;
    const application = state.addApplication({
      jobId: job.id,
      ...(known
        ? { applicantId: known.applicant.id }
        : {
            person: {
              firstName: text['firstName']!,
              lastName: text['lastName']!,
              email,
              phoneNumber: text['phoneNumber'] ?? '',
            },
          }),
    });
    fields.set(application.id, text);
    for (const { field, file } of uploads) {
      files.push({
        id: 9000 + files.length,
        applicationId: application.id,
        field,
        fileName: file.name,
        contentType: file.type,
        content: Buffer.from(await file.arrayBuffer()),
      });
    }
    if (options.createResponse === 'empty') return { status: 200, body: '' };
    return { status: 200, body: { candidateId: application.applicant.id } };
  }

  const fileOf = (applicationId: number, field: FakeFile['field']) =>
    files.find((f) => f.applicationId === applicationId && f.field === field)?.id ?? null;

  return {
    files,
    fields,
    /** The next `count` creates are refused as an API key without ATS access is. */
    denyNext(count = 1) {
      denials += count;
    },
    setAtsAccess(access: boolean) {
      atsAccess = access;
    },
    fileOf,
    /** The create, and the file ids on the application detail; every other request goes to `next`. */
    async route(request: FakeRequest, apiPath: string, next: () => FakeResponse): Promise<FakeResponse> {
      if (apiPath === CREATE)
        return request.method === 'POST' ? create(request) : error(405, 'Method not allowed');
      const response = next();
      const detail = /^\/applicant_tracking\/applications\/(\d+)$/.exec(apiPath);
      if (!detail || request.method !== 'GET' || response.status !== 200) return response;
      const id = Number(detail[1]);
      const body = response.body as Record<string, unknown>;
      return {
        ...response,
        body: { ...body, resumeFileId: fileOf(id, 'resume'), coverLetterFileId: fileOf(id, 'coverLetter') },
      };
    },
  };
}

export type BamboohrSubmissions = ReturnType<typeof createBamboohrSubmissions>;

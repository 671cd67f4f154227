/**
 * The Ashby fake's write-back endpoints (docs/write-back-notes.md §3, §7 "Ashby"): `candidate.search` (ANDed
 * parameters, at most 100 results), `candidate.info` with `applicationIds` and file handles, `candidate.create`
 * (requires `name`, never deduplicates), `application.create` (requires `candidateId` + `jobId`),
 * `file.createFileUploadHandle` with a presigned storage POST that expires after 10 minutes, and
 * `candidate.uploadResume` by handle or by the deprecated multipart `resume` field. Refusals are HTTP 200
 * `{success:false, errorInfo}`; the storage answers like S3 (XML errors, 204 on success).
 */
import { MultipartParser, multipartBoundary } from '../../../infra/local/s3/multipart.js';
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import type { WriteBackFake, WriteBackStep } from '../fixture.js';
import type { AbApplication, AbCandidate, AbState } from './state.js';

/** Fixed, so seeding them does not move the fake's random sequence. */
export const ASHBY_FAKE_USER_ID = '0f5e8a4c-1d2b-4c3a-9e8f-000000000001';
export const ASHBY_FAKE_SOURCE_ID = '5a0c3e7d-2b1f-4d6e-8a9b-000000000002';

export const ASHBY_SUBMISSION_PERMISSIONS = {
  'candidate.search': 'candidatesRead',
  'candidate.info': 'candidatesRead',
  'candidate.create': 'candidatesWrite',
  'candidate.uploadResume': 'candidatesWrite',
  'file.createFileUploadHandle': 'candidatesWrite',
} as const;

const UPLOAD_CONTEXTS = new Set(['CandidateResume', 'CandidateFiles', 'ApplicationForm']);
const UPLOAD_TTL_MS = 10 * 60_000;
const STORAGE_PATH = '/__storage/upload/';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface AbFile {
  id: string;
  candidateId: string;
  name: string;
  handle: string;
  contentType: string;
  content: Buffer;
}

interface PendingUpload {
  key: string;
  handle: string;
  context: string;
  filename: string;
  contentType: string;
  contentLength: number;
  issuedAt: number;
  fields: Record<string, string>;
  content: Buffer | null;
}

interface Part {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  value: Buffer;
}

/** The parts of a multipart/form-data body in order, or null when it is not one. */
function formParts(request: FakeRequest): Part[] | null {
  const { boundary } = multipartBoundary(request.headers['content-type']);
  if (!boundary) return null;
  const parts: Part[] = [];
  let current: Part | null = null;
  const chunks: Buffer[] = [];
  try {
    const parser = new MultipartParser(boundary, {
      onPartStart: (h) => {
        current = {
          name: h.name ?? '',
          filename: h.filename,
          contentType: h.contentType,
          value: Buffer.alloc(0),
        };
        chunks.length = 0;
      },
      onPartData: (data) => chunks.push(Buffer.from(data)),
      onPartEnd: () => {
        if (current) parts.push({ ...current, value: Buffer.concat(chunks) });
      },
    });
    parser.write(request.rawBody);
    parser.end();
  } catch {
    return null;
  }
  return parts;
}

const s3Error = (status: number, code: string, message: string): FakeResponse => ({
  status,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
});

export interface SubmissionDeps {
  state: AbState;
  clock: ControllableClock;
  ok(body: Record<string, unknown>): FakeResponse;
  fail(code: string, message: string): FakeResponse;
  renderCandidate(candidate: AbCandidate): Record<string, unknown>;
  renderApplication(application: AbApplication): unknown;
  createApplication(candidateId: string, jobId: string): AbApplication | null;
}

export function createAshbySubmissionRoutes(deps: SubmissionDeps) {
  const { state, clock, ok, fail } = deps;
  const files: AbFile[] = [];
  const uploads = new Map<string, PendingUpload>();
  const users = new Set([ASHBY_FAKE_USER_ID]);
  const sources = new Set([ASHBY_FAKE_SOURCE_ID]);
  /** (unverified) Ashby publishes no resume size limit; the fake refuses a declared size above this. */
  const limits = { maxFileBytes: 20 * 1024 * 1024 };

  const candidateById = (id: unknown) => state.candidates.find((c) => c.id === id);
  const handleOf = (f: AbFile) => ({ id: f.id, name: f.name, handle: f.handle });
  const render = (c: AbCandidate) => {
    const own = files.filter((f) => f.candidateId === c.id);
    const resume = own.findLast((f) => f.handle.startsWith('resume:'));
    return {
      ...deps.renderCandidate(c),
      resumeFileHandle: resume ? handleOf(resume) : null,
      fileHandles: own.map(handleOf),
      profileUrl: `https://app.ashbyhq.com/candidates/${c.id}`,
    };
  };

  /** `sourceId` / `creditedToUserId` must name a source / user of the account. */
  const attributionError = (body: Record<string, unknown>): FakeResponse | null => {
    if (body['sourceId'] !== undefined && !sources.has(String(body['sourceId'])))
      return fail('invalid_input', `Source ${String(body['sourceId'])} not found`);
    if (body['creditedToUserId'] !== undefined && !users.has(String(body['creditedToUserId'])))
      return fail('invalid_input', `User ${String(body['creditedToUserId'])} not found`);
    return null;
  };

  const search = (body: Record<string, unknown>): FakeResponse => {
    const email = typeof body['email'] === 'string' ? body['email'].trim().toLowerCase() : null;
    const name = typeof body['name'] === 'string' ? body['name'].trim().toLowerCase() : null;
    if (!email && !name) return fail('invalid_input', 'Provide email and / or name');
    const results = state.candidates
      .filter(
        (c) =>
          (email === null || c.email.toLowerCase() === email) &&
          (name === null || c.name.toLowerCase().includes(name)),
      )
      .slice(0, 100)
      .map(render);
    return ok({ results });
  };

  const createCandidate = (body: Record<string, unknown>): FakeResponse => {
    const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
    if (!name) return fail('invalid_input', 'Missing required field: name');
    const email = body['email'];
    if (email !== undefined && (typeof email !== 'string' || !EMAIL.test(email)))
      return fail('invalid_input', 'email is not a valid email address');
    const refused = attributionError(body);
    if (refused) return refused;
    // No dedupe: an existing email gets a second candidate (docs/write-back-notes.md §3.3).
    const candidate: AbCandidate = {
      id: state.rng.uuid(),
      name,
      email: typeof email === 'string' ? email : '',
      phone: typeof body['phoneNumber'] === 'string' ? body['phoneNumber'] : '',
      createdAt: clock.nowMs(),
      updatedAt: clock.nowMs(),
    };
    state.candidates.push(candidate);
    return ok({ results: render(candidate) });
  };

  const createApplication = (body: Record<string, unknown>): FakeResponse => {
    for (const field of ['candidateId', 'jobId'])
      if (typeof body[field] !== 'string') return fail('invalid_input', `Missing required field: ${field}`);
    if (!candidateById(body['candidateId'])) return fail('candidate_not_found', 'Candidate not found');
    const job = state.jobs.find((j) => j.id === body['jobId']);
    if (!job) return fail('job_not_found', 'Job not found');
    // (unverified) Ashby's answer for a closed job; the fake refuses it as a validation error.
    if (job.status !== 'Open') return fail('invalid_input', `Job is ${job.status}`);
    const refused = attributionError(body);
    if (refused) return refused;
    const app = deps.createApplication(String(body['candidateId']), job.id)!;
    return ok({ results: deps.renderApplication(app) });
  };

  const createUploadHandle = (body: Record<string, unknown>, host: string): FakeResponse => {
    const context = String(body['fileUploadContext'] ?? '');
    if (!UPLOAD_CONTEXTS.has(context))
      return fail(
        'invalid_input',
        'fileUploadContext must be CandidateResume, CandidateFiles or ApplicationForm',
      );
    const { filename, contentType, contentLength } = body;
    if (typeof filename !== 'string' || !filename || typeof contentType !== 'string' || !contentType)
      return fail('invalid_input', 'filename and contentType are required');
    if (typeof contentLength !== 'number' || !Number.isInteger(contentLength) || contentLength <= 0)
      return fail('invalid_input', 'contentLength must be a positive integer');
    if (contentLength > limits.maxFileBytes)
      return fail('invalid_input', `File is larger than ${limits.maxFileBytes} bytes`);
    const key = state.rng.alnum(24);
    const fields = {
      key: `uploads/${key}`,
      policy: state.rng.alnum(32),
      'x-amz-signature': state.rng.alnum(40),
    };
    const handle = `${context === 'CandidateResume' ? 'resume' : 'file'}:${state.rng.alnum(32)}`;
    uploads.set(key, {
      key,
      handle,
      context,
      filename,
      contentType,
      contentLength,
      issuedAt: clock.nowMs(),
      fields,
      content: null,
    });
    return ok({ results: { handle, url: `http://${host}${STORAGE_PATH}${key}`, fields } });
  };

  const attach = (candidate: AbCandidate, name: string, contentType: string, content: Buffer) => {
    const id = state.rng.uuid();
    files.push({ id, candidateId: candidate.id, name, contentType, content, handle: `resume:${id}` });
    candidate.updatedAt = clock.nowMs();
    return ok({ results: render(candidate) });
  };

  const uploadResume = (request: FakeRequest): FakeResponse => {
    const parts = formParts(request);
    if (parts) {
      // The deprecated multipart form: `candidateId` + a `resume` file.
      const candidate = candidateById(parts.find((p) => p.name === 'candidateId')?.value.toString('utf8'));
      const resume = parts.find((p) => p.name === 'resume' && p.filename !== undefined);
      if (!candidate) return fail('candidate_not_found', 'Candidate not found');
      if (!resume) return fail('invalid_input', 'Missing required field: resume');
      if (resume.value.length > limits.maxFileBytes)
        return fail('invalid_input', `File is larger than ${limits.maxFileBytes} bytes`);
      return attach(
        candidate,
        resume.filename ?? 'resume',
        resume.contentType ?? 'application/octet-stream',
        resume.value,
      );
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body || '{}');
    } catch {
      return fail('invalid_input', 'Body must be JSON');
    }
    const candidate = candidateById(body['candidateId']);
    if (!candidate) return fail('candidate_not_found', 'Candidate not found');
    const upload = [...uploads.values()].find((u) => u.handle === body['resumeHandle']);
    if (upload?.context !== 'CandidateResume') return fail('invalid_input', 'Invalid resumeHandle');
    // (unverified) the code for a handle whose bytes never reached storage.
    if (!upload.content) return fail('invalid_input', 'No file was uploaded for this resumeHandle');
    uploads.delete(upload.key);
    return attach(candidate, upload.filename, upload.contentType, upload.content);
  };

  /** The presigned storage POST (S3-like): every issued field, the file last as `file`, within 10 minutes. */
  const storageUpload = (request: FakeRequest): FakeResponse | null => {
    if (!request.path.startsWith(STORAGE_PATH)) return null;
    const upload = uploads.get(request.path.slice(STORAGE_PATH.length));
    if (request.method !== 'POST' || !upload) return s3Error(403, 'AccessDenied', 'Invalid upload URL');
    if (request.headers.authorization)
      return s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed');
    if (clock.nowMs() - upload.issuedAt > UPLOAD_TTL_MS)
      return s3Error(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    const parts = formParts(request);
    if (!parts)
      return s3Error(400, 'MalformedPOSTRequest', 'The body is not well-formed multipart/form-data.');
    const last = parts.at(-1);
    if (last?.name !== 'file' || last.filename === undefined)
      return s3Error(
        400,
        'InvalidArgument',
        'POST requires exactly one file upload per request, in the last field file.',
      );
    for (const [name, value] of Object.entries(upload.fields)) {
      if (parts.find((p) => p.name === name)?.value.toString('utf8') !== value)
        return s3Error(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${name}`);
    }
    // The policy's content-length-range is the declared size.
    if (last.value.length > upload.contentLength)
      return s3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    if (last.value.length < upload.contentLength)
      return s3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
    upload.content = last.value;
    return { status: 204 };
  };

  /** The write-back RPC methods; null for any other method. Auth, permissions and the rate limit ran before. */
  const route = (method: string, request: FakeRequest): FakeResponse | null => {
    if (method === 'candidate.uploadResume') return uploadResume(request);
    const handlers: Record<string, (body: Record<string, unknown>) => FakeResponse> = {
      'candidate.search': search,
      'candidate.info': (body) => {
        const candidate = candidateById(body['id']);
        return candidate
          ? ok({ results: render(candidate) })
          : fail('candidate_not_found', 'Candidate not found');
      },
      'candidate.create': createCandidate,
      'application.create': createApplication,
      'file.createFileUploadHandle': (body) => createUploadHandle(body, String(request.headers.host)),
    };
    const handler = handlers[method];
    if (!handler) return null;
    let body: unknown;
    try {
      body = JSON.parse(request.body || '{}');
    } catch {
      return fail('invalid_input', 'Body must be JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return fail('invalid_input', 'Body must be a JSON object');
    return handler(body as Record<string, unknown>);
  };

  return { route, storageUpload, files, limits, users, sources };
}

export type AshbySubmissionRoutes = ReturnType<typeof createAshbySubmissionRoutes>;

const CREATE_PATHS: Record<WriteBackStep, string> = {
  candidate: '/candidate.create',
  application: '/application.create',
  attachment: '/candidate.uploadResume',
};

/** The fake as the write-back contract suite drives it. */
export function ashbyWriteBack(fake: {
  state: AbState;
  clock: ControllableClock;
  submissions: AshbySubmissionRoutes;
  failNext(
    count: number,
    fault: import('../common/loopback-server.js').Fault,
    match?: (r: FakeRequest) => boolean,
  ): void;
}): WriteBackFake {
  const candidatesOf = (email: string) =>
    fake.state.candidates.filter((c) => c.email.toLowerCase() === email.toLowerCase()).map((c) => c.id);
  const filesOf = (email: string) => {
    const ids = new Set(candidatesOf(email));
    return fake.submissions.files.filter((f) => ids.has(f.candidateId));
  };
  const isCreate = (step: WriteBackStep) => (r: FakeRequest) => r.path === CREATE_PATHS[step];
  return {
    openJobRemoteIds: () => fake.state.jobs.filter((j) => j.status === 'Open').map((j) => j.id),
    remoteCounts(email) {
      const ids = new Set(candidatesOf(email));
      return {
        candidates: ids.size,
        applications: fake.state.applications.filter((a) => ids.has(a.candidateId)).length,
        attachments: filesOf(email).length,
      };
    },
    attachedFiles: (email) => filesOf(email).map((f) => ({ fileName: f.name, content: f.content })),
    stageOf(applicationRemoteId) {
      const app = fake.state.applications.find((a) => a.id === applicationRemoteId);
      if (!app) throw new Error(`no application ${applicationRemoteId}`);
      return app.stageId;
    },
    seedCandidate(person) {
      const candidate: AbCandidate = {
        id: fake.state.rng.uuid(),
        name: `${person.firstName} ${person.lastName}`,
        email: person.email,
        phone: '',
        createdAt: fake.clock.nowMs(),
        updatedAt: fake.clock.nowMs(),
      };
      fake.state.candidates.push(candidate);
      return candidate.id;
    },
    loseNextCreate: (step) => fake.failNext(1, { kind: 'lost' }, isCreate(step)),
    // Ashby's refusal of a key without the write permission: a real 403 (docs/write-back-notes.md §3.4).
    denyNextCreate: (step) =>
      fake.failNext(
        1,
        {
          kind: 'status',
          status: 403,
          body: {
            success: false,
            errors: ['missing_endpoint_permission'],
            errorInfo: { code: 'missing_endpoint_permission', message: 'Requires candidatesWrite' },
          },
        },
        isCreate(step),
      ),
    writeBackSettings: { actingUserId: ASHBY_FAKE_USER_ID, sourceId: ASHBY_FAKE_SOURCE_ID },
  };
}

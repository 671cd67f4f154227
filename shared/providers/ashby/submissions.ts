/**
 * Ashby write-back of portal submissions (docs/write-back-notes.md §3, §6): `candidate.search` by email,
 * `candidate.create` (no application, no dedupe), `application.create` with `sourceId` and `creditedToUserId`,
 * and the resume through the recommended presigned flow: `file.createFileUploadHandle` → multipart POST of the
 * bytes to the returned URL → `candidate.uploadResume {candidateId, resumeHandle}`. The multipart `resume` form of
 * uploadResume is deprecated ("may be removed in a future API version"), so it is not used.
 * Ashby answers refusals as HTTP 200 `{success:false, errorInfo}`; they become `refused` with Ashby's message.
 */
import type {
  ProviderContext,
  SubmissionAttribution,
  SubmissionFile,
  SubmissionWriter,
} from '../../ports/provider.js';
import { errorForStatus, httpCall, ProviderError, parseOrFail } from '../common/client-kit.js';
import type { AshbyRpc, Rpc } from './client.js';
import {
  type AshbyWriteCandidate,
  ashbyApplicationSchema,
  ashbyUploadHandleSchema,
  ashbyWriteCandidateSchema,
} from './schemas.js';
import type { AshbySettings } from './settings.js';

const NOT_FOUND = /not_found/;

export function createAshbySubmissions(
  context: ProviderContext,
  rpc: AshbyRpc,
  settings: Pick<AshbySettings, 'requestTimeoutMs'>,
): SubmissionWriter {
  /** One write-back call: its `results`, or null for a not-found answer when `missingIsNull`; else a ProviderError. */
  const call = async (
    method: string,
    body: Record<string, unknown>,
    missingIsNull = false,
  ): Promise<unknown> => {
    const result: Rpc = await rpc(method, body, { permissionAsRefusal: true });
    if (result.ok) return result.envelope.results;
    if (missingIsNull && result.code && NOT_FOUND.test(result.code)) return null;
    // Every `success:false` answer is what another API would send as a 4xx: final, with Ashby's own words.
    throw new ProviderError(`ashby ${method}: ${result.message}`, 'refused', result.status);
  };

  const candidateInfo = async (candidateId: string): Promise<AshbyWriteCandidate | null> => {
    const results = await call('candidate.info', { id: candidateId }, true);
    return results === null ? null : parseOrFail(ashbyWriteCandidateSchema, results, 'ashby candidate.info');
  };

  const attribution = (a: SubmissionAttribution) => ({
    ...(a.sourceId ? { sourceId: a.sourceId } : {}),
    ...(a.actingUserId ? { creditedToUserId: a.actingUserId } : {}),
  });

  const createApplication = async (candidateId: string, jobId: string, a: SubmissionAttribution) => {
    const results = await call('application.create', { candidateId, jobId, ...attribution(a) });
    return parseOrFail(ashbyApplicationSchema, results, 'ashby application.create').id;
  };

  /** The presigned POST: no Ashby credentials go to the storage URL; its answer is the storage's, not Ashby's. */
  const uploadBytes = async (file: SubmissionFile) => {
    const results = await call('file.createFileUploadHandle', {
      fileUploadContext: 'CandidateResume',
      filename: file.fileName,
      contentType: file.contentType,
      contentLength: file.content.length,
    });
    const target = parseOrFail(ashbyUploadHandleSchema, results, 'ashby file.createFileUploadHandle');
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    // The file goes last, in a field named `file` (the storage ignores fields after it).
    form.append('file', new Blob([file.content], { type: file.contentType }), file.fileName);
    const reply = await httpCall(context, {
      method: 'POST',
      url: target.url,
      body: form,
      timeoutMs: settings.requestTimeoutMs,
    });
    if (reply.status >= 200 && reply.status < 300) return target.handle;
    // An expired or refused signature (403) heals with a fresh handle on the next attempt.
    if (reply.status === 403)
      throw new ProviderError('ashby resume upload: signature refused', 'transient', 403);
    if (reply.status === 400 || reply.status === 413) {
      const detail = /<Message>([^<]{1,200})<\/Message>/.exec(reply.text)?.[1] ?? `status ${reply.status}`;
      throw new ProviderError(`ashby resume upload: ${detail}`, 'refused', reply.status);
    }
    throw errorForStatus(reply.status, 'ashby resume upload');
  };

  return {
    resumeMode: 'separate',

    async findCandidate({ email }) {
      const results = await call('candidate.search', { email });
      const wanted = email.trim().toLowerCase();
      // Search is Ashby's to interpret; only an exact address (any of the candidate's) counts, oldest first.
      const matches = (Array.isArray(results) ? results : [])
        .map((r) => parseOrFail(ashbyWriteCandidateSchema, r, 'ashby candidate.search'))
        .filter((c) =>
          [c.primaryEmailAddress, ...(c.emailAddresses ?? [])].some(
            (e) => e?.value?.trim().toLowerCase() === wanted,
          ),
        )
        .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
      return matches[0]?.id ?? null;
    },

    async findApplication({ candidateRemoteId, jobRemoteId }) {
      const candidate = await candidateInfo(candidateRemoteId);
      for (const applicationId of candidate?.applicationIds ?? []) {
        const results = await call('application.info', { applicationId }, true);
        if (results === null) continue;
        const application = parseOrFail(ashbyApplicationSchema, results, 'ashby application.info');
        if (application.job?.id === jobRemoteId) return application.id;
      }
      return null;
    },

    // candidate.create makes no application: the engine calls createApplication next.
    async createCandidate({ person, attribution: a }) {
      const name = `${person.firstName} ${person.lastName}`.trim();
      const results = await call('candidate.create', {
        name,
        email: person.email,
        ...(person.phone ? { phoneNumber: person.phone } : {}),
        ...attribution(a),
      });
      const candidate = parseOrFail(ashbyWriteCandidateSchema, results, 'ashby candidate.create');
      return { candidateRemoteId: candidate.id, applicationRemoteId: null, attachmentRemoteId: null };
    },

    async createApplication({ candidateRemoteId, jobRemoteId, attribution: a }) {
      return {
        applicationRemoteId: await createApplication(candidateRemoteId, jobRemoteId, a),
        attachmentRemoteId: null,
      };
    },

    async findAttachment({ candidateRemoteId, fileName }) {
      // Ashby reports no size: the engine makes the file name unique per submission (docs/write-back-notes.md §6).
      const candidate = await candidateInfo(candidateRemoteId);
      if (!candidate) return null;
      const files = [candidate.resumeFileHandle, ...(candidate.fileHandles ?? [])];
      return files.find((f) => f?.name === fileName)?.id ?? null;
    },

    async attachResume({ candidateRemoteId, file }) {
      const resumeHandle = await uploadBytes(file);
      const results = await call('candidate.uploadResume', { candidateId: candidateRemoteId, resumeHandle });
      const candidate = parseOrFail(ashbyWriteCandidateSchema, results, 'ashby candidate.uploadResume');
      const attached = candidate.resumeFileHandle;
      if (!attached)
        throw new ProviderError('ashby candidate.uploadResume: no resume on the candidate', 'permanent');
      return attached.id;
    },
  };
}

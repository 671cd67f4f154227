/**
 * Portal submissions written to Greenhouse through Harvest v3 (docs/write-back-notes.md §1.4–§1.5, §6): candidate by
 * email, candidate + application in one create, application on a job, resume as a base64 attachment. Writes act as
 * the integration's `actingUserId` through the token's `sub`; `sourceId` goes as the application's `source_id`.
 */
import type * as z from 'zod';
import type { SubmissionAttribution, SubmissionWriter } from '../../ports/provider.js';
import { type HttpReply, numericId, ProviderError, parseEach, parseJsonBody } from '../common/client-kit.js';
import { commonError, errorMessage, type GreenhouseHttp, type GreenhouseReply } from './http.js';
import {
  v3ApplicationSchema,
  v3AttachmentSchema,
  v3CandidateMatchSchema,
  v3CreatedCandidateSchema,
} from './schemas.js';

interface Deps {
  http: GreenhouseHttp;
  base: string;
  /** `sub` of lookups and of writes when the integration names no acting user. */
  defaultSub: string;
}

/**
 * Permission (403: missing scope, or an acting user without access), validation (400/422) and unknown ids (404)
 * are final: `refused` with Greenhouse's own message. 429 and 5xx stay retryable; 401 was refreshed once already.
 */
export function failure(reply: GreenhouseReply, what: string): ProviderError {
  if ([400, 403, 404, 409, 422].includes(reply.status)) {
    return new ProviderError(errorMessage(reply), 'refused', reply.status);
  }
  return (
    commonError(reply, what) ??
    new ProviderError(`${what}: unexpected status ${reply.status}`, 'permanent', reply.status)
  );
}

export function parsed<S extends z.ZodType>(reply: HttpReply, schema: S, what: string): z.output<S> {
  const result = schema.safeParse(parseJsonBody(reply, what));
  if (!result.success)
    throw new ProviderError(`${what}: unexpected response shape`, 'permanent', reply.status);
  return result.data;
}

const sameEmail = (a: string | null | undefined, b: string) =>
  typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

const byId = (a: { id: string }, b: { id: string }) =>
  Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);

export function createGreenhouseSubmissions({ http, base, defaultSub }: Deps): SubmissionWriter {
  const sub = (attribution: SubmissionAttribution) => attribution.actingUserId ?? defaultSub;
  const url = (path: string, query: Record<string, string> = {}) => {
    const target = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    return target.toString();
  };

  /**
   * The rows of a filtered list that `keep` accepts, lowest id first (so every retry adopts the same one). The
   * first page is enough: one email or one candidate × job matches a handful of rows, never 500.
   */
  const matches = async <S extends z.ZodType<{ id: string }>>(
    lookup: { path: string; query: Record<string, string>; schema: S; what: string },
    keep: (row: z.output<S>) => boolean,
  ): Promise<z.output<S>[]> => {
    const reply = await http.v3('GET', url(lookup.path, { ...lookup.query, per_page: '500' }), {
      sub: defaultSub,
    });
    if (reply.status !== 200) throw failure(reply, lookup.what);
    return parseEach(parseJsonBody(reply, lookup.what), lookup.schema, lookup.what).filter(keep).sort(byId);
  };

  const create = async <S extends z.ZodType>(
    write: { path: string; schema: S; what: string },
    attribution: SubmissionAttribution,
    body: unknown,
  ): Promise<z.output<S>> => {
    const reply = await http.v3('POST', url(write.path), { sub: sub(attribution), body });
    if (reply.status !== 201 && reply.status !== 200) throw failure(reply, write.what);
    return parsed(reply, write.schema, write.what);
  };

  const application = (jobRemoteId: string, attribution: SubmissionAttribution) => ({
    job_id: numericId(jobRemoteId),
    ...(attribution.sourceId ? { source_id: numericId(attribution.sourceId) } : {}),
  });

  return {
    resumeMode: 'separate',

    async findCandidate({ email }) {
      const found = await matches(
        {
          path: '/v3/candidates',
          query: { email },
          schema: v3CandidateMatchSchema,
          what: 'greenhouse candidate search',
        },
        (c) => c.email_addresses?.some((e) => sameEmail(e?.value, email)) === true,
      );
      // Greenhouse matches any of the candidate's addresses; several matches are duplicates made elsewhere:
      // the lowest id that is not private wins (notes §1.5).
      return (found.find((c) => c.private !== true) ?? found[0])?.id ?? null;
    },

    async findApplication({ candidateRemoteId, jobRemoteId }) {
      const found = await matches(
        {
          path: '/v3/applications',
          query: { candidate_ids: candidateRemoteId, job_ids: jobRemoteId },
          schema: v3ApplicationSchema,
          what: 'greenhouse application lookup',
        },
        (a) => a.candidate_id === candidateRemoteId && a.job_id === jobRemoteId && a.prospect !== true,
      );
      return found[0]?.id ?? null;
    },

    async createCandidate({ person, jobRemoteId, attribution }) {
      const body = await create(
        { path: '/v3/candidates', schema: v3CreatedCandidateSchema, what: 'greenhouse create candidate' },
        attribution,
        {
          first_name: person.firstName,
          last_name: person.lastName,
          email_addresses: [{ value: person.email, type: 'personal' }],
          ...(person.phone ? { phone_numbers: [{ value: person.phone, type: 'mobile' }] } : {}),
          // The nested application makes the candidate an applicant on the job in the same call.
          application: application(jobRemoteId, attribution),
        },
      );
      return {
        candidateRemoteId: body.candidate.id,
        applicationRemoteId: body.application?.id ?? null,
        attachmentRemoteId: null,
      };
    },

    async createApplication({ candidateRemoteId, jobRemoteId, attribution }) {
      const created = await create(
        { path: '/v3/applications', schema: v3ApplicationSchema, what: 'greenhouse create application' },
        attribution,
        { candidate_id: numericId(candidateRemoteId), ...application(jobRemoteId, attribution) },
      );
      return { applicationRemoteId: created.id, attachmentRemoteId: null };
    },

    async findAttachment({ applicationRemoteId, fileName }) {
      // v3 attachments carry no size or checksum: the file name (unique per submission) is the match.
      const found = await matches(
        {
          path: '/v3/attachments',
          query: { application_ids: applicationRemoteId, type: 'resume' },
          schema: v3AttachmentSchema,
          what: 'greenhouse attachment lookup',
        },
        (a) => a.application_id === applicationRemoteId && a.type === 'resume' && a.filename === fileName,
      );
      return found[0]?.id ?? null;
    },

    async attachResume({ applicationRemoteId, file, attribution }) {
      // base64 `content`, never `url`: when Greenhouse fetches a URL is unverified (notes §1.7).
      const created = await create(
        { path: '/v3/attachments', schema: v3AttachmentSchema, what: 'greenhouse attach resume' },
        attribution,
        {
          application_id: numericId(applicationRemoteId),
          filename: file.fileName,
          type: 'resume',
          content: file.content.toString('base64'),
        },
      );
      return created.id;
    },
  };
}

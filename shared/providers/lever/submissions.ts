/**
 * Lever write-back (docs/write-back-notes.md §2): `POST /opportunities?perform_as=` with one posting creates the
 * contact (the hub's candidate) and its opportunity (the hub's application) in one call; Lever merges into an
 * existing contact by email (there is no documented `dedupe` parameter, so none is sent). A second posting is
 * the same call with `contact`. Resumes go to `POST /opportunities/{id}/files` (multipart, 30 MB), found again
 * on a retry by `name` + `size`. Lookups use `GET /opportunities?email=` (and `&posting_id=`), checked again
 * here because the filter's case handling is not documented.
 */
import type * as z from 'zod';
import type {
  CreatedCandidate,
  SubmissionAttribution,
  SubmissionPerson,
  SubmissionWriter,
} from '../../ports/provider.js';
import { type HttpReply, ProviderError, parseEach, parseJsonBody } from '../common/client-kit.js';
import {
  type LeverOpportunity,
  leverFileSchema,
  leverListSchema,
  leverOpportunitySchema,
  leverSingleSchema,
} from './schemas.js';

export type LeverRequest = (
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  query?: URLSearchParams,
  body?: unknown,
  options?: { forbiddenIsReply?: boolean },
) => Promise<HttpReply>;

/** Lever's documented file cap (secondary, Knit): refused before the upload is sent. */
export const LEVER_MAX_FILE_BYTES = 30 * 1024 * 1024;

/** Client-side answers Lever gives for a write it will never accept as sent: permission, validation, unknown ids. */
const REFUSED = new Set([400, 403, 404, 409, 413, 415, 422]);

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function createLeverSubmissions(
  request: LeverRequest,
  errorMessage: (reply: HttpReply) => string,
): SubmissionWriter {
  const fail = (reply: HttpReply, what: string): never => {
    if (REFUSED.has(reply.status)) {
      throw new ProviderError(`lever ${what}: ${errorMessage(reply)}`, 'refused', reply.status);
    }
    throw new ProviderError(`lever ${what}: unexpected status ${reply.status}`, 'permanent', reply.status);
  };

  /** Every row of a list endpoint, following `next` (an email rarely has more than one page). */
  const listAll = async <S extends z.ZodType>(path: string, filters: Record<string, string>, schema: S) => {
    const rows: z.output<S>[] = [];
    let offset: string | null = null;
    do {
      const query = new URLSearchParams({ ...filters, limit: '100' });
      if (offset) query.set('offset', offset);
      const reply = await request('GET', path, query);
      if (reply.status !== 200) fail(reply, path);
      const page = leverListSchema.safeParse(parseJsonBody(reply, `lever ${path}`));
      if (!page.success) throw new ProviderError(`lever ${path}: unexpected list envelope`, 'permanent', 200);
      rows.push(...parseEach(page.data.data, schema, `lever ${path}`));
      offset = page.data.hasNext && page.data.next ? page.data.next : null;
    } while (offset);
    return rows;
  };

  /** Opportunities carrying this email, oldest first, so every worker adopts the same one. */
  const opportunitiesOf = async (email: string, filters: Record<string, string> = {}) => {
    const rows = await listAll('/opportunities', { email, ...filters }, leverOpportunitySchema);
    return rows
      .filter((o) => (o.emails ?? []).some((e) => sameEmail(e, email)))
      .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
  };

  const performAs = (attribution: SubmissionAttribution): URLSearchParams => {
    // Required on every Lever write (secondary: lever-js CreateOpportunityQuery, Nango); without it Lever answers 400.
    if (!attribution.actingUserId) {
      throw new ProviderError('lever: write-back needs actingUserId (sent as perform_as)', 'refused');
    }
    return new URLSearchParams({ perform_as: attribution.actingUserId });
  };

  const createOpportunity = async (input: {
    person: SubmissionPerson;
    jobRemoteId: string;
    attribution: SubmissionAttribution;
    contact?: string;
  }): Promise<LeverOpportunity> => {
    const { person, attribution } = input;
    const body = {
      name: `${person.firstName} ${person.lastName}`.trim(),
      emails: [person.email],
      phones: person.phone ? [{ type: 'mobile', value: person.phone }] : [],
      // One posting per request (docs/write-back-notes.md §2.2).
      postings: [input.jobRemoteId],
      origin: 'applied',
      sources: attribution.sourceId ? [attribution.sourceId] : [],
      ...(input.contact ? { contact: input.contact } : {}),
    };
    const reply = await request('POST', '/opportunities', performAs(attribution), body, {
      forbiddenIsReply: true,
    });
    if (reply.status !== 200 && reply.status !== 201) fail(reply, 'create opportunity');
    const single = leverSingleSchema.safeParse(parseJsonBody(reply, 'lever create opportunity'));
    const parsed = single.success ? leverOpportunitySchema.safeParse(single.data.data) : null;
    if (!parsed?.success) throw new ProviderError('lever create opportunity: unexpected shape', 'permanent');
    return parsed.data;
  };

  return {
    resumeMode: 'separate',

    async findCandidate({ email }) {
      const [oldest] = await opportunitiesOf(email);
      return oldest?.contact ?? null;
    },

    async findApplication({ candidateRemoteId, jobRemoteId, email }) {
      const rows = await opportunitiesOf(email, { posting_id: jobRemoteId, expand: 'applications' });
      // An archived opportunity is a past application: a new submission gets its own (Lever allows both).
      const open = rows.filter(
        (o) =>
          o.contact === candidateRemoteId &&
          !o.archived &&
          (o.applications ?? []).some((a) => typeof a === 'object' && a.posting === jobRemoteId),
      );
      return open[0]?.id ?? null;
    },

    async createCandidate({ person, jobRemoteId, attribution }): Promise<CreatedCandidate> {
      const created = await createOpportunity({ person, jobRemoteId, attribution });
      return {
        candidateRemoteId: created.contact,
        applicationRemoteId: created.id,
        attachmentRemoteId: null,
      };
    },

    async createApplication({ candidateRemoteId, person, jobRemoteId, attribution }) {
      const created = await createOpportunity({
        person,
        jobRemoteId,
        attribution,
        contact: candidateRemoteId,
      });
      return { applicationRemoteId: created.id, attachmentRemoteId: null };
    },

    async findAttachment({ applicationRemoteId, fileName, sizeBytes }) {
      const path = `/opportunities/${encodeURIComponent(applicationRemoteId)}/files`;
      const files = await listAll(path, {}, leverFileSchema);
      return files.find((f) => f.name === fileName && f.size === sizeBytes)?.id ?? null;
    },

    async attachResume({ applicationRemoteId, file, attribution }) {
      if (file.content.length > LEVER_MAX_FILE_BYTES) {
        throw new ProviderError('lever: the resume exceeds the 30 MB file limit', 'refused', 413);
      }
      const form = new FormData();
      form.append('file', new Blob([file.content], { type: file.contentType }), file.fileName);
      const path = `/opportunities/${encodeURIComponent(applicationRemoteId)}/files`;
      const reply = await request('POST', path, performAs(attribution), form, { forbiddenIsReply: true });
      if (reply.status !== 200 && reply.status !== 201) fail(reply, 'upload file');
      const single = leverSingleSchema.safeParse(parseJsonBody(reply, 'lever upload file'));
      const parsed = single.success ? leverFileSchema.safeParse(single.data.data) : null;
      if (!parsed?.success) throw new ProviderError('lever upload file: unexpected shape', 'permanent');
      return parsed.data.id;
    },
  };
}

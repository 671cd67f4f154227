/**
 * Lever Data API client (docs/providers.md §3): `{data, next, hasNext}` pages with an opaque `offset` taken only from
 * `next`, `updated_at_start` (epoch ms) for incremental passes, `GET /opportunities/deleted` for deletions,
 * read-before-write guards on stage and archive writes. Never sleeps or retries by itself.
 */
import * as z from 'zod';
import {
  type CanonicalOf,
  decodePageToken,
  encodePageToken,
  errorForStatus,
  type HttpReply,
  httpCall,
  type ListPage,
  type ListPageRequest,
  observeRateLimit,
  type ProviderClient,
  type ProviderContext,
  ProviderError,
  parseEach,
  parseJsonBody,
  replyMessage,
  type SyncObjectType,
  type WriteResult,
} from '../common/client-kit.js';
import { LeverAuth } from './auth.js';
import { leverCapabilities } from './capabilities.js';
import { type LeverUser, leverAttachmentSchema, leverUserSchema } from './record-schemas.js';
import { createLeverRecordWriter } from './record-writer.js';
import { createRecordLister, isPerOpportunityType } from './records.js';
import {
  type LeverArchiveReason,
  type LeverOpportunity,
  type LeverStage,
  leverArchiveReasonSchema,
  leverDeletedSchema,
  leverErrorSchema,
  leverListSchema,
  leverOpportunitySchema,
  leverPostingSchema,
  leverSingleSchema,
  leverStageSchema,
} from './schemas.js';
import { parseLeverConfig } from './settings.js';
import { createLeverSubmissions, type LeverRequest } from './submissions.js';
import { stageIdOf, toApplication } from './to-application.js';
import { toAttachments, uniqueCandidates } from './to-candidate.js';
import { toJob } from './to-job.js';
import { toRejectionReason } from './to-rejection-reason.js';

const pageTokenSchema = z.object({
  phase: z.enum(['items', 'deleted']),
  offset: z.string().nullable(),
  passStartedAt: z.number(),
  since: z.number().nullable(),
});
type PageState = z.output<typeof pageTokenSchema>;
const cursorSchema = z.object({ updatedAtStart: z.number().int().nonnegative() });

function errorMessage(reply: HttpReply): string {
  return replyMessage(reply, (body) => {
    const parsed = leverErrorSchema.safeParse(body);
    return parsed.success ? parsed.data.message : null;
  });
}

export function createLeverClient(context: ProviderContext): ProviderClient {
  const { credentials, settings } = parseLeverConfig(context);
  const auth = new LeverAuth(context, credentials, settings);
  const base = settings.baseUrl.replace(/\/+$/, '');
  let stagesCache: Promise<LeverStage[]> | null = null;
  let reasonsCache: Promise<LeverArchiveReason[]> | null = null;
  let usersCache: Promise<LeverUser[]> | null = null;

  const request: LeverRequest = async (method, path, query, body, options = {}) => {
    const url = `${base}${path}${query && [...query.keys()].length > 0 ? `?${query.toString()}` : ''}`;
    const multipart = body instanceof FormData;
    const send = async (authorization: string) =>
      httpCall(context, {
        method,
        url,
        headers: {
          authorization,
          accept: 'application/json',
          ...(body === undefined || multipart ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined || multipart ? body : JSON.stringify(body),
        timeoutMs: settings.requestTimeoutMs,
      });
    // Lever documents no rate-limit headers (unverified); whatever standard ones appear are passed on.
    let reply = await send(await auth.authorization());
    let retryAfterSeconds = observeRateLimit(context, reply);
    if (reply.status === 401 && auth.usesOAuth) {
      reply = await send(await auth.authorization(true));
      retryAfterSeconds = observeRateLimit(context, reply);
    }
    if (reply.status === 401) throw new ProviderError('lever: credentials refused', 'auth', 401);
    if (reply.status === 429) {
      // Lever sends no Retry-After (unverified): tell the shared limiter to hold every caller for one second,
      // the time the token bucket takes to refill 10 requests (docs/providers.md §3.4), instead of each worker
      // retrying on its own backoff into an empty bucket.
      let retryAfter = retryAfterSeconds;
      if (retryAfter === undefined) {
        retryAfter = settings.rateLimitedBackoffSeconds;
        context.onRateLimit?.({ retryAfterSeconds: retryAfter });
      }
      throw new ProviderError('lever: rate limited', 'rate_limited', 429, retryAfter);
    }
    // 503 during maintenance: back off and retry later (confirmed).
    if (reply.status >= 500 || reply.status === 408) {
      throw errorForStatus(reply.status, `lever ${path}`, retryAfterSeconds);
    }
    // A write whose perform_as user lacks the permission is the caller's to answer (refused, not auth).
    if (reply.status === 403 && !options.forbiddenIsReply)
      throw new ProviderError(`lever ${path}: forbidden (scope)`, 'auth', 403);
    return reply;
  };

  const listPage = async (path: string, query: URLSearchParams) => {
    const reply = await request('GET', path, query);
    if (reply.status === 400 && query.has('offset')) {
      // An offset Lever no longer accepts: restart the pass.
      throw new ProviderError('lever: offset refused', 'cursor_expired', 400);
    }
    if (reply.status !== 200) throw errorForStatus(reply.status, `lever ${path}`);
    const parsed = leverListSchema.safeParse(parseJsonBody(reply, `lever ${path}`));
    if (!parsed.success) throw new ProviderError(`lever ${path}: unexpected list envelope`, 'permanent', 200);
    const { data, next, hasNext } = parsed.data;
    // Stop when hasNext is false; `next` is the opaque offset of the following page.
    return { data, next: hasNext && next ? next : null };
  };

  const readAll = async <S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>[]> => {
    const all: z.output<S>[] = [];
    let offset: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100' });
      if (offset) query.set('offset', offset);
      const page = await listPage(path, query);
      all.push(...parseEach(page.data, schema, `lever ${path}`));
      offset = page.next;
    } while (offset);
    return all;
  };

  const stages = () => {
    stagesCache ??= readAll('/stages', leverStageSchema).catch((error) => {
      stagesCache = null;
      throw error;
    });
    return stagesCache;
  };
  const archiveReasons = () => {
    reasonsCache ??= readAll('/archive_reasons', leverArchiveReasonSchema).catch((error) => {
      reasonsCache = null;
      throw error;
    });
    return reasonsCache;
  };
  const users = () => {
    usersCache ??= readAll('/users', leverUserSchema).catch((error) => {
      usersCache = null;
      throw error;
    });
    return usersCache;
  };
  const recordLister = createRecordLister({
    get: (path, query) => request('GET', path, query),
    listPage,
    stages,
    users,
    now: () => context.clock.now(),
  });
  /** Attachment metadata per opportunity: two reads each, so only with `candidateAttachments` on. */
  const attachmentsOf = async (opportunities: LeverOpportunity[]) => {
    const byOpportunity = new Map<string, ReturnType<typeof toAttachments>>();
    if (!settings.candidateAttachments) return undefined;
    for (const o of opportunities) {
      const resumes = await recordLister.subList(o.id, 'resumes', leverAttachmentSchema);
      const files = await recordLister.subList(o.id, 'files', leverAttachmentSchema);
      byOpportunity.set(o.id, toAttachments(o.id, resumes.items, files.items));
    }
    return byOpportunity;
  };

  const hiredReasonIds = async (): Promise<Set<string>> => {
    if (settings.hiredArchiveReasonIds.length > 0) return new Set(settings.hiredArchiveReasonIds);
    return new Set((await archiveReasons()).filter((r) => r.type === 'hired').map((r) => r.id));
  };

  const readOpportunity = async (id: string): Promise<LeverOpportunity | null> => {
    const reply = await request('GET', `/opportunities/${encodeURIComponent(id)}`);
    if (reply.status === 404) return null;
    if (reply.status !== 200) throw errorForStatus(reply.status, 'lever opportunity');
    const single = leverSingleSchema.safeParse(parseJsonBody(reply, 'lever opportunity'));
    const parsed = single.success ? leverOpportunitySchema.safeParse(single.data.data) : null;
    if (!parsed?.success) throw new ProviderError('lever opportunity: unexpected shape', 'permanent', 200);
    return parsed.data;
  };

  const write = async (path: string, body: unknown, actor?: string): Promise<WriteResult> => {
    const query = new URLSearchParams();
    if (settings.sendPerformAs && actor) query.set('perform_as', actor);
    const reply = await request('PUT', path, query, body);
    if (reply.status === 200 || reply.status === 201 || reply.status === 204) return { ok: true };
    if (reply.status === 400 || reply.status === 404 || reply.status === 409 || reply.status === 422) {
      return { ok: false, kind: 'refused', message: errorMessage(reply), status: reply.status };
    }
    throw errorForStatus(reply.status, `lever ${path}`);
  };

  const firstState = (objectType: SyncObjectType, request: ListPageRequest): PageState => {
    const passStartedAt = context.clock.now().getTime();
    let since: number | null = null;
    // Postings and archive reasons have no updated filter: always read in full.
    const filtered = objectType !== 'job' && objectType !== 'rejection_reason';
    if (request.mode === 'incremental' && request.cursor && filtered) {
      const cursor = cursorSchema.safeParse(request.cursor);
      if (!cursor.success)
        throw new ProviderError('lever: stored cursor is unreadable; run a full sync', 'sync_token_invalid');
      since = Math.max(0, cursor.data.updatedAtStart - settings.lookbackSeconds * 1000);
    }
    return { phase: 'items', offset: null, passStartedAt, since };
  };

  return {
    provider: 'lever',
    capabilities: leverCapabilities,
    submissions: createLeverSubmissions(request, errorMessage),
    records: createLeverRecordWriter({
      request,
      errorMessage,
      subList: recordLister.subList,
      defaultActingUserId: settings.actingUserId,
    }),

    async readRecords(objectType, parentRemoteId) {
      // Lever's interview webhooks carry ids only (docs/ats-record.md, "Lever"): the opportunity's list is read back.
      if (objectType === 'rejection_reason' || objectType === 'note')
        throw new ProviderError(`lever: no read-back of ${objectType}`, 'permanent');
      return recordLister.ofOpportunity(objectType, parentRemoteId);
    },

    async listPage<T extends SyncObjectType>(objectType: T, request: ListPageRequest): Promise<ListPage<T>> {
      const state = request.pageToken
        ? decodePageToken(request.pageToken, pageTokenSchema)
        : firstState(objectType, request);
      const limit = String(Math.min(request.pageSize ?? settings.pageSize, 100));
      const query = new URLSearchParams({ limit });
      if (state.offset) query.set('offset', state.offset);
      const done = (
        records: unknown[],
        raw: unknown[],
        deleted: string[],
        next: PageState | null,
      ): ListPage<T> => ({
        records: records as CanonicalOf<T>[],
        raw,
        deletedRemoteIds: deleted,
        nextPageToken: next ? encodePageToken(next) : null,
        nextCursor: next ? null : { updatedAtStart: state.passStartedAt },
      });

      if (state.phase === 'deleted') {
        if (state.since !== null) query.set(settings.deletedSinceParam, String(state.since));
        const page = await listPage(settings.deletedPath, query);
        const entries = parseEach(page.data, leverDeletedSchema, 'lever deleted opportunities');
        const ids = entries.map((e) => (e.id ?? e.opportunityId) as string);
        return done([], page.data, ids, page.next ? { ...state, offset: page.next } : null);
      }

      if (objectType === 'job') {
        // Postings are few and offer no documented updated filter: always read in full.
        const page = await listPage('/postings', query);
        const postings = parseEach(page.data, leverPostingSchema, 'lever postings');
        const pipeline = await stages();
        const jobs = postings.map((p) => toJob(p, pipeline));
        return done(jobs, page.data, [], page.next ? { ...state, offset: page.next } : null);
      }

      if (objectType === 'rejection_reason') {
        const page = await listPage('/archive_reasons', query);
        const reasons = parseEach(page.data, leverArchiveReasonSchema, 'lever archive reasons');
        return done(
          reasons.map(toRejectionReason),
          page.data,
          [],
          page.next ? { ...state, offset: page.next } : null,
        );
      }

      if (isPerOpportunityType(objectType)) {
        const perPage = Math.min(Number(limit), settings.recordOpportunitiesPerPage);
        const page = await recordLister.page(objectType, {
          limit: perPage,
          offset: state.offset,
          since: state.since,
        });
        const next = page.next ? { ...state, offset: page.next } : null;
        return done(page.records, page.raw, page.deletedRemoteIds, next);
      }

      query.append('expand', 'applications');
      query.append('expand', 'stage');
      if (state.since !== null) query.set('updated_at_start', String(state.since));
      const page = await listPage('/opportunities', query);
      const opportunities = parseEach(page.data, leverOpportunitySchema, 'lever opportunities');
      let records: CanonicalOf<'candidate' | 'application'>[];
      if (objectType === 'candidate') {
        records = uniqueCandidates(opportunities, await attachmentsOf(opportunities));
      } else {
        const anyArchived = opportunities.some((o) => o.archived);
        const context = {
          stageNames: new Map<string, string>(),
          hiredReasonIds: anyArchived ? await hiredReasonIds() : new Set<string>(),
          withdrawnReasonIds: new Set(settings.withdrawnArchiveReasonIds),
        };
        records = opportunities.map((o) => toApplication(o, context)).filter((a) => a !== null);
      }
      let next: PageState | null = page.next ? { ...state, offset: page.next } : null;
      if (!next && objectType === 'application' && state.since !== null && settings.deletedFeed) {
        next = { ...state, phase: 'deleted', offset: null };
      }
      return done(records, page.data, [], next);
    },

    async moveStage(stageWrite): Promise<WriteResult> {
      // No guard on the call: read the current stage first (docs/providers.md §3.6).
      const current = await readOpportunity(stageWrite.applicationRemoteId);
      if (!current) return { ok: false, kind: 'refused', message: 'opportunity not found', status: 404 };
      if (current.archived) return { ok: false, kind: 'refused', message: 'opportunity is archived' };
      const stage = stageIdOf(current);
      if (stage === stageWrite.toStageRemoteId) return { ok: true, detail: { alreadyInTargetStage: true } };
      if (stageWrite.fromStageRemoteId !== null && stage !== stageWrite.fromStageRemoteId) {
        return { ok: false, kind: 'refused', message: 'opportunity is no longer in the expected stage' };
      }
      return write(
        `/opportunities/${encodeURIComponent(stageWrite.applicationRemoteId)}/stage`,
        { stage: stageWrite.toStageRemoteId },
        stageWrite.actorRemoteId,
      );
    },

    async reject(rejectWrite): Promise<WriteResult> {
      const reason = rejectWrite.reasonRemoteId ?? settings.defaultArchiveReasonId ?? null;
      if (!reason) return { ok: false, kind: 'refused', message: 'Lever needs an archive reason to archive' };
      const current = await readOpportunity(rejectWrite.applicationRemoteId);
      if (!current) return { ok: false, kind: 'refused', message: 'opportunity not found', status: 404 };
      if (current.archived) return { ok: false, kind: 'refused', message: 'opportunity is already archived' };
      return write(`/opportunities/${encodeURIComponent(rejectWrite.applicationRemoteId)}/archived`, {
        reason,
      });
    },

    async hire(hireWrite: {
      applicationRemoteId: string;
      fromStageRemoteId: string | null;
    }): Promise<WriteResult> {
      const reason = settings.hiredArchiveReasonIds[0] ?? [...(await hiredReasonIds())][0];
      if (!reason)
        return {
          ok: false,
          kind: 'unsupported',
          message: 'no archive reason of type hired in this Lever account',
        };
      const current = await readOpportunity(hireWrite.applicationRemoteId);
      if (!current) return { ok: false, kind: 'refused', message: 'opportunity not found', status: 404 };
      if (current.archived) return { ok: false, kind: 'refused', message: 'opportunity is already archived' };
      if (hireWrite.fromStageRemoteId !== null && stageIdOf(current) !== hireWrite.fromStageRemoteId) {
        return { ok: false, kind: 'refused', message: 'opportunity is no longer in the expected stage' };
      }
      const body: Record<string, unknown> = { reason };
      if (settings.hireRequisitionId) body['requisitionId'] = settings.hireRequisitionId;
      return write(`/opportunities/${encodeURIComponent(hireWrite.applicationRemoteId)}/archived`, body);
    },
  };
}

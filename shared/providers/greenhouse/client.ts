/**
 * Greenhouse Harvest v3 client (docs/providers.md §2, docs/write-back-notes.md §1): reads, moves, reject, hire and
 * portal submissions; v1/v2 were removed on 30 August 2026 and are never called. A thin protocol
 * layer: it never sleeps or retries on 429 (the sync engine owns retries); it reports rate-limit headers and
 * maps failures to ProviderError kinds.
 */
import * as z from 'zod';
import type { RecordObjectType } from '../../domain/canonical.js';
import {
  assertSameOrigin,
  type CanonicalOf,
  decodePageToken,
  encodePageToken,
  errorForStatus,
  type ListPage,
  type ListPageRequest,
  numericId,
  objectNotOffered,
  type ProviderClient,
  type ProviderContext,
  ProviderError,
  parseEach,
  parseJsonBody,
  type SyncObjectType,
  type WriteResult,
} from '../common/client-kit.js';
import { parseLinkHeader } from '../common/link-header.js';
import { GreenhouseTokenSource } from './auth.js';
import { createBatchedList } from './batched-list.js';
import { greenhouseCapabilities } from './capabilities.js';
import { commonError, createGreenhouseHttp, errorMessage, type GreenhouseReply } from './http.js';
import { createGreenhousePrivacy } from './privacy.js';
import { createRecordLists, RECORD_FIRST_PARAMS, RECORD_PATHS } from './record-lists.js';
import { type CandidateAttachment, candidateAttachmentSchema } from './record-schemas.js';
import { createGreenhouseRecordWriter } from './record-writer.js';
import {
  type V3Application,
  type V3JobStage,
  v3ApplicationSchema,
  v3CandidateSchema,
  v3JobSchema,
  v3JobStageSchema,
} from './schemas.js';
import { parseGreenhouseConfig } from './settings.js';
import { createGreenhouseSubmissions } from './submissions.js';
import { toApplication } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { toJob } from './to-job.js';

const LIST_PATHS: Record<SyncObjectType, string> = {
  job: '/v3/jobs',
  candidate: '/v3/candidates',
  application: '/v3/applications',
  ...RECORD_PATHS,
};

/** Page token: the `Link rel="next"` URL exactly as given, plus when this pass started (the next cursor). */
const pageTokenSchema = z.object({ next: z.string().min(1), passStartedAt: z.string().min(1) });
/** Stored cursor: records updated at or after this instant (minus the lookback) are read next time. */
const cursorSchema = z.object({ updatedAfter: z.string().refine((v) => !Number.isNaN(Date.parse(v))) });

export { MAX_IDS_PER_FILTER } from './batched-list.js';

export function createGreenhouseClient(context: ProviderContext): ProviderClient {
  const { credentials, settings } = parseGreenhouseConfig(context);
  const tokens = new GreenhouseTokenSource(context, credentials, settings);
  const http = createGreenhouseHttp(context, credentials, settings, tokens);
  const base = settings.baseUrl.replace(/\/+$/, '');

  const listError = (reply: GreenhouseReply, what: string, followUp: boolean): ProviderError => {
    const common = commonError(reply, what);
    if (common) return common;
    // 422: a cursor sent with other parameters, an expired cursor, or per_page outside 1–500 (§2.4).
    if (reply.status === 422 && followUp) {
      return new ProviderError(`${what}: cursor refused (expired)`, 'cursor_expired', 422);
    }
    return errorForStatus(reply.status, what);
  };

  const getList = async <S extends z.ZodType>(url: string, schema: S, what: string, followUp: boolean) => {
    const reply = await http.v3('GET', url);
    if (reply.status !== 200) throw listError(reply, what, followUp);
    const records = parseEach(parseJsonBody(reply, what), schema, what);
    const next = parseLinkHeader(reply.headers.get('link'))['next'] ?? null;
    return { records, next };
  };

  const listByIds = createBatchedList(base, getList);
  const listRecords = createRecordLists(getList, listByIds);

  const fetchJobStages = async (jobIds: string[]): Promise<Map<string, V3JobStage[]>> => {
    const byJob = new Map<string, V3JobStage[]>();
    // Harvest v3's id-array filters take at most 50 ids (docs/providers.md §2.3): one paginated list per batch.
    const stages = await listByIds({
      path: settings.jobStagesPath,
      param: settings.jobStagesFilterParam,
      ids: jobIds,
      schema: v3JobStageSchema,
      what: 'greenhouse job stages',
    });
    for (const stage of stages) {
      if (!stage.job_id) continue;
      const list = byJob.get(stage.job_id) ?? [];
      list.push(stage);
      byJob.set(stage.job_id, list);
    }
    return byJob;
  };

  /** v3 keeps attachments apart from candidates: one batched `GET /v3/attachments` per page of candidates. */
  const fetchAttachments = async (candidateIds: string[]): Promise<Map<string, CandidateAttachment[]>> => {
    const byCandidate = new Map<string, CandidateAttachment[]>(candidateIds.map((id) => [id, []]));
    const rows = await listByIds({
      path: '/v3/attachments',
      param: 'candidate_ids',
      ids: candidateIds,
      schema: candidateAttachmentSchema,
      what: 'greenhouse attachments',
    });
    for (const row of rows) if (row.candidate_id) byCandidate.get(row.candidate_id)?.push(row);
    return byCandidate;
  };

  const firstUrl = (objectType: SyncObjectType, request: ListPageRequest): string => {
    const path = LIST_PATHS[objectType] ?? objectNotOffered('greenhouse', objectType);
    const url = new URL(`${base}${path}`);
    url.searchParams.set('per_page', String(Math.min(request.pageSize ?? settings.perPage, 500)));
    for (const [key, value] of Object.entries(RECORD_FIRST_PARAMS[objectType as RecordObjectType] ?? {})) {
      url.searchParams.set(key, value);
    }
    if (request.mode === 'incremental' && request.cursor) {
      const cursor = cursorSchema.safeParse(request.cursor);
      if (!cursor.success) {
        throw new ProviderError(
          'greenhouse: stored cursor is unreadable; run a full sync',
          'sync_token_invalid',
        );
      }
      // Never a created_at cursor: updated_at sees stage changes (§0.3). The lookback absorbs clock skew and
      // records committed late at the provider.
      const since = Date.parse(cursor.data.updatedAfter) - settings.lookbackSeconds * 1000;
      url.searchParams.set('updated_at', `gte|${new Date(since).toISOString()}`);
    }
    return url.toString();
  };

  const readApplication = async (applicationId: string, sub?: string): Promise<V3Application | null> => {
    const url = new URL(`${base}/v3/applications`);
    url.searchParams.set('ids', applicationId);
    const reply = await http.v3('GET', url.toString(), sub === undefined ? {} : { sub });
    if (reply.status !== 200) throw listError(reply, 'greenhouse application', false);
    const records = parseEach(
      parseJsonBody(reply, 'greenhouse application'),
      v3ApplicationSchema,
      'greenhouse application',
    );
    return records.find((r) => r.id === applicationId) ?? null;
  };

  const currentStageOf = (app: V3Application): string | null => app[settings.applicationStageIdField] ?? null;

  /** The Greenhouse user writes act as: the token's `sub` (v3 has no On-Behalf-Of header, notes §1.2). */
  const actingSub = settings.actingUserId ?? credentials.userId ?? '';

  /** A v3 write answering 204; refusals (403 permission or scope, 404, 422 guard) carry Greenhouse's message. */
  const v3Write = async (what: string, path: string, body: unknown): Promise<WriteResult> => {
    const reply = await http.v3('POST', `${base}${path}`, { sub: actingSub, body });
    if (reply.status === 200 || reply.status === 201 || reply.status === 204) return { ok: true };
    if (reply.status === 403 || reply.status === 404 || reply.status === 400 || reply.status === 422) {
      return { ok: false, kind: 'refused', message: errorMessage(reply), status: reply.status };
    }
    throw commonError(reply, `greenhouse ${what}`) ?? errorForStatus(reply.status, `greenhouse ${what}`);
  };

  const submissions = createGreenhouseSubmissions({ http, base, defaultSub: credentials.userId ?? '' });
  const records = createGreenhouseRecordWriter({
    http,
    base,
    defaultSub: credentials.userId ?? '',
    actingUserId: settings.actingUserId,
    getList,
    listByIds,
  });

  return {
    provider: 'greenhouse',
    capabilities: greenhouseCapabilities,
    submissions,
    records,
    privacy: createGreenhousePrivacy({ http, base }),

    async listPage<T extends SyncObjectType>(objectType: T, request: ListPageRequest): Promise<ListPage<T>> {
      let url: string;
      let passStartedAt: string;
      const followUp = request.pageToken !== null;
      if (request.pageToken !== null) {
        const token = decodePageToken(request.pageToken, pageTokenSchema);
        // Exactly the URL Greenhouse gave: cursor is its only query parameter (§2.2).
        assertSameOrigin(token.next, base);
        url = token.next;
        passStartedAt = token.passStartedAt;
      } else {
        url = firstUrl(objectType, request);
        passStartedAt = context.clock.now().toISOString();
      }

      const what = `greenhouse ${objectType} list`;
      let records: CanonicalOf<SyncObjectType>[];
      let raw: unknown[];
      let next: string | null;
      if (objectType === 'job') {
        const page = await getList(url, v3JobSchema, what, followUp);
        const stages = settings.fetchJobStages
          ? await fetchJobStages(page.records.map((j) => j.id))
          : new Map();
        records = page.records.map((job) => toJob(job, stages.get(job.id) ?? []));
        raw = page.records;
        next = page.next;
      } else if (objectType === 'candidate') {
        const page = await getList(url, v3CandidateSchema, what, followUp);
        const files = settings.fetchCandidateAttachments
          ? await fetchAttachments(page.records.map((c) => c.id))
          : null;
        records = page.records.map((c) => toCandidate(c, files?.get(c.id)));
        raw = page.records;
        next = page.next;
      } else if (objectType !== 'application') {
        const page = await listRecords(objectType as RecordObjectType, url, followUp);
        records = page.records;
        raw = page.raw;
        next = page.next;
      } else {
        const page = await getList(url, v3ApplicationSchema, what, followUp);
        const options = {
          stageIdField: settings.applicationStageIdField,
          withdrawnRejectionReasonIds: settings.withdrawnRejectionReasonIds,
        };
        records = page.records.map((a) => toApplication(a, options)).filter((a) => a !== null);
        raw = page.records;
        next = page.next;
      }

      return {
        records: records as CanonicalOf<T>[],
        raw,
        deletedRemoteIds: [],
        nextPageToken: next ? encodePageToken({ next, passStartedAt }) : null,
        nextCursor: next ? null : { updatedAfter: passStartedAt },
      };
    },

    async moveStage(write): Promise<WriteResult> {
      const sub = settings.actAsActorOnV3
        ? (write.actorRemoteId ?? credentials.userId ?? '')
        : (credentials.userId ?? '');
      let from = write.fromStageRemoteId;
      if (from === null) {
        const current = await readApplication(write.applicationRemoteId, sub);
        if (!current) return { ok: false, kind: 'refused', message: 'application not found', status: 404 };
        from = currentStageOf(current);
        if (from === null) return { ok: false, kind: 'refused', message: 'application has no current stage' };
      }
      const url = `${base}/v3/applications/${encodeURIComponent(write.applicationRemoteId)}/move`;
      const reply = await http.v3('POST', url, {
        sub,
        body: { from_stage_id: numericId(from), to_stage_id: numericId(write.toStageRemoteId) },
      });
      if (reply.status === 204 || reply.status === 200) return { ok: true };
      const common = commonError(reply, 'greenhouse move');
      if (common) throw common;
      if (reply.status === 404)
        return { ok: false, kind: 'refused', message: 'application not found', status: 404 };
      if (reply.status === 400 || reply.status === 409 || reply.status === 422) {
        // A replay of a move that already landed fails the guard: read before calling it a refusal (§2.6).
        const current = await readApplication(write.applicationRemoteId, sub);
        if (current && currentStageOf(current) === write.toStageRemoteId) {
          return { ok: true, detail: { alreadyInTargetStage: true } };
        }
        return { ok: false, kind: 'refused', message: errorMessage(reply), status: reply.status };
      }
      throw errorForStatus(reply.status, 'greenhouse move');
    },

    async reject(write): Promise<WriteResult> {
      // Greenhouse has no separate withdraw: a withdrawal is a rejection with a "they rejected us" reason.
      const reason =
        write.reasonRemoteId ??
        (write.withdrawn ? settings.withdrawnRejectionReasonIds[0] : undefined) ??
        settings.defaultRejectionReasonId;
      if (!reason) {
        return {
          ok: false,
          kind: 'unsupported',
          message: 'greenhouse v3 reject requires a rejection reason: set defaultRejectionReasonId',
        };
      }
      const body: Record<string, unknown> = { rejection_reason_id: numericId(reason) };
      if (write.note) body['notes'] = write.note;
      const result = await v3Write(
        'reject',
        `/v3/applications/${encodeURIComponent(write.applicationRemoteId)}/reject`,
        body,
      );
      return result.ok ? { ok: true, detail: { withdrawn: write.withdrawn } } : result;
    },

    async hire(write: {
      applicationRemoteId: string;
      fromStageRemoteId: string | null;
    }): Promise<WriteResult> {
      if (write.fromStageRemoteId !== null) {
        // v3 hire carries no stage guard: read the current stage first.
        const current = await readApplication(write.applicationRemoteId, actingSub);
        if (!current) return { ok: false, kind: 'refused', message: 'application not found', status: 404 };
        if (currentStageOf(current) !== write.fromStageRemoteId) {
          return { ok: false, kind: 'refused', message: 'application is no longer in the expected stage' };
        }
      }
      // start_date, opening_id and close_reason_id are optional while the job has one open opening (§1.4).
      return v3Write('hire', `/v3/applications/${encodeURIComponent(write.applicationRemoteId)}/hire`, {});
    },
  };
}

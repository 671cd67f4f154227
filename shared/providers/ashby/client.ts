/**
 * Ashby client (docs/providers.md §4): RPC `POST /<object>.<method>`, Basic API key, `cursor`/`nextCursor`/
 * `moreDataAvailable` pages, `syncToken` handed out on the last page only. Expired or refused sync tokens
 * (and `incremental_sync_too_large`) become `sync_token_invalid`, so the engine drops the token and runs a
 * full sync. Never sleeps or retries by itself. The record objects are listed by record-lists.ts, notes and tags
 * written by records.ts (docs/providers.md §4.6).
 */
import {
  basicAuth,
  type CanonicalOf,
  errorForStatus,
  httpCall,
  type ListPage,
  type ListPageRequest,
  type ProviderClient,
  type ProviderContext,
  ProviderError,
  parseEach,
  parseRetryAfter,
  type SyncObjectType,
  type WriteResult,
} from '../common/client-kit.js';
import { ashbyCapabilities } from './capabilities.js';
import { listError, pageBody, pageEnd } from './paging.js';
import { createAshbyRecordLists } from './record-lists.js';
import { createAshbyRecordWriter } from './records.js';
import {
  type AshbyApplication,
  type AshbyEnvelope,
  type AshbyStage,
  ashbyApplicationSchema,
  ashbyCandidateSchema,
  ashbyEnvelopeSchema,
  ashbyJobSchema,
  ashbyStageSchema,
} from './schemas.js';
import { parseAshbyConfig } from './settings.js';
import { createAshbySubmissions } from './submissions.js';
import { toApplication } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { toJob } from './to-job.js';

const LIST_METHODS: Partial<Record<SyncObjectType, string>> = {
  job: 'job.list',
  candidate: 'candidate.list',
  application: 'application.list',
};

/** Ashby's error code: `errorInfo.code`, or a known code among `errors` (secondary shapes). */
export function ashbyErrorCode(envelope: Pick<AshbyEnvelope, 'errors' | 'errorInfo'>): string | null {
  if (envelope.errorInfo?.code) return envelope.errorInfo.code;
  const first = (envelope.errors ?? []).find((e): e is string => typeof e === 'string');
  return first ?? null;
}

export type Rpc =
  | { ok: true; envelope: AshbyEnvelope }
  | { ok: false; code: string | null; status: number; message: string };

export interface RpcOptions {
  /** Return a 403 `missing_endpoint_permission` as a refusal (write-back: a final answer, not broken auth). */
  permissionAsRefusal?: boolean;
}
export type AshbyRpc = (method: string, body: Record<string, unknown>, options?: RpcOptions) => Promise<Rpc>;

export function createAshbyClient(context: ProviderContext): ProviderClient {
  const { credentials, settings } = parseAshbyConfig(context);
  const base = settings.baseUrl.replace(/\/+$/, '');
  const stageCache = new Map<string, Promise<AshbyStage[]>>();

  /** One RPC call. Throws for transport-level failures; returns Ashby's own refusals to the caller. */
  const rpc: AshbyRpc = async (method, body, options = {}) => {
    const reply = await httpCall(context, {
      method: 'POST',
      url: `${base}/${method}`,
      headers: {
        authorization: basicAuth(credentials.apiKey),
        accept: 'application/json; version=1',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
      timeoutMs: settings.requestTimeoutMs,
    });
    const retryAfter = parseRetryAfter(reply.headers.get('retry-after'), context.clock.now());
    if (retryAfter !== undefined) context.onRateLimit?.({ retryAfterSeconds: retryAfter });
    let envelope: AshbyEnvelope | null = null;
    try {
      const parsed = ashbyEnvelopeSchema.safeParse(JSON.parse(reply.text));
      if (parsed.success) envelope = parsed.data;
    } catch {
      envelope = null;
    }
    const code = envelope ? ashbyErrorCode(envelope) : null;
    if (reply.status === 429) {
      // A partner-wide throttle says so with X-RateLimit-Scope: integration-partner (confirmed).
      const scope = reply.headers.get('x-ratelimit-scope');
      throw new ProviderError(
        `ashby ${method}: rate limited${scope ? ` (scope ${scope})` : ''}`,
        'rate_limited',
        429,
        retryAfter,
      );
    }
    if (reply.status >= 500 || reply.status === 408)
      throw errorForStatus(reply.status, `ashby ${method}`, retryAfter);
    const message = (envelope?.errorInfo?.message ?? code ?? `status ${reply.status}`).slice(0, 300);
    if (reply.status === 403 && code === 'missing_endpoint_permission' && options.permissionAsRefusal)
      return { ok: false, code, status: reply.status, message };
    if (reply.status === 401 || reply.status === 403) {
      throw new ProviderError(
        `ashby ${method}: not authorised${code ? ` (${code})` : ''}`,
        'auth',
        reply.status,
      );
    }
    if (reply.status === 200 && envelope?.success) return { ok: true, envelope };
    if (!envelope)
      throw new ProviderError(
        `ashby ${method}: unexpected response (status ${reply.status})`,
        'permanent',
        reply.status,
      );
    return { ok: false, code, status: reply.status, message };
  };

  const stagesOfPlan = (planId: string): Promise<AshbyStage[]> => {
    let cached = stageCache.get(planId);
    if (!cached) {
      cached = (async () => {
        const stages: AshbyStage[] = [];
        let cursor: string | null = null;
        do {
          const result = await rpc('interviewStage.list', {
            interviewPlanId: planId,
            ...(cursor ? { cursor } : {}),
          });
          if (!result.ok) throw listError('interviewStage.list', result);
          stages.push(...parseEach(result.envelope.results, ashbyStageSchema, 'ashby interviewStage.list'));
          cursor = result.envelope.moreDataAvailable ? (result.envelope.nextCursor ?? null) : null;
        } while (cursor);
        return stages;
      })();
      cached.catch(() => stageCache.delete(planId));
      stageCache.set(planId, cached);
    }
    return cached;
  };

  const recordLists = createAshbyRecordLists(rpc, settings);

  const readApplication = async (applicationId: string): Promise<AshbyApplication | null> => {
    const result = await rpc('application.info', { applicationId });
    if (!result.ok) {
      if (result.code && /not_found/.test(result.code)) return null;
      throw new ProviderError(`ashby application.info: ${result.message}`, 'permanent', result.status);
    }
    const parsed = ashbyApplicationSchema.safeParse(result.envelope.results);
    if (!parsed.success)
      throw new ProviderError('ashby application.info: unexpected shape', 'permanent', 200);
    return parsed.data;
  };

  const changeStage = async (body: Record<string, unknown>): Promise<WriteResult> => {
    const result = await rpc('application.changeStage', body);
    if (result.ok) return { ok: true };
    return { ok: false, kind: 'refused', message: result.message, status: result.status };
  };

  return {
    provider: 'ashby',
    // notes only when the integration asks for them: a note pass costs one call per candidate
    capabilities: settings.candidateNotes
      ? { ...ashbyCapabilities, objects: [...ashbyCapabilities.objects, 'note'] }
      : ashbyCapabilities,

    async listPage<T extends SyncObjectType>(objectType: T, request: ListPageRequest): Promise<ListPage<T>> {
      const method = LIST_METHODS[objectType];
      if (!method) return recordLists.listPage(objectType, request);
      const incrementalAllowed = objectType !== 'job' || settings.jobIncremental;
      const { body, syncToken } = pageBody(request, settings.pageSize, incrementalAllowed);
      const result = await rpc(method, body);
      if (!result.ok) throw listError(method, result);
      const { results } = result.envelope;

      let records: CanonicalOf<SyncObjectType>[];
      if (objectType === 'job') {
        const jobs = parseEach(results, ashbyJobSchema, `ashby ${method}`);
        records = await Promise.all(
          jobs.map(async (job) =>
            toJob(
              job,
              settings.fetchJobStages && job.defaultInterviewPlanId
                ? await stagesOfPlan(job.defaultInterviewPlanId)
                : [],
            ),
          ),
        );
      } else if (objectType === 'candidate') {
        records = parseEach(results, ashbyCandidateSchema, `ashby ${method}`).map(toCandidate);
      } else {
        records = parseEach(results, ashbyApplicationSchema, `ashby ${method}`)
          .map(toApplication)
          .filter((a) => a !== null);
      }
      return {
        records: records as CanonicalOf<T>[],
        raw: Array.isArray(results) ? results : [],
        deletedRemoteIds: [],
        ...pageEnd(result.envelope, syncToken),
      };
    },

    async moveStage(write): Promise<WriteResult> {
      // No guard on the call: check the current stage with application.info first (docs/providers.md §4.5).
      const current = await readApplication(write.applicationRemoteId);
      if (!current) return { ok: false, kind: 'refused', message: 'application not found', status: 404 };
      if (current.status !== 'Active' && current.status !== 'Lead') {
        return { ok: false, kind: 'refused', message: `application is ${current.status ?? 'closed'}` };
      }
      const stageId = current.currentInterviewStage?.id ?? null;
      if (stageId === write.toStageRemoteId) return { ok: true, detail: { alreadyInTargetStage: true } };
      if (write.fromStageRemoteId !== null && stageId !== write.fromStageRemoteId) {
        return { ok: false, kind: 'refused', message: 'application is no longer in the expected stage' };
      }
      return changeStage({
        applicationId: write.applicationRemoteId,
        interviewStageId: write.toStageRemoteId,
      });
    },

    async reject(write): Promise<WriteResult> {
      const archiveReasonId = write.reasonRemoteId ?? settings.defaultArchiveReasonId ?? null;
      if (!archiveReasonId)
        return { ok: false, kind: 'refused', message: 'Ashby needs an archiveReasonId to archive' };
      const current = await readApplication(write.applicationRemoteId);
      if (!current) return { ok: false, kind: 'refused', message: 'application not found', status: 404 };
      if (current.status !== 'Active' && current.status !== 'Lead') {
        return { ok: false, kind: 'refused', message: `application is ${current.status ?? 'closed'}` };
      }
      let archivedStageId = settings.archivedStageId ?? null;
      const planId = current.currentInterviewStage?.interviewPlanId ?? null;
      if (!archivedStageId && planId) {
        archivedStageId = (await stagesOfPlan(planId)).find((s) => s.type === 'Archived')?.id ?? null;
      }
      if (!archivedStageId) {
        return {
          ok: false,
          kind: 'unsupported',
          message: 'no Archived-type stage known for this interview plan',
        };
      }
      return changeStage({
        applicationId: write.applicationRemoteId,
        interviewStageId: archivedStageId,
        archiveReasonId,
      });
    },

    submissions: createAshbySubmissions(context, rpc, settings),
    records: createAshbyRecordWriter(rpc),

    async hire(): Promise<WriteResult> {
      return {
        ok: false,
        kind: 'unsupported',
        message: 'Ashby hiring through the API is not supported by this adapter',
      };
    },
  };
}

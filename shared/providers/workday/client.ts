/**
 * Workday Recruiting SOAP client (docs/providers.md §5).
 *
 * How `listPage` maps the hub's objects onto Workday:
 * - `job` → `Get_Job_Requisitions` (requisitions carry the recruiting pipeline; postings are adverts of them).
 *   Passes are full unless `jobsUseTransactionLog` is set (unverified support of the criteria there).
 * - `candidate` and `application` → both `Get_Candidates`, because Workday nests job applications inside
 *   candidates. The candidate pass emits the candidates, the application pass the nested applications of the
 *   same pages; a ListPage holds one object type, so the two passes each read the candidate pages once.
 * - Paging: `Response_Filter{Page, Count, As_Of_Entry_DateTime}`, Page from 1; the As_Of time is chosen when a
 *   pass starts and travels in the page token, so every page reads the same snapshot (unverified, §5.2).
 *   `Response_Results{Total_Pages}` tells when the pass ends.
 * - Incremental: `Transaction_Log_Criteria_Data` with Updated and Effective ranges (see requests.ts) from the
 *   previous pass's As_Of time (minus `lookbackSeconds`) to this pass's As_Of time, which becomes the cursor.
 * - Deletions: rescinded job applications / candidates reported by the transaction log (transaction-log.ts).
 *
 * Writes: `Move_Candidate` with `Next_Step_Reference` (or `Recruiting_Stage_Reference`) for moves and
 * `Disposition_Step_Reference` for rejections. The guard is Workday's own: the business process only lets an
 * application move to a step that follows its current step, so a stale view of the current step comes back as
 * a validation fault, which is reported as a refused write with the step the application is in, read back
 * (current-step.ts), so a retried move whose first write landed is told from a stale one. Hire is not supported.
 *
 * The client never sleeps or retries: it raises ProviderError and the sync engine decides.
 */
import * as z from 'zod';
import type { CanonicalStage, SyncObjectType } from '../../domain/canonical.js';
import {
  type AnalyticsPushPayload,
  decodePageToken,
  encodePageToken,
  errorForStatus,
  httpCall,
  isoInstant,
  type ListPage,
  type ListPageRequest,
  objectNotOffered,
  observeRateLimit,
  type ProviderCapabilities,
  type ProviderClient,
  type ProviderContext,
  ProviderError,
  parseEach,
  type RejectWrite,
  type StageWrite,
  type WriteResult,
} from '../common/client-kit.js';
import type { XmlNode } from '../common/soap.js';
import { workdayCapabilities } from './capabilities.js';
import { currentStepOf } from './current-step.js';
import { candidatesResponseSchema, jobRequisitionsResponseSchema } from './parse.js';
import { anyIdOf } from './references.js';
import {
  getCandidatesRequest,
  getJobRequisitionsRequest,
  type ListRequest,
  type MoveTarget,
  moveCandidateRequest,
} from './requests.js';
import { candidateSchema, jobRequisitionSchema, moveCandidateResponseSchema } from './schemas.js';
import { parseWorkdayConfig, type WorkdaySettings } from './settings.js';
import { WorkdaySoap } from './soap-call.js';
import { WorkdaySubmissions } from './submissions.js';
import {
  type ApplicationMapping,
  applicationIdsOf,
  toApplications,
  WorkdayMappingError,
} from './to-application.js';
import { candidateRemoteId, toCandidate } from './to-candidate.js';
import { toJob } from './to-job.js';
import { isTargetOfRescind, logEntriesOf, rescindedTargetIds, targetIds } from './transaction-log.js';

export { resolveServiceUrl } from './soap-call.js';

/** Self-contained pass state carried from page to page. */
const pageTokenSchema = z.object({
  v: z.literal(1),
  object: z.enum(['job', 'candidate', 'application']),
  page: z.number().int().min(1),
  count: z.number().int().min(1).max(999),
  asOf: isoInstant,
  from: isoInstant.nullable(),
});
type PassState = z.output<typeof pageTokenSchema>;

/** Cursor stored after a complete pass: the As_Of time the pass read at. */
const cursorSchema = z.object({ updatedThrough: isoInstant });

export class WorkdayClient implements ProviderClient {
  readonly provider = 'workday' as const;
  readonly capabilities: ProviderCapabilities;
  private readonly settings: WorkdaySettings;
  private readonly soap: WorkdaySoap;
  readonly submissions: WorkdaySubmissions;

  constructor(private readonly context: ProviderContext) {
    const config = parseWorkdayConfig(context);
    this.settings = config.settings;
    this.soap = new WorkdaySoap(context, config.settings, config.credentials);
    this.submissions = new WorkdaySubmissions(this.soap, config.settings);
    this.capabilities = {
      ...workdayCapabilities,
      analyticsPush: this.settings.analyticsEndpoint !== undefined,
    };
  }

  async listPage<T extends SyncObjectType>(objectType: T, request: ListPageRequest): Promise<ListPage<T>> {
    if (objectType !== 'job' && objectType !== 'candidate' && objectType !== 'application')
      objectNotOffered('workday', objectType);
    const core = objectType as 'job' | 'candidate' | 'application';
    const pass = request.pageToken ? this.resumePass(core, request.pageToken) : this.startPass(core, request);
    const listRequest: ListRequest = {
      version: this.settings.apiVersion,
      page: pass.page,
      count: pass.count,
      asOfEntry: pass.asOf,
      window: pass.from ? { from: pass.from, through: pass.asOf } : null,
      transactionTypes: this.transactionTypes(),
      includeTransactionLogData: this.settings.includeTransactionLogData,
    };
    const page =
      objectType === 'job'
        ? await this.requisitionPage(listRequest)
        : await this.candidatePage(core as 'candidate' | 'application', listRequest);
    const lastPage = page.totalPages === 0 || pass.page >= page.totalPages;
    return {
      records: page.records,
      raw: page.raw,
      deletedRemoteIds: page.deletedRemoteIds,
      nextPageToken: lastPage ? null : encodePageToken<PassState>({ ...pass, page: pass.page + 1 }),
      nextCursor: lastPage ? { updatedThrough: pass.asOf } : null,
    } as ListPage<T>;
  }

  async moveStage(write: StageWrite): Promise<WriteResult> {
    if (write.fromStageRemoteId !== null && write.fromStageRemoteId === write.toStageRemoteId) {
      return { ok: false, kind: 'refused', message: 'the application is already in that step' };
    }
    const target: MoveTarget =
      this.settings.moveStageReference === 'Recruiting_Stage_Reference'
        ? { kind: 'Recruiting_Stage_Reference', recruitingStageId: write.toStageRemoteId }
        : { kind: 'Next_Step_Reference', workflowStepId: write.toStageRemoteId };
    const result = await this.moveCandidate(write.applicationRemoteId, target);
    if (result.ok || result.kind !== 'refused' || !write.candidateRemoteId) return result;
    const current = await currentStepOf(this.soap, this.settings.apiVersion, this.applicationMapping(), {
      candidateRemoteId: write.candidateRemoteId,
      applicationRemoteId: write.applicationRemoteId,
    });
    return { ...result, currentStageRemoteId: current };
  }

  async reject(write: RejectWrite): Promise<WriteResult> {
    const stepId = write.withdrawn
      ? (this.settings.withdrawStepId ?? this.settings.dispositionStepId)
      : this.settings.dispositionStepId;
    if (!stepId) {
      return { ok: false, kind: 'unsupported', message: 'workday reject needs settings.dispositionStepId' };
    }
    return this.moveCandidate(write.applicationRemoteId, {
      kind: 'Disposition_Step_Reference',
      workflowStepId: stepId,
      dispositionId: this.settings.sendDispositionReason ? write.reasonRemoteId : null,
    });
  }

  async hire(): Promise<WriteResult> {
    return {
      ok: false,
      kind: 'unsupported',
      message: 'workday hires run through the tenant hire business process, not the recruiting web service',
    };
  }

  /**
   * (unverified, customer-specific) POSTs the metrics as JSON to `settings.analyticsEndpoint` with the same
   * credentials (Basic `user@tenant` or the bearer token). Workday has no standard inbound analytics API.
   */
  async pushAnalytics(payload: AnalyticsPushPayload): Promise<WriteResult> {
    const url = this.settings.analyticsEndpoint;
    if (!url)
      return { ok: false, kind: 'unsupported', message: 'settings.analyticsEndpoint is not configured' };
    const reply = await httpCall(this.context, {
      method: 'POST',
      url,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: this.soap.httpAuthorization(),
      },
      body: JSON.stringify(payload),
      timeoutMs: this.settings.requestTimeoutMs,
    });
    const retryAfter = observeRateLimit(this.context, reply);
    if (reply.status >= 200 && reply.status < 300) return { ok: true, detail: { status: reply.status } };
    if (
      reply.status === 429 ||
      reply.status === 408 ||
      reply.status >= 500 ||
      reply.status === 401 ||
      reply.status === 403
    ) {
      throw errorForStatus(reply.status, 'workday analytics push', retryAfter);
    }
    return {
      ok: false,
      kind: 'refused',
      message: `analytics endpoint answered ${reply.status}`,
      status: reply.status,
    };
  }

  // ── passes ────────────────────────────────────────────────────────────────

  private startPass(objectType: 'job' | 'candidate' | 'application', request: ListPageRequest): PassState {
    const now = this.context.clock.now().getTime();
    const asOf = new Date(now - this.settings.asOfSkewSeconds * 1000);
    const count = Math.min(request.pageSize ?? this.settings.pageSize, this.settings.pageSize, 999);
    const incrementalAllowed = objectType !== 'job' || this.settings.jobsUseTransactionLog;
    let from: string | null = null;
    if (request.mode === 'incremental' && request.cursor && incrementalAllowed) {
      const cursor = cursorSchema.safeParse(request.cursor);
      if (!cursor.success)
        throw new ProviderError('workday cursor is unreadable; run a full sync', 'cursor_expired');
      const start = Date.parse(cursor.data.updatedThrough) - this.settings.lookbackSeconds * 1000;
      from = new Date(Math.min(start, asOf.getTime())).toISOString();
    }
    return { v: 1, object: objectType, page: 1, count: Math.max(1, count), asOf: asOf.toISOString(), from };
  }

  private resumePass(objectType: 'job' | 'candidate' | 'application', token: string): PassState {
    const pass = decodePageToken(token, pageTokenSchema);
    if (pass.object !== objectType)
      throw new ProviderError('page token belongs to another object type', 'permanent');
    return pass;
  }

  private transactionTypes(): ListRequest['transactionTypes'] {
    if (this.settings.transactionTypes.length === 0) return null;
    const ids = [...new Set([...this.settings.transactionTypes, ...this.settings.rescindAndCorrectionTypes])];
    return { idType: this.settings.transactionTypeIdType, ids };
  }

  private applicationMapping(): ApplicationMapping {
    return {
      stageIdSource:
        this.settings.moveStageReference === 'Recruiting_Stage_Reference'
          ? 'recruiting_stage'
          : 'workflow_step',
      hiredStageIds: this.settings.hiredStageIds,
      withdrawnDispositionIds: this.settings.withdrawnDispositionIds,
    };
  }

  private jobStages(): CanonicalStage[] {
    const byStage = this.settings.moveStageReference === 'Recruiting_Stage_Reference';
    return this.settings.workflowSteps.map((step, position) => ({
      remoteId: byStage ? (step.stageId ?? step.id) : step.id,
      name: step.name,
      position,
    }));
  }

  private async requisitionPage(request: ListRequest) {
    const { results, items } = await this.readList(
      'Get_Job_Requisitions',
      getJobRequisitionsRequest(request),
      jobRequisitionsResponseSchema,
    );
    const stages = this.jobStages();
    const requisitions = parseEach(items, jobRequisitionSchema, 'Get_Job_Requisitions');
    const records = requisitions.map((requisition) => this.mapped(() => toJob(requisition, stages)));
    return { records, raw: items, deletedRemoteIds: [] as string[], totalPages: results.Total_Pages };
  }

  private async candidatePage(objectType: 'candidate' | 'application', request: ListRequest) {
    const { results, items } = await this.readList(
      'Get_Candidates',
      getCandidatesRequest(request),
      candidatesResponseSchema,
    );
    const mapping = this.applicationMapping();
    const records: unknown[] = [];
    const deleted = new Set<string>();
    for (const candidate of parseEach(items, candidateSchema, 'Get_Candidates')) {
      const entries = logEntriesOf(candidate);
      if (objectType === 'candidate') {
        const mapped = this.mapped(() => toCandidate(candidate));
        const id = candidateRemoteId(candidate);
        if (mapped) records.push(mapped);
        else if (id && isTargetOfRescind(entries, 'Candidate_ID', id)) deleted.add(id);
        continue;
      }
      records.push(...this.mapped(() => toApplications(candidate, mapping)));
      const live = applicationIdsOf(candidate);
      for (const id of rescindedTargetIds(entries, 'Job_Application_ID')) if (!live.has(id)) deleted.add(id);
      // A candidate whose creation was rescinded takes every application its log mentions with it.
      const candidateId = candidateRemoteId(candidate);
      if (
        !candidate.Candidate_Data &&
        candidateId &&
        isTargetOfRescind(entries, 'Candidate_ID', candidateId)
      ) {
        for (const id of targetIds(entries, 'Job_Application_ID')) deleted.add(id);
      }
    }
    return { records, raw: items, deletedRemoteIds: [...deleted], totalPages: results.Total_Pages };
  }

  private mapped<R>(map: () => R): R {
    try {
      return map();
    } catch (error) {
      if (error instanceof WorkdayMappingError)
        throw new ProviderError(`workday: ${error.message}`, 'permanent');
      throw error;
    }
  }

  /** A read of `operation`; its `<operation>_Response` element through `schema`. */
  private readList<S extends z.ZodType>(operation: string, body: XmlNode, schema: S): Promise<z.output<S>> {
    // A read the ISU may not make needs the tenant's security fixed, as bad credentials do.
    return this.soap.callFor(operation, body, schema, (fault) =>
      fault.kind === 'permission' ? 'auth' : 'permanent',
    );
  }

  private async moveCandidate(jobApplicationId: string, target: MoveTarget): Promise<WriteResult> {
    const outcome = await this.soap.call(
      'Move_Candidate',
      moveCandidateRequest(this.settings.apiVersion, jobApplicationId, target),
    );
    if (!outcome.ok) return { ok: false, kind: 'refused', message: outcome.message, status: outcome.status };
    const response = moveCandidateResponseSchema.safeParse(outcome.body['Move_Candidate_Response']);
    const eventId = response.success ? anyIdOf(response.data.Event_Reference) : null;
    return { ok: true, detail: eventId ? { eventId } : {} };
  }
}

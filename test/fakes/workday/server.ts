// Over 400 lines: the fake's SOAP operations share one envelope parser and one set of fault rules; one section per operation.
/**
 * A Workday Recruiting web service fake (docs/providers.md §5 and the §9 checklist), over loopback HTTP:
 * - SOAP at `/ccx/service/{tenant}/Recruiting/v{NN}`; WS-Security `UsernameToken` `user@tenant` or a bearer
 *   token; a SOAP fault (`Client.authenticationError`) on bad credentials;
 * - `Get_Candidates` and `Get_Job_Requisitions` with `Response_Filter{Page ≥ 1, Count ≤ 999,
 *   As_Of_Entry_DateTime}` → `Response_Results{Total_Results, Total_Pages, Page_Results, Page}`; page 0 and
 *   out-of-range counts are validation faults; a fixed As_Of time reads one stable snapshot;
 * - `Transaction_Log_Criteria_Data` (Updated and Effective ranges, types; instances are alternatives) with
 *   future-dated changes, rescinds and corrections, and `Include_Transaction_Log_Data`;
 * - `Move_Candidate` with `Next_Step_Reference`, `Recruiting_Stage_Reference` or `Disposition_Step_Reference`
 *   (`Workflow_Step_ID`): only forward moves of open applications are valid (the write guard);
 * - configurable throttling (no public numbers: status and window are settings); no webhooks;
 * - a customer-specific JSON analytics endpoint (unverified: no such Workday API is documented).
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeServerControls, FakeServerOptions } from '../common/fake-server.js';
import { createControllableClock, startFakeServer } from '../common/fake-server.js';
import { createFixedWindowThrottle, type ThrottleConfig } from '../common/fixed-window-throttle.js';
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import {
  isNode,
  type Node,
  readRequest,
  referenceIds,
  soapFault,
  soapResponse,
  text,
  typedId,
  WD_NS,
} from './soap.js';
import {
  type AsOf,
  type CandidateView,
  createWorkdayState,
  DEFAULT_WORKFLOW,
  type FakeCandidate,
  type LogCriterion,
  type RequisitionView,
  type Txn,
  type WorkdayState,
  type WorkflowStep,
} from './state.js';
import {
  createWorkdaySubmissions,
  type WorkdaySubmissionOptions,
  type WorkdaySubmissionsFake,
} from './submissions.js';

export interface WorkdayFakeOptions extends FakeServerOptions {
  /** Number of candidates generated (10,000 is cheap). Default 25. */
  candidates?: number;
  requisitions?: number;
  tenant?: string;
  /** ISU name without the tenant suffix; requests must send `username@tenant`. */
  username?: string;
  password?: string;
  /** Bearer tokens accepted instead of WS-Security. */
  accessTokens?: string[];
  start?: Date | number;
  throttle?: ThrottleConfig | null;
  /** Status of a throttled answer (Workday publishes none; default 429) and whether to send Retry-After. */
  throttleStatus?: number;
  throttleRetryAfter?: boolean;
  workflow?: WorkflowStep[];
  dispositionedShare?: number;
  /** `Count` when the request has none (default 100) and the largest accepted (default 999). */
  defaultCount?: number;
  maxCount?: number;
  analyticsPath?: string;
  submissions?: WorkdaySubmissionOptions;
}

export interface OperationRecord {
  at: string;
  operation: string;
  auth: 'ws-security' | 'bearer' | 'none';
  /** The `user@tenant` sent (never the password). */
  username?: string;
  page?: number;
  count?: number;
  asOfEntry?: string;
  criteria?: LogCriterion[] | null;
  outcome: 'ok' | 'fault' | 'throttled';
  fault?: string;
}

export interface WorkdayFake extends FakeServerControls {
  /** Origin of the fake (`http://127.0.0.1:port`). */
  url: string;
  /** Full SOAP endpoint for the default version (v42.1). */
  serviceUrl: string;
  analyticsUrl: string;
  tenant: string;
  username: string;
  password: string;
  clock: ControllableClock;
  state: WorkdayState;
  /** Write-back: attachments, credited sources, denials (submissions.ts). */
  submissions: WorkdaySubmissionsFake;
  /** Every SOAP operation, with the paging and criteria it asked for. */
  operations: OperationRecord[];
  analyticsPushes: { body: unknown; auth: 'basic' | 'bearer' }[];
  setThrottle(config: ThrottleConfig | null): void;
  throttledCount(): number;
}

const DAY_MS = 86_400_000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function date(ms: number): string {
  return iso(ms).slice(0, 10);
}

function parseMoment(value: string | undefined): number | undefined | 'invalid' {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 'invalid' : ms;
}

export async function startWorkdayFake(options: WorkdayFakeOptions = {}): Promise<WorkdayFake> {
  const tenant = options.tenant ?? 'acme';
  const username = options.username ?? 'isu_hub';
  const password = options.password ?? 'fake-password';
  const accessTokens = new Set(options.accessTokens ?? []);
  const clock = options.clock ?? createControllableClock(options.start);
  const workflow = options.workflow ?? DEFAULT_WORKFLOW;
  const state = createWorkdayState(
    {
      seed: options.seed ?? 1,
      candidates: options.candidates ?? 25,
      requisitions: options.requisitions ?? 5,
      workflow,
      dispositionedShare: options.dispositionedShare ?? 0.1,
    },
    clock,
  );
  const throttle = createFixedWindowThrottle(options.throttle ?? null, () => clock.nowMs());
  const throttleStatus = options.throttleStatus ?? 429;
  const throttleRetryAfter = options.throttleRetryAfter ?? true;
  const defaultCount = options.defaultCount ?? 100;
  const maxCount = options.maxCount ?? 999;
  const analyticsPath = options.analyticsPath ?? '/custom/analytics';
  const operations: OperationRecord[] = [];
  const submissions = createWorkdaySubmissions(state, options.submissions);
  const analyticsPushes: WorkdayFake['analyticsPushes'] = [];
  const servicePath = /^\/ccx\/service\/([^/]+)\/Recruiting\/(v\d+(?:\.\d+)?)$/;

  // ── Get_* helpers ─────────────────────────────────────────────────────────

  interface ListQuery {
    page: number;
    count: number;
    asOf: AsOf;
    criteria: LogCriterion[] | null;
    includeLog: boolean;
  }

  function readListQuery(payload: Node, record: OperationRecord): ListQuery | FakeResponse {
    const filter = isNode(payload['Response_Filter']) ? payload['Response_Filter'] : {};
    const pageText = text(filter['Page']);
    const countText = text(filter['Count']);
    const page = pageText === undefined ? 1 : /^-?\d+$/.test(pageText.trim()) ? Number(pageText) : Number.NaN;
    const count =
      countText === undefined
        ? defaultCount
        : /^-?\d+$/.test(countText.trim())
          ? Number(countText)
          : Number.NaN;
    if (!Number.isInteger(page) || page < 1) {
      return soapFault(
        'validation',
        `Invalid Page value '${pageText ?? ''}': Page must be 1 or greater`,
        'Response_Filter/Page',
      );
    }
    if (!Number.isInteger(count) || count < 1 || count > maxCount) {
      return soapFault(
        'validation',
        `Invalid Count value '${countText ?? ''}': Count must be between 1 and ${maxCount}`,
        'Response_Filter/Count',
      );
    }
    const asOfEntry = parseMoment(text(filter['As_Of_Entry_DateTime']));
    if (asOfEntry === 'invalid')
      return soapFault('validation', 'Invalid As_Of_Entry_DateTime', 'Response_Filter/As_Of_Entry_DateTime');
    const entryMs = asOfEntry ?? clock.nowMs();
    const effectiveDate = text(filter['As_Of_Effective_Date']);
    let effectiveMs = entryMs;
    if (effectiveDate !== undefined) {
      const day = Date.parse(`${effectiveDate.slice(0, 10)}T00:00:00Z`);
      if (Number.isNaN(day))
        return soapFault(
          'validation',
          'Invalid As_Of_Effective_Date',
          'Response_Filter/As_Of_Effective_Date',
        );
      effectiveMs = day + DAY_MS - 1;
    }
    const requestCriteria = isNode(payload['Request_Criteria']) ? payload['Request_Criteria'] : {};
    const rawCriteria = Array.isArray(requestCriteria['Transaction_Log_Criteria_Data'])
      ? (requestCriteria['Transaction_Log_Criteria_Data'] as unknown[])
      : null;
    let criteria: LogCriterion[] | null = null;
    if (rawCriteria) {
      criteria = [];
      for (const raw of rawCriteria) {
        const node = isNode(raw) ? raw : {};
        const range = isNode(node['Transaction_Date_Range_Data']) ? node['Transaction_Date_Range_Data'] : {};
        const bounds: Record<string, number | undefined> = {};
        for (const name of ['Updated_From', 'Updated_Through', 'Effective_From', 'Effective_Through']) {
          const value = parseMoment(text(range[name]));
          if (value === 'invalid')
            return soapFault('validation', `Invalid ${name}`, `Transaction_Date_Range_Data/${name}`);
          bounds[name] = value;
        }
        const typeRefs = isNode(node['Transaction_Type_References'])
          ? node['Transaction_Type_References']
          : {};
        const references = Array.isArray(typeRefs['Transaction_Type_Reference'])
          ? typeRefs['Transaction_Type_Reference']
          : [];
        const types = references.flatMap((reference) => referenceIds(reference).map((id) => id.value));
        criteria.push({
          updatedFrom: bounds['Updated_From'],
          updatedThrough: bounds['Updated_Through'],
          effectiveFrom: bounds['Effective_From'],
          effectiveThrough: bounds['Effective_Through'],
          types,
        });
      }
    }
    const group = isNode(payload['Response_Group']) ? payload['Response_Group'] : {};
    const includeLog = ['true', '1'].includes(text(group['Include_Transaction_Log_Data']) ?? '');
    Object.assign(record, { page, count, asOfEntry: iso(entryMs), criteria });
    return { page, count, asOf: { entryMs, effectiveMs }, criteria, includeLog };
  }

  function responseResults(total: number, query: ListQuery, pageResults: number): Node {
    return {
      'wd:Total_Results': String(total),
      'wd:Total_Pages': String(Math.ceil(total / query.count)),
      'wd:Page_Results': String(pageResults),
      'wd:Page': String(query.page),
    };
  }

  function reference(descriptor: string | undefined, ids: [string, string][]): Node {
    return {
      ...(descriptor ? { '@_wd:Descriptor': descriptor } : {}),
      'wd:ID': ids.map(([type, value]) => typedId(type, value)),
    };
  }

  function logElement(txns: readonly Txn[], asOf: AsOf): Node {
    return {
      'wd:Transaction_Log_Entry': state
        .logEntries(txns, asOf)
        .map(({ txn, rescindFlag, correctionFlag }) => ({
          'wd:Transaction_Log_Reference': reference(`${txn.type}: ${txn.target.id}`, [['WID', txn.wid]]),
          'wd:Transaction_Log_Data': {
            'wd:Transaction_Log_Description': `${txn.type}: ${txn.target.id}`,
            'wd:Transaction_Effective_Moment': iso(txn.effectiveMs),
            'wd:Transaction_Entry_Moment': iso(txn.entryMs),
            'wd:Transaction_Log_Type_Reference': reference(txn.type, [['Business_Process_Type', txn.type]]),
            'wd:Transaction_Target_Reference': reference(undefined, [[txn.target.type, txn.target.id]]),
            'wd:Is_Rescind_Or_Rescinded': rescindFlag ? '1' : '0',
            'wd:Is_Correction_Or_Corrected': correctionFlag ? '1' : '0',
          },
        })),
    };
  }

  const stepById = new Map(workflow.map((step, index) => [step.id, { step, index }]));
  const requisitionTitle = new Map(state.requisitions.map((r) => [r.id, r.title]));

  function candidateElement(candidate: FakeCandidate, view: CandidateView | null, query: ListQuery): Node {
    const element: Node = {
      'wd:Candidate_Reference': reference(view ? `${view.firstName} ${view.lastName}` : undefined, [
        ['WID', candidate.wid],
        ['Candidate_ID', candidate.id],
      ]),
    };
    if (view) {
      element['wd:Candidate_Data'] = {
        'wd:Candidate_ID': view.id,
        'wd:Name_Data': {
          'wd:Legal_Name': {
            'wd:Name_Detail_Data': { 'wd:First_Name': view.firstName, 'wd:Last_Name': view.lastName },
          },
        },
        'wd:Contact_Data': { 'wd:Phone_Number': view.phone, 'wd:Email_Address': view.email },
        'wd:Status_Data': { 'wd:Withdrawn': '0', 'wd:Do_Not_Hire': '0' },
        'wd:Job_Application_Data': view.applications.map((application) => {
          const step = stepById.get(application.stepId)?.step;
          const applied: Node = {
            'wd:Job_Application_ID': application.id,
            'wd:Job_Requisition_Reference': reference(requisitionTitle.get(application.requisitionId), [
              ['Job_Requisition_ID', application.requisitionId],
            ]),
            'wd:Job_Application_Date': date(application.appliedMs),
            'wd:Stage_Reference': reference(step?.name, [
              ['Recruiting_Stage_ID', step?.stageId ?? application.stepId],
            ]),
            'wd:Workflow_Step_Reference': reference(step?.name, [['Workflow_Step_ID', application.stepId]]),
          };
          if (application.dispositionId) {
            applied['wd:Disposition_Reference'] = reference(application.dispositionId.replace(/_/g, ' '), [
              ['Disposition_ID', application.dispositionId],
            ]);
          }
          applied['wd:Status_Timestamp'] = iso(application.statusMs);
          applied['wd:Source_Reference'] = reference('Career Site', [
            ['Applicant_Source_ID', application.source],
          ]);
          return {
            'wd:Job_Application_Reference': reference(undefined, [
              ['WID', application.wid],
              ['Job_Application_ID', application.id],
            ]),
            'wd:Job_Applied_To_Data': applied,
          };
        }),
      };
    }
    if (query.includeLog) element['wd:Transaction_Log_Entry_Data'] = logElement(candidate.txns, query.asOf);
    return element;
  }

  function getCandidates(payload: Node, record: OperationRecord): FakeResponse {
    const query = readListQuery(payload, record);
    if ('status' in query) return query;
    const selected: { candidate: FakeCandidate; view: CandidateView | null }[] = [];
    for (const candidate of state.candidates) {
      if (query.criteria && !state.selectedByLog(candidate.txns, query.criteria, query.asOf)) continue;
      const view = state.candidateView(candidate, query.asOf);
      // Without criteria only existing candidates are listed; with criteria a rescinded one still comes back
      // (reference and log only) so the rescind can be seen (the fake's reading; unverified).
      if (!view && !query.criteria) continue;
      selected.push({ candidate, view });
    }
    const slice = selected.slice((query.page - 1) * query.count, query.page * query.count);
    return soapResponse({
      'wd:Get_Candidates_Response': {
        '@_xmlns:wd': WD_NS,
        '@_wd:version': 'v42.1',
        'wd:Response_Filter': {
          'wd:As_Of_Entry_DateTime': iso(query.asOf.entryMs),
          'wd:Page': String(query.page),
          'wd:Count': String(query.count),
        },
        'wd:Response_Results': responseResults(selected.length, query, slice.length),
        'wd:Response_Data': {
          'wd:Candidate': slice.map(({ candidate, view }) => candidateElement(candidate, view, query)),
        },
      },
    });
  }

  function requisitionElement(view: RequisitionView): Node {
    return {
      'wd:Job_Requisition_Reference': reference(view.title, [
        ['WID', view.wid],
        ['Job_Requisition_ID', view.id],
      ]),
      'wd:Job_Requisition_Data': {
        'wd:Job_Requisition_ID': view.id,
        'wd:Job_Requisition_Status_Reference': reference(view.status, [
          ['Job_Requisition_Status_ID', view.status],
        ]),
        'wd:Job_Requisition_Detail_Data': {
          'wd:Job_Posting_Title': view.title,
          ...(view.description === null ? {} : { 'wd:Job_Description': view.description }),
          ...(view.location === null
            ? {}
            : {
                'wd:Primary_Location_Reference': reference(view.location.name, [
                  ['Location_ID', view.location.id],
                ]),
              }),
          'wd:Worker_Type_Reference': reference(view.workerType.replace('_', ' '), [
            ['Worker_Type_ID', view.workerType],
          ]),
          'wd:Time_Type_Reference': reference(view.timeType.replace('_', ' '), [
            ['Position_Time_Type_ID', view.timeType],
          ]),
        },
      },
    };
  }

  function getJobRequisitions(payload: Node, record: OperationRecord): FakeResponse {
    const query = readListQuery(payload, record);
    if ('status' in query) return query;
    const selected: RequisitionView[] = [];
    for (const requisition of state.requisitions) {
      if (query.criteria && !state.selectedByLog(requisition.txns, query.criteria, query.asOf)) continue;
      const view = state.requisitionView(requisition, query.asOf);
      if (view) selected.push(view);
    }
    const slice = selected.slice((query.page - 1) * query.count, query.page * query.count);
    return soapResponse({
      'wd:Get_Job_Requisitions_Response': {
        '@_xmlns:wd': WD_NS,
        '@_wd:version': 'v42.1',
        'wd:Response_Results': responseResults(selected.length, query, slice.length),
        'wd:Response_Data': { 'wd:Job_Requisition': slice.map(requisitionElement) },
      },
    });
  }

  // ── Move_Candidate ────────────────────────────────────────────────────────

  function moveCandidate(payload: Node): FakeResponse {
    const data = isNode(payload['Move_Candidate_Data']) ? payload['Move_Candidate_Data'] : {};
    const applicationId = referenceIds(data['Job_Application_Reference']).find(
      (id) => id.type === 'Job_Application_ID',
    )?.value;
    const application = applicationId ? state.application(applicationId) : null;
    if (!applicationId || !application) {
      return soapFault(
        'validation',
        `Invalid ID value. '${applicationId ?? ''}' is not a valid ID value for type = 'Job_Application_ID'`,
        'Move_Candidate_Data/Job_Application_Reference',
      );
    }
    if (application.dispositionId) {
      return soapFault(
        'validation',
        `Job application ${applicationId} is already dispositioned`,
        'Move_Candidate_Data',
      );
    }
    const dispositionStep = referenceIds(data['Disposition_Step_Reference']).find(
      (id) => id.type === 'Workflow_Step_ID',
    )?.value;
    if (dispositionStep !== undefined) {
      const step = state.dispositionSteps.find((s) => s.id === dispositionStep);
      if (!step) {
        return soapFault(
          'validation',
          `'${dispositionStep}' is not a valid disposition step`,
          'Move_Candidate_Data/Disposition_Step_Reference',
        );
      }
      const reason =
        referenceIds(data['Disposition_Reference']).find((id) => id.type === 'Disposition_ID')?.value ??
        step.defaultDispositionId;
      const { wid } = state.dispositionApplication(applicationId, reason, step.id);
      return moved(applicationId, wid);
    }
    const nextStepId = referenceIds(data['Next_Step_Reference']).find(
      (id) => id.type === 'Workflow_Step_ID',
    )?.value;
    const stageId = referenceIds(data['Recruiting_Stage_Reference']).find(
      (id) => id.type === 'Recruiting_Stage_ID',
    )?.value;
    const target = nextStepId
      ? stepById.get(nextStepId)
      : stageId
        ? [...stepById.values()].find((entry) => entry.step.stageId === stageId)
        : undefined;
    if (!nextStepId && !stageId) {
      return soapFault(
        'validation',
        'Move_Candidate_Data needs a Next_Step_Reference or Disposition_Step_Reference',
        'Move_Candidate_Data',
      );
    }
    const current = stepById.get(application.stepId);
    if (!target || !current || target.index <= current.index) {
      return soapFault(
        'validation',
        `'${nextStepId ?? stageId}' is not a valid next step for job application ${applicationId} in step '${application.stepId}'`,
        'Move_Candidate_Data/Next_Step_Reference',
      );
    }
    const { wid } = state.moveApplication(applicationId, target.step.id);
    return moved(applicationId, wid);
  }

  function moved(applicationId: string, eventWid: string): FakeResponse {
    return soapResponse({
      'wd:Move_Candidate_Response': {
        '@_xmlns:wd': WD_NS,
        '@_wd:version': 'v42.1',
        'wd:Event_Reference': { 'wd:ID': typedId('WID', eventWid) },
        'wd:Job_Application_Reference': { 'wd:ID': typedId('Job_Application_ID', applicationId) },
      },
    });
  }

  // ── routing ───────────────────────────────────────────────────────────────

  function throttled(record?: OperationRecord): FakeResponse | null {
    const decision = throttle.take();
    if (decision.allowed) return null;
    if (record) {
      record.outcome = 'throttled';
      operations.push(record);
    }
    return {
      status: throttleStatus,
      headers: {
        'content-type': 'text/plain',
        ...(throttleRetryAfter ? { 'retry-after': String(decision.retryAfterSeconds) } : {}),
      },
      body: 'Too Many Requests',
    };
  }

  function bearerOf(request: FakeRequest): string | undefined {
    const header = request.headers['authorization'];
    return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
  }

  function handleAnalytics(request: FakeRequest): FakeResponse {
    if (request.method !== 'POST') return { status: 405, body: { error: 'method not allowed' } };
    const limited = throttled();
    if (limited) return limited;
    const header = request.headers['authorization'] ?? '';
    const bearer = bearerOf(request);
    let auth: 'basic' | 'bearer' | null = null;
    if (bearer !== undefined) auth = accessTokens.has(bearer) ? 'bearer' : null;
    else if (typeof header === 'string' && header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      auth = decoded === `${username}@${tenant}:${password}` ? 'basic' : null;
    }
    if (!auth) return { status: 401, body: { error: 'unauthorized' } };
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return { status: 400, body: { error: 'body is not JSON' } };
    }
    analyticsPushes.push({ body, auth });
    return { status: 202, body: { accepted: true } };
  }

  function handle(request: FakeRequest): FakeResponse {
    if (request.path === analyticsPath) return handleAnalytics(request);
    const match = servicePath.exec(request.path);
    if (!match || match[1] !== tenant)
      return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' };
    if (request.method !== 'POST')
      return { status: 405, headers: { 'content-type': 'text/plain' }, body: 'Method Not Allowed' };
    const soap = readRequest(request.body);
    const bearer = bearerOf(request);
    const record: OperationRecord = {
      at: clock.now().toISOString(),
      operation: soap?.operation?.replace(/_Request$/, '') ?? 'unknown',
      auth: bearer !== undefined ? 'bearer' : soap?.username !== undefined ? 'ws-security' : 'none',
      ...(soap?.username !== undefined ? { username: soap.username } : {}),
      outcome: 'ok',
    };
    const limited = throttled(record);
    if (limited) return limited;
    const answer = (response: FakeResponse): FakeResponse => {
      if (response.status !== 200) {
        record.outcome = 'fault';
        record.fault =
          typeof response.body === 'string'
            ? (/<faultcode>([^<]*)</.exec(response.body)?.[1] ?? 'fault')
            : 'fault';
      }
      operations.push(record);
      return response;
    };
    if (!soap) return answer(soapFault('client', 'Unable to parse the request envelope'));
    const authenticated =
      bearer !== undefined
        ? accessTokens.has(bearer)
        : soap.username === `${username}@${tenant}` && soap.password === password;
    if (!authenticated) return answer(soapFault('authentication', 'invalid username or password'));
    const written = submissions.handle(soap.operation, soap.payload);
    if (written) return answer(written);
    switch (soap.operation) {
      case 'Get_Candidates_Request':
        return answer(getCandidates(soap.payload, record));
      case 'Get_Job_Requisitions_Request':
        return answer(getJobRequisitions(soap.payload, record));
      case 'Move_Candidate_Request':
        return answer(moveCandidate(soap.payload));
      default:
        return answer(soapFault('client', `Unsupported operation ${soap.operation ?? '(none)'}`));
    }
  }

  const server = await startFakeServer(handle, options);
  return {
    url: server.url,
    serviceUrl: `${server.url}/ccx/service/${tenant}/Recruiting/v42.1`,
    analyticsUrl: `${server.url}${analyticsPath}`,
    tenant,
    username,
    password,
    clock,
    state,
    ...server.controls,
    submissions,
    operations,
    analyticsPushes,
    setThrottle: (config) => throttle.configure(config),
    throttledCount: () => throttle.refusedCount,
  };
}

/**
 * Request bodies of the Workday Recruiting operations the hub uses, as fast-xml-parser node trees
 * (`common/soap.ts` turns them into an envelope). Element names: docs/providers.md §5.1 and §5.4.
 */
import type { XmlNode } from '../common/soap.js';

export const WORKDAY_NS = 'urn:com.workday/bsvc';

/** Earliest moment sent where a range needs an explicit lower bound. */
const BEGINNING_OF_TIME = '1900-01-01T00:00:00.000Z';

export interface TransactionLogWindow {
  /** Changes entered after this moment (the previous pass's As_Of, minus the overlap). */
  from: string;
  /** This pass's `As_Of_Entry_DateTime`. */
  through: string;
}

export interface ListRequest {
  version: string;
  page: number;
  count: number;
  /** Fixed for every page of one pass: a consistent snapshot (unverified, docs/providers.md §5.2). */
  asOfEntry: string;
  window: TransactionLogWindow | null;
  transactionTypes: { idType: string; ids: readonly string[] } | null;
  includeTransactionLogData: boolean;
}

export function typedId(type: string, value: string): XmlNode {
  return { '@_wd:type': type, '#text': value };
}

function transactionTypeReferences(types: ListRequest['transactionTypes']): XmlNode | undefined {
  if (!types || types.ids.length === 0) return undefined;
  return {
    'wd:Transaction_Type_Reference': types.ids.map((id) => ({ 'wd:ID': typedId(types.idType, id) })),
  };
}

/**
 * Two transaction-log criteria (instances are alternatives; secondary: Boomi's Get_Workers walkthrough):
 * 1. entered inside the window and already effective by its end;
 * 2. entered at any time up to the end of the window and become effective inside it (future-dated changes).
 * Together they cover "changes entered since the last run and future-dated changes that became effective
 * since the last run" (docs/providers.md §5.3). A change entered now but effective later is not yet visible in
 * the record, and criterion 2 picks it up on the pass during which it becomes effective.
 */
function transactionLogCriteria(request: ListRequest): XmlNode[] | undefined {
  const window = request.window;
  if (!window) return undefined;
  const types = transactionTypeReferences(request.transactionTypes);
  const criterion = (range: Record<string, string>): XmlNode => ({
    'wd:Transaction_Date_Range_Data': range,
    ...(types ? { 'wd:Transaction_Type_References': types } : {}),
  });
  return [
    criterion({
      'wd:Updated_From': window.from,
      'wd:Updated_Through': window.through,
      'wd:Effective_From': BEGINNING_OF_TIME,
      'wd:Effective_Through': window.through,
    }),
    criterion({
      'wd:Updated_From': BEGINNING_OF_TIME,
      'wd:Updated_Through': window.through,
      'wd:Effective_From': window.from,
      'wd:Effective_Through': window.through,
    }),
  ];
}

function responseFilter(request: ListRequest): XmlNode {
  return {
    'wd:As_Of_Entry_DateTime': request.asOfEntry,
    'wd:Page': String(request.page),
    'wd:Count': String(request.count),
  };
}

export function getCandidatesRequest(request: ListRequest): XmlNode {
  const criteria = transactionLogCriteria(request);
  return {
    'wd:Get_Candidates_Request': {
      '@_xmlns:wd': WORKDAY_NS,
      '@_wd:version': request.version,
      ...(criteria ? { 'wd:Request_Criteria': { 'wd:Transaction_Log_Criteria_Data': criteria } } : {}),
      'wd:Response_Filter': responseFilter(request),
      'wd:Response_Group': {
        'wd:Include_Reference': 'true',
        'wd:Exclude_All_Attachments': 'true',
        ...(request.includeTransactionLogData ? { 'wd:Include_Transaction_Log_Data': 'true' } : {}),
      },
    },
  };
}

export function getJobRequisitionsRequest(request: ListRequest): XmlNode {
  const criteria = transactionLogCriteria(request);
  return {
    'wd:Get_Job_Requisitions_Request': {
      '@_xmlns:wd': WORKDAY_NS,
      '@_wd:version': request.version,
      ...(criteria ? { 'wd:Request_Criteria': { 'wd:Transaction_Log_Criteria_Data': criteria } } : {}),
      'wd:Response_Filter': responseFilter(request),
      'wd:Response_Group': { 'wd:Include_Reference': 'true' },
    },
  };
}

export type MoveTarget =
  | { kind: 'Next_Step_Reference'; workflowStepId: string }
  | { kind: 'Recruiting_Stage_Reference'; recruitingStageId: string }
  | { kind: 'Disposition_Step_Reference'; workflowStepId: string; dispositionId: string | null };

/** `Move_Candidate_Request{Move_Candidate_Data{Job_Application_Reference, <step reference>}}` (§5.4). */
export function moveCandidateRequest(version: string, jobApplicationId: string, target: MoveTarget): XmlNode {
  const data: XmlNode = {
    'wd:Job_Application_Reference': { 'wd:ID': typedId('Job_Application_ID', jobApplicationId) },
  };
  if (target.kind === 'Next_Step_Reference') {
    data['wd:Next_Step_Reference'] = { 'wd:ID': typedId('Workflow_Step_ID', target.workflowStepId) };
  } else if (target.kind === 'Recruiting_Stage_Reference') {
    // (unverified) Some clients move by recruiting stage instead of workflow step (docs/providers.md §5.4).
    data['wd:Recruiting_Stage_Reference'] = {
      'wd:ID': typedId('Recruiting_Stage_ID', target.recruitingStageId),
    };
  } else {
    data['wd:Disposition_Step_Reference'] = { 'wd:ID': typedId('Workflow_Step_ID', target.workflowStepId) };
    if (target.dispositionId) {
      // (unverified) Placement of the rejection reason next to the disposition step.
      data['wd:Disposition_Reference'] = { 'wd:ID': typedId('Disposition_ID', target.dispositionId) };
    }
  }
  return {
    'wd:Move_Candidate_Request': {
      '@_xmlns:wd': WORKDAY_NS,
      '@_wd:version': version,
      'wd:Move_Candidate_Data': data,
    },
  };
}

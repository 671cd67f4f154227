/**
 * The Workday fake's write-back operations (docs/write-back-notes.md §5, §7), hooked into server.ts's routing:
 * - `Put_Candidate`: a new candidate (`Candidate_Data` with `Name_Data`, `Contact_Data/Email_Address`) with its
 *   job application (`Job_Application_Data/Job_Applied_To_Data/Job_Requisition_Reference`, an open requisition),
 *   or a new application of an existing candidate (`Candidate_Reference`). Answers with `Candidate_Reference` and
 *   `Candidate_Job_Application_Data` (secondary, §5.1). Candidates are never merged by email and a second
 *   application on the same requisition is taken (both unverified, §5.2): every create shows in the counts;
 * - `Put_Candidate_Attachment`: `Candidate_Attachment_Data{Attachment_Data{Filename, File_Content (base64),
 *   Mime_Type_Reference}, Document_Category_Reference}` on the candidate;
 * - `Get_Candidates` by `Request_Criteria/Candidate_Email_Address` (case-insensitive) or by
 *   `Request_References/Candidate_Reference`, with `Candidate_Attachment_Data` unless `Exclude_All_Attachments`;
 * - faults: `Client.validationError` (`Validation_Fault`) for invalid data and references; the permission refusal
 *   "The task submitted is not authorized." as a `Client.processingError` (secondary, §5.3 and the write-back
 *   helper's notes), also for inline `Resume_Attachment_Data` (secondary, §5.1: refused by a tenant's security).
 * Candidates and applications live in the shared state (state.ts), so syncs and `Move_Candidate` see them;
 * attachments and the credited sources live here.
 */
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import * as wd from './soap.js';
import type { ApplicationView, CandidateView, WorkdayState } from './state.js';

export type WriteStep = 'candidate' | 'application' | 'attachment';

export interface WorkdaySubmissionOptions {
  /** `Applicant_Source_ID`s a `Source_Reference` may name. */
  sources?: string[];
  /** `Document_Category__Workday_Owned__ID`s (secondary: a public Python client's list). */
  documentCategories?: string[];
  /** Largest decoded attachment accepted; Workday's own limit is not published (unverified), so none by default. */
  maxAttachmentBytes?: number | null;
}

export interface StoredAttachment {
  id: string;
  wid: string;
  candidateId: string;
  fileName: string;
  contentType: string | null;
  category: string;
  content: Buffer;
}

export const NOT_AUTHORIZED = 'Processing error occurred. The task submitted is not authorized.';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const node = (value: unknown): wd.Node => (wd.isNode(value) ? value : {});
const idOfType = (value: unknown, type: string) =>
  wd.referenceIds(value).find((id) => id.type === type)?.value;
const invalidId = (value: string | undefined, type: string, xpath: string) =>
  wd.soapFault(
    'validation',
    `Invalid ID value. '${value ?? ''}' is not a valid ID value for type = '${type}'`,
    xpath,
  );

function stepOf(operation: string | undefined, payload: wd.Node): WriteStep | null {
  if (operation === 'Put_Candidate_Attachment_Request') return 'attachment';
  if (operation !== 'Put_Candidate_Request') return null;
  return payload['Candidate_Reference'] === undefined ? 'candidate' : 'application';
}

/** Which create a request is: the contract's lost / denied faults target one step. */
export function writeStepOf(request: FakeRequest): WriteStep | null {
  const soap = wd.readRequest(request.body);
  return soap ? stepOf(soap.operation, soap.payload) : null;
}

export function createWorkdaySubmissions(state: WorkdayState, options: WorkdaySubmissionOptions = {}) {
  const sources = new Set(options.sources ?? ['Career_Site', 'Agency', 'Employee_Referral']);
  const categories = new Set(
    options.documentCategories ?? ['CANDIDATE_RESUME_AND_COVER_LETTER', 'OTHER_DOCUMENTS', 'EDUCATION'],
  );
  const maxAttachmentBytes = options.maxAttachmentBytes ?? null;
  const attachments: StoredAttachment[] = [];
  const sourceByApplication = new Map<string, string>();
  const denials: WriteStep[] = [];
  let attachmentCounter = 0;

  const candidate = (id: string | undefined): CandidateView | null =>
    id === undefined ? null : (state.liveCandidates().find((c) => c.id === id) ?? null);

  /** `Job_Application_Data` of a request → the open requisition and the source, or a fault. */
  function readApplication(data: wd.Node): { requisitionId: string; source: string | null } | FakeResponse {
    if (data['Job_Application_Data'] === undefined) {
      const xpath = 'Candidate_Data/Job_Application_Data';
      return wd.soapFault('validation', 'Job_Application_Data is required', xpath);
    }
    const applied = node(node(data['Job_Application_Data'])['Job_Applied_To_Data']);
    const xpath = 'Candidate_Data/Job_Application_Data/Job_Applied_To_Data';
    const requisitionId = idOfType(applied['Job_Requisition_Reference'], 'Job_Requisition_ID');
    const requisition = state.liveRequisitions().find((r) => r.id === requisitionId);
    if (!requisitionId || !requisition)
      return invalidId(requisitionId, 'Job_Requisition_ID', `${xpath}/Job_Requisition_Reference`);
    if (requisition.status !== 'Open') {
      return wd.soapFault(
        'validation',
        `Job Requisition ${requisitionId} is ${requisition.status} and does not accept job applications`,
        `${xpath}/Job_Requisition_Reference`,
      );
    }
    const sourceRef = applied['Source_Reference'];
    const source = sourceRef === undefined ? null : (idOfType(sourceRef, 'Applicant_Source_ID') ?? '');
    if (source !== null && !sources.has(source))
      return invalidId(source, 'Applicant_Source_ID', `${xpath}/Source_Reference`);
    return { requisitionId, source };
  }

  /** The person of a new candidate: a legal first and last name and a valid email, or a fault. */
  function readPerson(data: wd.Node): { firstName: string; lastName: string; email: string } | FakeResponse {
    const name = node(node(node(data['Name_Data'])['Legal_Name'])['Name_Detail_Data']);
    const firstName = wd.text(name['First_Name'])?.trim() ?? '';
    const lastName = wd.text(name['Last_Name'])?.trim() ?? '';
    if (!firstName || !lastName)
      return wd.soapFault('validation', 'First Name and Last Name are required', 'Candidate_Data/Name_Data');
    const email = wd.text(node(data['Contact_Data'])['Email_Address'])?.trim() ?? '';
    if (!EMAIL.test(email)) {
      const message = `'${email}' is not a valid email address`;
      return wd.soapFault('validation', message, 'Candidate_Data/Contact_Data');
    }
    return { firstName, lastName, email };
  }

  function putCandidate(payload: wd.Node): FakeResponse {
    const data = node(payload['Candidate_Data']);
    if (node(data['Job_Application_Data'])['Resume_Attachment_Data'] !== undefined)
      return wd.soapFault('processing', NOT_AUTHORIZED);
    const reference = payload['Candidate_Reference'];
    const existingId = reference === undefined ? undefined : idOfType(reference, 'Candidate_ID');
    const target =
      reference === undefined
        ? readPerson(data)
        : (candidate(existingId) ?? invalidId(existingId, 'Candidate_ID', 'Candidate_Reference'));
    if ('status' in target) return target;
    const application = readApplication(data);
    if ('status' in application) return application;
    let candidateId: string;
    let applicationId: string;
    if (existingId !== undefined) {
      candidateId = existingId;
      applicationId = state.addApplication(existingId, application.requisitionId);
    } else {
      const person = target as { firstName: string; lastName: string; email: string };
      const made = state.addCandidate({ ...person, requisitionIds: [application.requisitionId] });
      candidateId = made.candidateId;
      applicationId = made.applicationIds[0]!;
    }
    if (application.source) sourceByApplication.set(applicationId, application.source);
    const view = candidate(candidateId)!;
    const created = view.applications.find((a) => a.id === applicationId)!;
    return wd.soapResponse({
      'wd:Put_Candidate_Response': {
        '@_xmlns:wd': wd.WD_NS,
        'wd:Candidate_Reference': {
          'wd:ID': [wd.typedId('WID', view.wid), wd.typedId('Candidate_ID', view.id)],
        },
        'wd:Candidate_Job_Application_Data': {
          'wd:Job_Application_Reference': {
            'wd:ID': [wd.typedId('WID', created.wid), wd.typedId('Job_Application_ID', created.id)],
          },
          'wd:Job_Requisition_Reference': {
            'wd:ID': wd.typedId('Job_Requisition_ID', created.requisitionId),
          },
        },
      },
    });
  }

  function putCandidateAttachment(payload: wd.Node): FakeResponse {
    const candidateId = idOfType(payload['Candidate_Reference'], 'Candidate_ID');
    if (!candidate(candidateId)) return invalidId(candidateId, 'Candidate_ID', 'Candidate_Reference');
    const data = node(payload['Candidate_Attachment_Data']);
    const file = node(data['Attachment_Data']);
    const xpath = 'Candidate_Attachment_Data/Attachment_Data';
    const fileName = wd.text(file['Filename'])?.trim() ?? '';
    if (!fileName) return wd.soapFault('validation', 'Filename is required', `${xpath}/Filename`);
    const encoded = (wd.text(file['File_Content']) ?? '').replace(/\s+/g, '');
    if (!encoded || encoded.length % 4 !== 0 || !BASE64.test(encoded))
      return wd.soapFault('validation', 'File_Content must be base64 encoded data', `${xpath}/File_Content`);
    const content = Buffer.from(encoded, 'base64');
    if (maxAttachmentBytes !== null && content.length > maxAttachmentBytes) {
      return wd.soapFault(
        'validation',
        `The attachment exceeds the maximum size of ${maxAttachmentBytes} bytes`,
        `${xpath}/File_Content`,
      );
    }
    const category =
      idOfType(data['Document_Category_Reference'], 'Document_Category__Workday_Owned__ID') ?? '';
    if (!categories.has(category))
      return invalidId(category, 'Document_Category__Workday_Owned__ID', 'Candidate_Attachment_Data');
    attachmentCounter += 1;
    const stored: StoredAttachment = {
      id: `CA-${String(attachmentCounter).padStart(6, '0')}`,
      wid: `a77ac4${String(attachmentCounter).padStart(26, '0')}`,
      candidateId: candidateId!,
      fileName,
      contentType: idOfType(file['Mime_Type_Reference'], 'Content_Type_ID') ?? null,
      category,
      content,
    };
    attachments.push(stored);
    return wd.soapResponse({
      'wd:Put_Candidate_Attachment_Response': {
        '@_xmlns:wd': wd.WD_NS,
        'wd:Candidate_Attachment_Reference': {
          'wd:ID': [wd.typedId('WID', stored.wid), wd.typedId('Candidate_Attachment_ID', stored.id)],
        },
      },
    });
  }

  const stageOf = (stepId: string) => state.workflow.find((s) => s.id === stepId)?.stageId ?? stepId;

  function applicationElement(application: ApplicationView): wd.Node {
    const source = sourceByApplication.get(application.id) ?? application.source;
    return {
      'wd:Job_Application_Reference': {
        'wd:ID': [wd.typedId('WID', application.wid), wd.typedId('Job_Application_ID', application.id)],
      },
      'wd:Job_Applied_To_Data': {
        'wd:Job_Application_ID': application.id,
        'wd:Job_Requisition_Reference': {
          'wd:ID': wd.typedId('Job_Requisition_ID', application.requisitionId),
        },
        'wd:Stage_Reference': { 'wd:ID': wd.typedId('Recruiting_Stage_ID', stageOf(application.stepId)) },
        'wd:Workflow_Step_Reference': { 'wd:ID': wd.typedId('Workflow_Step_ID', application.stepId) },
        'wd:Source_Reference': { 'wd:ID': wd.typedId('Applicant_Source_ID', source) },
      },
    };
  }

  function lookupElement(view: CandidateView, withAttachments: boolean): wd.Node {
    const data: wd.Node = {
      'wd:Candidate_ID': view.id,
      'wd:Name_Data': {
        'wd:Legal_Name': {
          'wd:Name_Detail_Data': { 'wd:First_Name': view.firstName, 'wd:Last_Name': view.lastName },
        },
      },
      'wd:Contact_Data': { 'wd:Email_Address': view.email },
      'wd:Job_Application_Data': view.applications.map(applicationElement),
    };
    if (withAttachments) {
      data['wd:Candidate_Attachment_Data'] = attachments
        .filter((a) => a.candidateId === view.id)
        .map((a) => ({
          'wd:Attachment_Data': {
            'wd:ID': a.id,
            'wd:Filename': a.fileName,
            'wd:File_Content': a.content.toString('base64'),
            ...(a.contentType
              ? { 'wd:Mime_Type_Reference': { 'wd:ID': wd.typedId('Content_Type_ID', a.contentType) } }
              : {}),
          },
          'wd:Document_Category_Reference': {
            'wd:ID': wd.typedId('Document_Category__Workday_Owned__ID', a.category),
          },
        }));
    }
    return {
      'wd:Candidate_Reference': {
        'wd:ID': [wd.typedId('WID', view.wid), wd.typedId('Candidate_ID', view.id)],
      },
      'wd:Candidate_Data': data,
    };
  }

  /** A `Get_Candidates` by email or by reference; null for the list reads server.ts answers. */
  function lookup(payload: wd.Node): FakeResponse | null {
    const email = wd.text(node(payload['Request_Criteria'])['Candidate_Email_Address']);
    const references = payload['Request_References'];
    if (email === undefined && references === undefined) return null;
    let found: CandidateView[];
    if (email !== undefined) {
      const wanted = email.trim().toLowerCase();
      found = state.liveCandidates().filter((c) => c.email.toLowerCase() === wanted);
    } else {
      const refs = node(references)['Candidate_Reference'];
      found = [];
      for (const ref of Array.isArray(refs) ? refs : [refs]) {
        const id = idOfType(ref, 'Candidate_ID');
        const view = candidate(id);
        if (!view) return invalidId(id, 'Candidate_ID', 'Request_References/Candidate_Reference');
        found.push(view);
      }
    }
    const excluded = ['true', '1'].includes(
      wd.text(node(payload['Response_Group'])['Exclude_All_Attachments']) ?? '',
    );
    return wd.soapResponse({
      'wd:Get_Candidates_Response': {
        '@_xmlns:wd': wd.WD_NS,
        'wd:Response_Results': {
          'wd:Total_Results': String(found.length),
          'wd:Total_Pages': found.length === 0 ? '0' : '1',
          'wd:Page_Results': String(found.length),
          'wd:Page': '1',
        },
        'wd:Response_Data': { 'wd:Candidate': found.map((view) => lookupElement(view, !excluded)) },
      },
    });
  }

  return {
    attachments: attachments as readonly StoredAttachment[],
    /** The `Applicant_Source_ID` a write-back application credited. */
    sourceOf: (applicationId: string) => sourceByApplication.get(applicationId) ?? null,
    /** The next create of `step` is refused as an ISU without the permission is. */
    denyNext(step: WriteStep) {
      denials.push(step);
    },
    /** The answer to a write-back operation, or null for every other request. */
    handle(operation: string | undefined, payload: wd.Node): FakeResponse | null {
      const step = stepOf(operation, payload);
      const denial = step ? denials.indexOf(step) : -1;
      if (denial >= 0) {
        denials.splice(denial, 1);
        return wd.soapFault('processing', NOT_AUTHORIZED);
      }
      if (operation === 'Put_Candidate_Request') return putCandidate(payload);
      if (operation === 'Put_Candidate_Attachment_Request') return putCandidateAttachment(payload);
      if (operation === 'Get_Candidates_Request') return lookup(payload);
      return null;
    },
  };
}

export type WorkdaySubmissionsFake = ReturnType<typeof createWorkdaySubmissions>;

/**
 * Request bodies of the write-back operations (docs/write-back-notes.md §5): `Put_Candidate` (a new candidate with
 * its job application, or a new application of an existing candidate), `Put_Candidate_Attachment`, and the
 * `Get_Candidates` lookups by email or by candidate reference. Element names follow the generated
 * `Put_Candidate_Request` model (secondary, WD-GO) and a public Python client's attachment call (secondary).
 */
import type { XmlNode } from '../common/soap.js';
import { typedId, WORKDAY_NS } from './requests.js';

export type CandidateLookup = { email: string } | { candidateId: string };

function operation(name: string, version: string, body: XmlNode, addOnly = false): XmlNode {
  return {
    [`wd:${name}_Request`]: {
      '@_xmlns:wd': WORKDAY_NS,
      // xsd:boolean `1`: the shared XML builder writes a `true` attribute as a bare name.
      ...(addOnly ? { '@_wd:Add_Only': '1' } : {}),
      '@_wd:version': version,
      ...body,
    },
  };
}

const candidateReference = (candidateId: string): XmlNode => ({
  'wd:ID': typedId('Candidate_ID', candidateId),
});

/** `Get_Candidates` by `Candidate_Email_Address` or by `Candidate_Reference`, attachments only when asked for. */
export function lookupCandidatesRequest(
  version: string,
  by: CandidateLookup,
  options: { attachments: boolean },
): XmlNode {
  const selection =
    'email' in by
      ? { 'wd:Request_Criteria': { 'wd:Candidate_Email_Address': by.email } }
      : { 'wd:Request_References': { 'wd:Candidate_Reference': candidateReference(by.candidateId) } };
  return operation('Get_Candidates', version, {
    ...selection,
    'wd:Response_Filter': { 'wd:Page': '1', 'wd:Count': '100' },
    'wd:Response_Group': {
      'wd:Include_Reference': 'true',
      'wd:Exclude_All_Attachments': options.attachments ? 'false' : 'true',
    },
  });
}

export interface ApplicationInput {
  jobRequisitionId: string;
  /** `Applicant_Source_ID` credited (settings.sourceId). */
  sourceId: string | null;
}

function jobApplicationData(input: ApplicationInput): XmlNode {
  return {
    'wd:Job_Applied_To_Data': {
      'wd:Job_Requisition_Reference': { 'wd:ID': typedId('Job_Requisition_ID', input.jobRequisitionId) },
      ...(input.sourceId
        ? { 'wd:Source_Reference': { 'wd:ID': typedId('Applicant_Source_ID', input.sourceId) } }
        : {}),
    },
  };
}

/**
 * A new candidate and its application in one call (`Add_Only`: never an update of someone else). The phone is
 * left out: Workday wants it with country-code and device-type references the portal does not collect
 * (secondary: a public Python client sends the email only for that reason).
 */
export function putNewCandidateRequest(
  version: string,
  person: { firstName: string; lastName: string; email: string },
  application: ApplicationInput,
): XmlNode {
  return operation(
    'Put_Candidate',
    version,
    {
      'wd:Candidate_Data': {
        'wd:Name_Data': {
          'wd:Legal_Name': {
            'wd:Name_Detail_Data': { 'wd:First_Name': person.firstName, 'wd:Last_Name': person.lastName },
          },
        },
        'wd:Contact_Data': { 'wd:Email_Address': person.email },
        'wd:Job_Application_Data': jobApplicationData(application),
      },
    },
    true,
  );
}

/** A new application of an existing candidate: its reference and only the new `Job_Application_Data`. */
export function putApplicationRequest(
  version: string,
  candidateId: string,
  application: ApplicationInput,
): XmlNode {
  return operation('Put_Candidate', version, {
    'wd:Candidate_Reference': candidateReference(candidateId),
    'wd:Candidate_Data': { 'wd:Job_Application_Data': jobApplicationData(application) },
  });
}

export function putCandidateAttachmentRequest(
  version: string,
  candidateId: string,
  file: { fileName: string; contentType: string; content: Buffer },
  documentCategoryId: string,
): XmlNode {
  return operation(
    'Put_Candidate_Attachment',
    version,
    {
      'wd:Candidate_Reference': candidateReference(candidateId),
      'wd:Candidate_Attachment_Data': {
        'wd:Attachment_Data': {
          'wd:Filename': file.fileName,
          'wd:File_Content': file.content.toString('base64'),
          'wd:Mime_Type_Reference': { 'wd:ID': typedId('Content_Type_ID', file.contentType) },
        },
        'wd:Document_Category_Reference': {
          'wd:ID': typedId('Document_Category__Workday_Owned__ID', documentCategoryId),
        },
      },
    },
    true,
  );
}

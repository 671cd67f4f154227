/**
 * Write-back of portal submissions to Workday Recruiting (docs/write-back-notes.md §5, §6):
 * - a new candidate and its application in one `Put_Candidate` (`Candidate_Data` + `Job_Application_Data`); a new
 *   application of a known candidate by `Put_Candidate` with `Candidate_Reference`;
 * - the resume afterwards through `Put_Candidate_Attachment` (inline `Resume_Attachment_Data` is refused by some
 *   tenants' security, secondary §5.1), so `resumeMode` is 'separate';
 * - lookups through `Get_Candidates`: by `Candidate_Email_Address`, then the candidate's `Job_Applied_To_Data`
 *   and attachments, matched exactly here whatever the tenant's criteria match.
 * Attribution: Workday records the integration system user as the one acting, with no on-behalf-of, so
 * `actingUserId` is not sent; `sourceId` is the application's `Source_Reference` (`Applicant_Source_ID`).
 * Faults of these calls (validation, processing, "task not authorized") are final refusals.
 */
import type * as z from 'zod';
import {
  type CreatedCandidate,
  ProviderError,
  type SubmissionAttribution,
  type SubmissionWriter,
} from '../../ports/provider.js';
import { parseEach, parseOrFail } from '../common/parse.js';
import type { XmlNode } from '../common/soap.js';
import { candidatesResponseSchema } from './parse.js';
import { anyIdOf, nonBlank } from './references.js';
import { candidateSchema, type WorkdayCandidate } from './schemas.js';
import type { WorkdaySoap } from './soap-call.js';
import {
  type ApplicationInput,
  type CandidateLookup,
  lookupCandidatesRequest,
  putApplicationRequest,
  putCandidateAttachmentRequest,
  putNewCandidateRequest,
} from './submission-requests.js';
import {
  candidateAttachmentsSchema,
  putCandidateAttachmentResponseSchema,
  putCandidateResponseSchema,
} from './submission-schemas.js';
import { candidateRemoteId } from './to-candidate.js';

export class WorkdaySubmissions implements SubmissionWriter {
  readonly resumeMode = 'separate' as const;

  constructor(
    private readonly soap: WorkdaySoap,
    private readonly settings: { apiVersion: string; resumeDocumentCategoryId: string },
  ) {}

  async findCandidate(input: { email: string }): Promise<string | null> {
    const wanted = input.email.trim().toLowerCase();
    const { items } = await this.lookup({ email: input.email.trim() }, false);
    const match = parseEach(items, candidateSchema, 'Get_Candidates').find(
      (candidate) => candidate.Candidate_Data?.Contact_Data?.Email_Address?.trim().toLowerCase() === wanted,
    );
    return match ? candidateRemoteId(match) : null;
  }

  async findApplication(input: { candidateRemoteId: string; jobRemoteId: string }): Promise<string | null> {
    const candidate = await this.candidate(input.candidateRemoteId, false);
    for (const application of candidate?.parsed.Candidate_Data?.Job_Application_Data ?? []) {
      for (const applied of application.Job_Applied_To_Data) {
        if (anyIdOf(applied.Job_Requisition_Reference, 'Job_Requisition_ID') !== input.jobRemoteId) continue;
        const id =
          nonBlank(applied.Job_Application_ID) ??
          anyIdOf(application.Job_Application_Reference, 'Job_Application_ID');
        if (id) return id;
      }
    }
    return null;
  }

  async createCandidate(input: {
    person: { firstName: string; lastName: string; email: string };
    jobRemoteId: string;
    attribution: SubmissionAttribution;
  }): Promise<CreatedCandidate> {
    const application = this.application(input.jobRemoteId, input.attribution);
    const response = await this.write(
      'Put_Candidate',
      putNewCandidateRequest(this.settings.apiVersion, input.person, application),
      putCandidateResponseSchema,
    );
    const candidateId = anyIdOf(response.Candidate_Reference, 'Candidate_ID');
    if (!candidateId) throw new ProviderError('Put_Candidate: the answer names no candidate', 'permanent');
    return {
      candidateRemoteId: candidateId,
      applicationRemoteId: applicationIdOf(response, input.jobRemoteId),
      attachmentRemoteId: null,
    };
  }

  async createApplication(input: {
    candidateRemoteId: string;
    jobRemoteId: string;
    attribution: SubmissionAttribution;
  }): Promise<{ applicationRemoteId: string; attachmentRemoteId: string | null }> {
    const response = await this.write(
      'Put_Candidate',
      putApplicationRequest(
        this.settings.apiVersion,
        input.candidateRemoteId,
        this.application(input.jobRemoteId, input.attribution),
      ),
      putCandidateResponseSchema,
    );
    const applicationId = applicationIdOf(response, input.jobRemoteId);
    if (!applicationId)
      throw new ProviderError('Put_Candidate: the answer names no job application', 'permanent');
    return { applicationRemoteId: applicationId, attachmentRemoteId: null };
  }

  async findAttachment(input: { candidateRemoteId: string; fileName: string }): Promise<string | null> {
    const candidate = await this.candidate(input.candidateRemoteId, true);
    if (!candidate) return null;
    const { Candidate_Data } = parseOrFail(candidateAttachmentsSchema, candidate.raw, 'Get_Candidates');
    // Workday reports no size: the file name, unique per submission, is the match (§6).
    const found = Candidate_Data?.Candidate_Attachment_Data.find(
      (attachment) => attachment.Attachment_Data?.Filename === input.fileName,
    );
    if (!found) return null;
    return nonBlank(found.Attachment_Data?.ID[0]) ?? `${input.candidateRemoteId}/${input.fileName}`;
  }

  async attachResume(input: {
    candidateRemoteId: string;
    file: { fileName: string; contentType: string; content: Buffer };
  }): Promise<string> {
    const response = await this.write(
      'Put_Candidate_Attachment',
      putCandidateAttachmentRequest(
        this.settings.apiVersion,
        input.candidateRemoteId,
        input.file,
        this.settings.resumeDocumentCategoryId,
      ),
      putCandidateAttachmentResponseSchema,
    );
    const id = anyIdOf(response.Candidate_Attachment_Reference, 'Candidate_Attachment_ID', 'File_ID');
    if (!id) throw new ProviderError('Put_Candidate_Attachment: the answer names no attachment', 'permanent');
    return id;
  }

  private application(jobRemoteId: string, attribution: SubmissionAttribution): ApplicationInput {
    return { jobRequisitionId: jobRemoteId, sourceId: attribution.sourceId };
  }

  /** The candidate with this `Candidate_ID`, raw and parsed, or null. */
  private async candidate(candidateId: string, attachments: boolean) {
    const { items } = await this.lookup({ candidateId }, attachments);
    for (const raw of items) {
      const [parsed] = parseEach([raw], candidateSchema, 'Get_Candidates') as [WorkdayCandidate];
      if (candidateRemoteId(parsed) === candidateId) return { raw, parsed };
    }
    return null;
  }

  private lookup(by: CandidateLookup, attachments: boolean) {
    return this.write(
      'Get_Candidates',
      lookupCandidatesRequest(this.settings.apiVersion, by, { attachments }),
      candidatesResponseSchema,
    );
  }

  /** One call; a fault the SOAP layer hands back (validation, processing, permission) is a final refusal. */
  private write<S extends z.ZodType>(operation: string, body: XmlNode, schema: S): Promise<z.output<S>> {
    return this.soap.callFor(operation, body, schema, () => 'refused');
  }
}

/** The application on the requisition among those the answer names (the first when none names one). */
function applicationIdOf(
  response: z.output<typeof putCandidateResponseSchema>,
  jobRemoteId: string,
): string | null {
  const data = response.Candidate_Job_Application_Data;
  const onJob =
    data.find((a) => anyIdOf(a.Job_Requisition_Reference, 'Job_Requisition_ID') === jobRemoteId) ?? data[0];
  return anyIdOf(onJob?.Job_Application_Reference, 'Job_Application_ID');
}

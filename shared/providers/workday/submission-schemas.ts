/**
 * Raw shapes of the write-back answers (docs/write-back-notes.md §5.1). `Put_Candidate_Response` as in
 * `cbdr/cb-workday-proc-api` (secondary); the attachment reference and the read-back of candidate attachments
 * (`Candidate_Data/Candidate_Attachment_Data/Attachment_Data{ID, Filename}`) are unverified placements.
 */
import * as z from 'zod';
import { element, referenceSchema, xmlTextSchema } from './schemas.js';

export const putCandidateResponseSchema = element({
  Candidate_Reference: referenceSchema.optional(),
  Candidate_Job_Application_Data: z
    .array(
      element({
        Job_Application_Reference: referenceSchema.optional(),
        Job_Requisition_Reference: referenceSchema.optional(),
      }),
    )
    .default([]),
});

export const putCandidateAttachmentResponseSchema = element({
  Candidate_Attachment_Reference: referenceSchema.optional(),
});

const candidateAttachmentSchema = element({
  Attachment_Data: element({
    // `ID` is parsed as a list everywhere (parse.ts).
    ID: z.array(xmlTextSchema).default([]),
    Filename: xmlTextSchema.optional(),
  }).optional(),
  Document_Category_Reference: referenceSchema.optional(),
});

/** The attachments of one `Response_Data/Candidate`. */
export const candidateAttachmentsSchema = element({
  Candidate_Data: element({
    Candidate_Attachment_Data: z.array(candidateAttachmentSchema).default([]),
  }).optional(),
});

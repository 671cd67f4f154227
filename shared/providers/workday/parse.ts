/**
 * Turning Workday SOAP response text into validated raw shapes. Used by the client and by the mapper tests on
 * the samples in `events/providers/workday/`.
 */
import type { z } from 'zod';
import { createSoapParser, readSoapEnvelope, type SoapEnvelope } from '../common/soap.js';
import { listResponseSchema } from './schemas.js';

/** Elements that may repeat: always read as arrays so one occurrence and many look alike. */
const REPEATED_ELEMENTS: ReadonlySet<string> = new Set([
  'ID',
  'Candidate',
  'Job_Requisition',
  'Job_Application_Data',
  'Job_Applied_To_Data',
  'Transaction_Log_Entry',
  'Transaction_Log_Type_Reference',
  'Transaction_Target_Reference',
  'Validation_Error',
  'Candidate_Attachment_Data',
  'Candidate_Job_Application_Data',
]);

const parser = createSoapParser(REPEATED_ELEMENTS);

export function readWorkdayEnvelope(xml: string): SoapEnvelope | null {
  return readSoapEnvelope(parser, xml);
}

export type ListResponse = z.output<ReturnType<typeof listResponseSchema>>;

/** `Get_Candidates_Response` → paging facts and raw `Candidate` items. */
export const candidatesResponseSchema = listResponseSchema('Candidate');
/** `Get_Job_Requisitions_Response` → paging facts and raw `Job_Requisition` items. */
export const jobRequisitionsResponseSchema = listResponseSchema('Job_Requisition');

/**
 * Raw Workday shapes: SOAP responses as parsed by `parse.ts` (namespace prefixes removed, attributes as `@_x`,
 * every value text). Element names follow the generated Workday Recruiting types (confirmed where docs/providers.md
 * §5 says so: `Response_Results`, `Transaction_Log_Data`, `Move_Candidate`); the candidate layout follows the
 * generated `Put_Candidate_Request` model (secondary), which the `Get_Candidates` response is assumed to share
 * (unverified). Unknown elements are kept (`looseObject`); the engine stores the raw payload.
 */
import * as z from 'zod';

/** An empty element parses as '' (or is absent): read it as an element without children. */
const emptyToObject = (value: unknown) => (value === '' || value === null ? {} : value);

export function element<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.preprocess(emptyToObject, z.looseObject(shape));
}

/** Text of a leaf element (attributes, if any, are ignored). */
export const xmlTextSchema = z.union([
  z.string(),
  z.looseObject({ '#text': z.string().optional() }).transform((node) => node['#text'] ?? ''),
]);

const integerText = xmlTextSchema.pipe(z.string().regex(/^\d+$/)).transform(Number);

/** xsd:boolean: `true`/`false`/`1`/`0`. */
const booleanText = xmlTextSchema
  .pipe(z.enum(['true', 'false', '1', '0']))
  .transform((v) => v === 'true' || v === '1');

/** `<wd:ID wd:type="Candidate_ID">C-1</wd:ID>` (or a bare `<wd:ID>` without a type). */
const workdayIdSchema = z.union([
  z.string().transform((value) => ({ type: null, value })),
  z
    .looseObject({ '#text': z.string().optional(), '@_type': z.string().optional() })
    .transform((node) => ({ type: node['@_type'] ?? null, value: node['#text'] ?? '' })),
]);

/** Any `*_Reference`: a descriptor attribute and typed ids. */
export const referenceSchema = z
  .preprocess(
    emptyToObject,
    z.looseObject({ '@_Descriptor': z.string().optional(), ID: z.array(workdayIdSchema).default([]) }),
  )
  .transform((ref) => ({ descriptor: ref['@_Descriptor'] ?? null, ids: ref.ID }));
export type WorkdayReference = z.output<typeof referenceSchema>;

export const responseResultsSchema = element({
  Total_Results: integerText,
  Total_Pages: integerText,
  Page_Results: integerText.optional(),
  Page: integerText.optional(),
});
export type ResponseResults = z.output<typeof responseResultsSchema>;

export const transactionLogEntrySchema = element({
  Transaction_Log_Reference: referenceSchema.optional(),
  Transaction_Log_Data: element({
    Transaction_Log_Description: xmlTextSchema.optional(),
    Transaction_Effective_Moment: xmlTextSchema.optional(),
    Transaction_Entry_Moment: xmlTextSchema.optional(),
    Transaction_Log_Type_Reference: z.array(referenceSchema).default([]),
    Transaction_Target_Reference: z.array(referenceSchema).default([]),
    Is_Rescind_Or_Rescinded: booleanText.optional(),
    Is_Correction_Or_Corrected: booleanText.optional(),
  }).optional(),
});
export type TransactionLogEntry = z.output<typeof transactionLogEntrySchema>;

export const transactionLogEntryDataSchema = element({
  Transaction_Log_Entry: z.array(transactionLogEntrySchema).default([]),
});

const nameDetailSchema = element({
  First_Name: xmlTextSchema.optional(),
  Middle_Name: xmlTextSchema.optional(),
  Last_Name: xmlTextSchema.optional(),
  Full_Name: xmlTextSchema.optional(),
});

export const jobAppliedToSchema = element({
  Job_Application_ID: xmlTextSchema.optional(),
  Job_Requisition_Reference: referenceSchema.optional(),
  Job_Application_Date: xmlTextSchema.optional(),
  Stage_Reference: referenceSchema.optional(),
  Workflow_Step_Reference: referenceSchema.optional(),
  Disposition_Reference: referenceSchema.optional(),
  Status_Timestamp: xmlTextSchema.optional(),
  Source_Reference: referenceSchema.optional(),
});
export type JobAppliedTo = z.output<typeof jobAppliedToSchema>;

export const jobApplicationDataSchema = element({
  Job_Application_Reference: referenceSchema.optional(),
  Job_Applied_To_Data: z.array(jobAppliedToSchema).default([]),
});
export type JobApplicationData = z.output<typeof jobApplicationDataSchema>;

export const candidateDataSchema = element({
  Candidate_ID: xmlTextSchema.optional(),
  Name_Data: element({
    Legal_Name: element({ Name_Detail_Data: nameDetailSchema.optional() }).optional(),
    Preferred_Name: element({ Name_Detail_Data: nameDetailSchema.optional() }).optional(),
  }).optional(),
  Contact_Data: element({
    Email_Address: xmlTextSchema.optional(),
    Phone_Number: xmlTextSchema.optional(),
  }).optional(),
  Status_Data: element({
    Withdrawn: booleanText.optional(),
    Do_Not_Hire: booleanText.optional(),
  }).optional(),
  Job_Application_Data: z.array(jobApplicationDataSchema).default([]),
  // (unverified) As in Get_Workers' Worker_Data.
  Transaction_Log_Entry_Data: transactionLogEntryDataSchema.optional(),
});

/**
 * One `Response_Data/Candidate`. `Transaction_Log_Entry_Data` is read both inside `Candidate_Data` and next to it
 * (unverified placement); a candidate whose creation was rescinded comes back without `Candidate_Data`.
 */
export const candidateSchema = element({
  Candidate_Reference: referenceSchema.optional(),
  Candidate_Data: candidateDataSchema.optional(),
  Transaction_Log_Entry_Data: transactionLogEntryDataSchema.optional(),
});
export type WorkdayCandidate = z.output<typeof candidateSchema>;

export const jobRequisitionSchema = element({
  Job_Requisition_Reference: referenceSchema.optional(),
  Job_Requisition_Data: element({
    Job_Requisition_ID: xmlTextSchema.optional(),
    Job_Requisition_Status_Reference: referenceSchema.optional(),
    // Secondary (public Python client): the title sits in Job_Requisition_Detail_Data.
    Job_Requisition_Detail_Data: element({
      Job_Posting_Title: xmlTextSchema.optional(),
      // (unverified placement) the requisition's description and primary location, as Edit_Job_Requisition takes them
      Job_Description: xmlTextSchema.optional(),
      Primary_Location_Reference: referenceSchema.optional(),
      Worker_Type_Reference: referenceSchema.optional(),
      Time_Type_Reference: referenceSchema.optional(),
    }).optional(),
    Job_Posting_Title: xmlTextSchema.optional(),
    Transaction_Log_Entry_Data: transactionLogEntryDataSchema.optional(),
  }).optional(),
});
export type WorkdayJobRequisition = z.output<typeof jobRequisitionSchema>;

/** `Get_*_Response`: paging facts plus the raw items, validated one by one so raw payloads stay untouched. */
export function listResponseSchema(itemElement: string) {
  return element({
    Response_Results: responseResultsSchema,
    Response_Data: z
      .preprocess(emptyToObject, z.looseObject({ [itemElement]: z.array(z.unknown()).default([]) }))
      .optional(),
  }).transform((response) => {
    const data = response.Response_Data as Record<string, unknown[] | undefined> | undefined;
    return { results: response.Response_Results, items: data?.[itemElement] ?? [] };
  });
}

export const moveCandidateResponseSchema = element({
  Event_Reference: referenceSchema.optional(),
  Job_Application_Reference: referenceSchema.optional(),
});

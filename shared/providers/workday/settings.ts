/**
 * Per-integration settings for Workday with the defaults of docs/providers.md §5. Everything §5 marks (unverified)
 * or tenant-specific is a setting here, so a customer tenant can be matched without code changes.
 */
import * as z from 'zod';
import { configParser } from '../common/parse.js';
import { providerUrl } from '../common/provider-url.js';
import { syncSettings } from '../common/sync-settings.js';
import { writeBackSettings } from '../common/write-back-settings.js';
import { workdayCredentialsSchema } from './credentials.js';

const workflowStepSchema = z.object({
  /** `Workflow_Step_ID` used in `Next_Step_Reference` and reported as the application's stage id. */
  id: z.string().trim().min(1),
  name: z.string().trim().min(1),
  /** `Recruiting_Stage_ID` of the step, used when `moveStageReference` is `Recruiting_Stage_Reference`. */
  stageId: z.string().trim().min(1).optional(),
});

export const workdaySettingsSchema = z.object({
  /**
   * Either the full service URL (`https://{host}/ccx/service/{tenant}/Recruiting/v{NN}`) or an origin to which
   * `/ccx/service/{tenant}/Recruiting/{apiVersion}` is appended.
   */
  baseUrl: providerUrl.optional(),
  /** Workday services host (e.g. `wd5-services1.myworkday.com`) when `baseUrl` is absent. */
  host: z.string().trim().min(1).optional(),
  /** Tenant for bearer-token credentials without one. */
  tenant: z.string().trim().min(1).optional(),
  /** Web service version in the endpoint and in `wd:version` (e.g. v42.1, secondary). */
  apiVersion: z
    .string()
    .regex(/^v\d+(\.\d+)?$/)
    .default('v42.1'),
  /** `Response_Filter/Count`; up to 999 in practice (secondary). */
  pageSize: z.number().int().min(1).max(999).default(999),
  /**
   * `As_Of_Entry_DateTime` of a pass is this many seconds before the hub's clock, so it is never ahead of the
   * tenant's clock; the next incremental pass starts from it, so nothing entered in between is lost.
   */
  asOfSkewSeconds: z.number().int().min(0).default(60),
  /** Overlap subtracted from the stored cursor on incremental passes (docs/providers.md §8). */
  lookbackSeconds: z.number().int().min(0).default(300),
  /**
   * `Transaction_Type_References` of the transaction-log criteria. Empty means "no type filter". When types are
   * listed, `rescindAndCorrectionTypes` are added, since changes are missed otherwise (docs/providers.md §5.3).
   */
  transactionTypes: z.array(z.string().min(1)).default([]),
  /** (unverified) ID type of the listed transaction types (Get_Workers uses `Business_Process_Type`). */
  transactionTypeIdType: z.string().min(1).default('Business_Process_Type'),
  /** (unverified) Type ids of rescind and correction transactions in the tenant. */
  rescindAndCorrectionTypes: z.array(z.string().min(1)).default(['Rescind', 'Correction']),
  /**
   * (unverified) Whether `Get_Job_Requisitions` honours `Transaction_Log_Criteria_Data`. Off by default: job
   * passes are always full (requisitions are few).
   */
  jobsUseTransactionLog: z.boolean().default(false),
  /**
   * (unverified) `Response_Group/Include_Transaction_Log_Data` on `Get_Candidates` (as on `Get_Workers`): needed
   * for `remoteUpdatedAt` and for turning rescinds into deletions.
   */
  includeTransactionLogData: z.boolean().default(true),
  /**
   * The recruiting business-process steps of the tenant, in pipeline order: they become `CanonicalJob.stages`.
   * Workday does not list them on the requisition, so they are configured (tenant-specific).
   */
  workflowSteps: z.array(workflowStepSchema).default([]),
  /**
   * `Next_Step_Reference` with a `Workflow_Step_ID` (secondary, Kombo) or `Recruiting_Stage_Reference` with a
   * `Recruiting_Stage_ID`, which some clients send depending on the version (unverified, docs/providers.md §5.4).
   * Also decides which id is reported as the application's stage id, so reads and writes agree.
   */
  moveStageReference: z
    .enum(['Next_Step_Reference', 'Recruiting_Stage_Reference'])
    .default('Next_Step_Reference'),
  /** `Workflow_Step_ID` of the disposition step used by `reject` (tenant-specific). */
  dispositionStepId: z.string().trim().min(1).optional(),
  /** Disposition step for withdrawals; falls back to `dispositionStepId`. */
  withdrawStepId: z.string().trim().min(1).optional(),
  /**
   * (unverified) Also send the rejection reason as `Disposition_Reference` (`Disposition_ID`) next to the
   * disposition step.
   */
  sendDispositionReason: z.boolean().default(true),
  /** `Recruiting_Stage_ID`s (or step ids) meaning the application is hired (tenant-specific). */
  hiredStageIds: z.array(z.string().min(1)).default(['Hired']),
  /** Disposition ids meaning the candidate withdrew ("they rejected us"); others read as `rejected`. */
  withdrawnDispositionIds: z.array(z.string().min(1)).default([]),
  /**
   * (unverified, customer-specific) Where funnel metrics are POSTed as JSON with the same credentials, e.g. an
   * inbound EIB/Studio/Orchestrate endpoint the customer built. Without it analytics push is off.
   */
  analyticsEndpoint: providerUrl.optional(),
  requestTimeoutMs: z.number().int().positive().default(60_000),
  ...writeBackSettings,
  ...syncSettings,
  /**
   * `Document_Category__Workday_Owned__ID` of a resume sent with `Put_Candidate_Attachment` (secondary: a public
   * Python client lists CANDIDATE_RESUME_AND_COVER_LETTER; tenants may differ).
   */
  resumeDocumentCategoryId: z.string().trim().min(1).max(200).default('CANDIDATE_RESUME_AND_COVER_LETTER'),
});

export type WorkdaySettings = z.output<typeof workdaySettingsSchema>;
export type WorkdayWorkflowStep = z.output<typeof workflowStepSchema>;

export const parseWorkdayConfig = configParser('workday', {
  credentials: workdayCredentialsSchema,
  settings: workdaySettingsSchema,
});

/**
 * Workday `Job_Requisition` → CanonicalJob. Requisition status ids Open / Closed / Filled / Frozen (secondary,
 * public clients compare the status descriptor with "OPEN"); a Frozen requisition is on hold, so paused.
 * Contingent_Worker requisitions read as contract.
 * Stages are the tenant's configured workflow steps, since requisitions do not list them.
 */
import type { CanonicalJob, CanonicalStage } from '../../domain/canonical.js';
import { anyIdOf, idsByType, nonBlank } from './references.js';
import type { WorkdayJobRequisition, WorkdayReference } from './schemas.js';
import { WorkdayMappingError } from './to-application.js';
import { latestEntryMoment } from './transaction-log.js';

function normalised(ref: WorkdayReference | undefined): string[] {
  if (!ref) return [];
  const values = [...idsByType(ref).values()];
  if (ref.descriptor) values.push(ref.descriptor);
  return values.map((value) => value.toLowerCase().replace(/[\s-]+/g, '_'));
}

function statusOf(ref: WorkdayReference | undefined): CanonicalJob['status'] {
  const values = normalised(ref);
  if (values.includes('open')) return 'open';
  if (values.some((v) => v === 'draft' || v === 'pending' || v === 'not_started')) return 'draft';
  if (values.includes('frozen')) return 'paused';
  return 'closed';
}

function employmentTypeOf(workerType: WorkdayReference | undefined, timeType: WorkdayReference | undefined) {
  const worker = normalised(workerType);
  if (worker.some((v) => v.includes('contingent') || v.includes('contractor'))) return 'contract' as const;
  const time = normalised(timeType);
  if (time.some((v) => v.startsWith('part'))) return 'part_time' as const;
  if (time.some((v) => v.startsWith('full'))) return 'full_time' as const;
  return null;
}

export function toJob(requisition: WorkdayJobRequisition, stages: readonly CanonicalStage[]): CanonicalJob {
  const data = requisition.Job_Requisition_Data;
  const remoteId =
    anyIdOf(requisition.Job_Requisition_Reference, 'Job_Requisition_ID') ??
    nonBlank(data?.Job_Requisition_ID);
  if (!remoteId) throw new WorkdayMappingError('job requisition without id');
  const detail = data?.Job_Requisition_Detail_Data;
  return {
    remoteId,
    title:
      nonBlank(detail?.Job_Posting_Title) ??
      nonBlank(data?.Job_Posting_Title) ??
      nonBlank(requisition.Job_Requisition_Reference?.descriptor) ??
      remoteId,
    status: statusOf(data?.Job_Requisition_Status_Reference),
    employmentType: employmentTypeOf(detail?.Worker_Type_Reference, detail?.Time_Type_Reference),
    stages: [...stages],
    // a requisition without the element does not report it; its supervisory organization and pay are not read
    ...(detail?.Job_Description === undefined ? {} : { description: nonBlank(detail.Job_Description) }),
    ...(detail?.Primary_Location_Reference === undefined
      ? {}
      : { office: nonBlank(detail.Primary_Location_Reference.descriptor) }),
    remoteUpdatedAt: latestEntryMoment(data?.Transaction_Log_Entry_Data?.Transaction_Log_Entry ?? []),
  };
}

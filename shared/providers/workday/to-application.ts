/**
 * Workday job applications (nested in `Candidate_Data/Job_Application_Data`) → CanonicalApplication.
 *
 * Stage id: the `Workflow_Step_ID` of `Workflow_Step_Reference` (what `Next_Step_Reference` moves to), or the
 * `Recruiting_Stage_ID` of `Stage_Reference` when the integration moves by recruiting stage. Status: a
 * `Disposition_Reference` closes the application (withdrawn for the configured disposition ids, else rejected);
 * the configured hired stages mean hired; anything else is active.
 */
import type { CanonicalApplication } from '../../domain/canonical.js';
import type { ApplicationStatus } from '../../domain/pipeline.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import { anyIdOf, idOf, idsByType, nonBlank } from './references.js';
import type { JobAppliedTo, WorkdayCandidate } from './schemas.js';
import { candidateRemoteId } from './to-candidate.js';

export interface ApplicationMapping {
  stageIdSource: 'workflow_step' | 'recruiting_stage';
  hiredStageIds: readonly string[];
  withdrawnDispositionIds: readonly string[];
}

export class WorkdayMappingError extends Error {
  override name = 'WorkdayMappingError';
}

function stageOf(applied: JobAppliedTo, mapping: ApplicationMapping): CanonicalApplication['stage'] {
  const step = applied.Workflow_Step_Reference;
  const stage = applied.Stage_Reference;
  const stepId = idOf(step, 'Workflow_Step_ID');
  const stageId = idOf(stage, 'Recruiting_Stage_ID');
  const remoteId = mapping.stageIdSource === 'workflow_step' ? (stepId ?? stageId) : (stageId ?? stepId);
  const name = nonBlank(stage?.descriptor) ?? stageId ?? nonBlank(step?.descriptor) ?? stepId;
  if (!remoteId && !name) return null;
  return { remoteId, name: name ?? remoteId ?? '' };
}

function statusOf(
  applied: JobAppliedTo,
  mapping: ApplicationMapping,
): { status: ApplicationStatus; reason: string | null } {
  const disposition = applied.Disposition_Reference;
  if (disposition && disposition.ids.length + (disposition.descriptor ? 1 : 0) > 0) {
    const ids = [...idsByType(disposition).values()];
    const withdrawn = ids.some((id) => mapping.withdrawnDispositionIds.includes(id));
    const reason = nonBlank(disposition.descriptor) ?? ids[0] ?? null;
    return { status: withdrawn ? 'withdrawn' : 'rejected', reason };
  }
  const stageIds = [
    idOf(applied.Stage_Reference, 'Recruiting_Stage_ID'),
    idOf(applied.Workflow_Step_Reference, 'Workflow_Step_ID'),
  ];
  const hired = stageIds.some((id) => id !== null && mapping.hiredStageIds.includes(id));
  return { status: hired ? 'hired' : 'active', reason: null };
}

/** Every application of the candidate; ids are `Job_Application_ID`s (WID as a fallback). */
export function toApplications(
  candidate: WorkdayCandidate,
  mapping: ApplicationMapping,
): CanonicalApplication[] {
  const candidateId = candidateRemoteId(candidate);
  const applications: CanonicalApplication[] = [];
  for (const application of candidate.Candidate_Data?.Job_Application_Data ?? []) {
    const applied = application.Job_Applied_To_Data[0];
    if (!applied) continue;
    const remoteId =
      nonBlank(applied.Job_Application_ID) ??
      anyIdOf(application.Job_Application_Reference, 'Job_Application_ID');
    const jobRemoteId = anyIdOf(applied.Job_Requisition_Reference, 'Job_Requisition_ID');
    if (!candidateId || !remoteId || !jobRemoteId) {
      throw new WorkdayMappingError('job application without candidate, application or requisition id');
    }
    const { status, reason } = statusOf(applied, mapping);
    applications.push({
      remoteId,
      candidateRemoteId: candidateId,
      jobRemoteId,
      stage: stageOf(applied, mapping),
      status,
      rejectionReason: status === 'active' || status === 'hired' ? null : reason,
      appliedAt: toIsoTimestamp(applied.Job_Application_Date),
      remoteUpdatedAt: toIsoTimestamp(applied.Status_Timestamp),
    });
  }
  return applications;
}

/** Application ids present in the candidate's data (for telling rescinds that deleted something). */
export function applicationIdsOf(candidate: WorkdayCandidate): Set<string> {
  const ids = new Set<string>();
  for (const application of candidate.Candidate_Data?.Job_Application_Data ?? []) {
    const applied = application.Job_Applied_To_Data[0];
    const id =
      nonBlank(applied?.Job_Application_ID) ??
      anyIdOf(application.Job_Application_Reference, 'Job_Application_ID');
    if (id) ids.add(id);
  }
  return ids;
}

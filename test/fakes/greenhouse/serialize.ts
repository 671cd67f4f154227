/** Greenhouse wire shapes (v3 and webhook), written independently of shared/providers. */
import {
  type GhApplication,
  type GhCandidate,
  type GhJob,
  type GhStage,
  type GhState,
  REJECTION_REASONS,
} from './state.js';

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function rejectionReason(id: number | null) {
  const reason = REJECTION_REASONS.find((r) => r.id === id);
  return reason
    ? { id: reason.id, name: reason.name, type: { id: reason.id - 9000, name: reason.type } }
    : null;
}

export function v3Job(job: GhJob) {
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    confidential: false,
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
    opened_at: iso(job.createdAt),
    closed_at: job.status === 'closed' ? iso(job.updatedAt) : null,
    departments: [{ ...job.department, parent_id: null, child_ids: [], external_id: null }],
    // a job without an office carries an empty list, not null
    offices: job.office
      ? [
          {
            id: job.office.id,
            name: job.office.name,
            location: { name: job.office.location },
            parent_id: null,
          },
        ]
      : [],
    custom_fields: {
      employment_type: { name: 'Employment Type', type: 'single_select', value: job.employmentType },
    },
  };
}

export function v3Stage(stage: GhStage, job: GhJob) {
  return {
    id: stage.id,
    job_id: stage.jobId,
    name: stage.name,
    sort_order: stage.sortOrder,
    active: true,
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
  };
}

export function v3Candidate(c: GhCandidate) {
  return {
    id: c.id,
    first_name: c.firstName,
    last_name: c.lastName,
    company: c.company ?? null,
    title: c.title ?? null,
    email_addresses: c.emails.map((value) => ({ value, type: 'personal' })),
    phone_numbers: c.phones.map((value) => ({ value, type: 'mobile' })),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    last_activity_at: iso(c.updatedAt),
    private: false,
    tags: c.tags ?? [],
  };
}

export function v3Application(a: GhApplication, state: GhState) {
  const stage = a.stageId === null ? null : (state.stageById.get(a.stageId) ?? null);
  return {
    id: a.id,
    candidate_id: a.candidateId,
    job_id: a.jobId,
    prospect: a.prospect,
    stage_id: a.applicationStageId,
    job_interview_stage_id: a.stageId,
    stage_name: stage?.name ?? null,
    status: a.status === 'active' ? 'in_process' : a.status,
    rejected_at: iso(a.rejectedAt),
    rejection_reason_id: a.rejectionReasonId,
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
    last_activity_at: iso(a.lastActivityAt),
  };
}

/** `payload.application` of application webhooks (v1-like, with nested candidate and jobs). */
export function webhookApplication(a: GhApplication, state: GhState) {
  const candidate = state.candidateById.get(a.candidateId);
  const stage = a.stageId === null ? null : (state.stageById.get(a.stageId) ?? null);
  const job = state.jobById.get(a.jobId);
  return {
    id: a.id,
    rejected_at: iso(a.rejectedAt),
    prospect: a.prospect,
    status: a.status,
    applied_at: iso(a.createdAt),
    last_activity_at: iso(a.lastActivityAt),
    url: `https://app.greenhouse.io/people/${a.candidateId}?application_id=${a.id}`,
    source: { id: 1, name: 'Jobs page on your website' },
    credited_to: null,
    rejection_reason: rejectionReason(a.rejectionReasonId),
    rejection_details: null,
    current_stage: stage ? { id: stage.id, name: stage.name, interviews: [] } : null,
    custom_fields: {},
    candidate: candidate
      ? {
          id: candidate.id,
          first_name: candidate.firstName,
          last_name: candidate.lastName,
          title: candidate.title ?? null,
          company: candidate.company ?? null,
          created_at: iso(candidate.createdAt),
          is_private: false,
          can_email: true,
          phone_numbers: candidate.phones.map((value) => ({ value, type: 'mobile' })),
          email_addresses: candidate.emails.map((value) => ({ value, type: 'personal' })),
          attachments: [],
          tags: candidate.tags ?? [],
          custom_fields: {},
        }
      : null,
    jobs: job
      ? [
          {
            id: job.id,
            name: job.name,
            requisition_id: null,
            notes: '<p>Role notes</p>',
            confidential: false,
            status: job.status,
            created_at: iso(job.createdAt),
            opened_at: iso(job.createdAt),
            closed_at: null,
            departments: [],
            offices: [],
            custom_fields: {},
          },
        ]
      : [],
  };
}

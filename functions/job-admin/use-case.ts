import type { Sql } from 'postgres';
import type { CreateJobBody, JobView, UpdateJobBody } from '../../shared/api/jobs.js';
import { toJobView } from '../../shared/api/views.js';
import { findJob, findJobForUpdate, insertJob, updateJob } from '../../shared/db/repositories/jobs.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import {
  allowedTransitions,
  canTransition,
  changedJobFields,
  type JobFields,
} from '../../shared/domain/job-lifecycle.js';
import { buildJobStages, customStageProblems } from '../../shared/domain/pipeline.js';
import type { Principal } from '../../shared/http/types.js';

export interface JobAdminDependencies {
  sql: Sql;
}

export async function createJob(
  deps: JobAdminDependencies,
  principal: Principal,
  body: CreateJobBody,
): Promise<JobView> {
  const problems = customStageProblems(body.customStages);
  if (problems.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'invalid custom stages', {
      issues: problems.map((message) => ({ path: 'body.customStages', message })),
    });
  }
  const row = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    insertJob(tx, {
      organizationId: principal.organizationId,
      title: body.title,
      employmentType: body.employmentType,
      status: body.status,
      stages: buildJobStages(body.customStages),
    }),
  );
  return toJobView(row);
}

/**
 * Edits a job and follows its lifecycle. A patch that changes nothing writes nothing and emits no event; any
 * change is written with one `job.updated` event naming the changed fields, in the same transaction. Synced
 * jobs are edited in the hub only: the hub pushes no job edit to a provider (docs/ats-record.md, "Jobs").
 */
export async function patchJob(
  deps: JobAdminDependencies,
  principal: Principal,
  jobId: string,
  body: UpdateJobBody,
): Promise<JobView> {
  const view = await withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    const row = await findJobForUpdate(tx, jobId);
    if (!row) throw notFound('job');
    const current = fieldsOf(toJobView(row));
    if (body.status !== undefined && !canTransition(current.status, body.status)) {
      throw new DomainError('INVALID_TRANSITION', `a ${current.status} job cannot become ${body.status}`, {
        from: current.status,
        to: body.status,
        allowed: allowedTransitions(current.status),
      });
    }
    const changed = changedJobFields(current, body);
    if (changed.length === 0) return toJobView(row);
    const next: JobFields = { ...current };
    for (const field of changed) Object.assign(next, { [field]: body[field] });
    await updateJob(tx, jobId, next, changed);
    return toJobView((await findJob(tx, jobId))!);
  });
  return view;
}

function fieldsOf(view: JobView): JobFields {
  return {
    title: view.title,
    status: view.status,
    description: view.description,
    department: view.department,
    office: view.office,
    remotePolicy: view.remotePolicy,
    salaryRange: view.salaryRange,
  };
}

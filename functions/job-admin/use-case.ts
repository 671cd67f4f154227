import type { Sql } from 'postgres';
import type { CreateJobBody, JobView } from '../../shared/api/jobs.js';
import { toJobView } from '../../shared/api/views.js';
import { insertJob } from '../../shared/db/repositories/jobs.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError } from '../../shared/domain/errors.js';
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

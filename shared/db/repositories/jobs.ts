import type { StageDefinition } from '../../domain/pipeline.js';
import type { Tx } from '../tenant.js';

export interface JobRow {
  id: string;
  title: string;
  employment_type: string;
  status: string;
  created_at: Date;
  /** The richer job fields (migration 0010); absent on rows of statements that do not select them. */
  description?: string | null;
  department?: string | null;
  office?: string | null;
  remote_policy?: string | null;
  /** numeric columns arrive as strings */
  salary_min?: string | number | null;
  salary_max?: string | number | null;
  salary_currency?: string | null;
  stages: { id: string; name: string; position: number; owner: string; fixed: boolean; kind: string }[];
  /** The provider link of a synced job; absent (a new hub job) or null for local jobs. */
  source_ref?: { provider: string; integrationId: string; remoteId: string } | null;
}

const jobColumns = (tx: Tx) => tx`
  j.id, j.title, j.employment_type, j.status, j.created_at, j.description, j.department, j.office,
  j.remote_policy, j.salary_min, j.salary_max, j.salary_currency,
  coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name, 'position', s.position,
      'owner', s.owner, 'fixed', s.fixed, 'kind', s.kind) order by s.position)
    from job_stages s where s.job_id = j.id), '[]'::json) as stages,
  -- jobs.source is the provider's name for synced jobs, so the portal (which may not read integrations) sees it
  (select json_build_object('provider', j.source, 'integrationId', r.integration_id, 'remoteId', r.remote_id)
    from external_refs r where r.object_type = 'job' and r.local_id = j.id
    order by r.id limit 1) as source_ref`;

/** The job and its whole pipeline in one statement. */
export async function insertJob(
  tx: Tx,
  input: {
    organizationId: string;
    title: string;
    employmentType: string;
    status: string;
    stages: StageDefinition[];
  },
): Promise<JobRow> {
  const s = input.stages;
  const [row] = await tx<JobRow[]>`
    with job as (
      insert into jobs (organization_id, title, employment_type, status)
      values (${input.organizationId}, ${input.title}, ${input.employmentType}, ${input.status})
      returning *
    ), stages as (
      insert into job_stages (organization_id, job_id, name, position, kind, owner, fixed)
      select job.organization_id, job.id, st.name, st.position, st.kind, st.owner, st.fixed::boolean
      from job, unnest(${s.map((x) => x.name)}::text[], ${s.map((x) => x.position)}::int[],
        ${s.map((x) => x.kind)}::text[], ${s.map((x) => x.owner)}::text[], ${s.map((x) => String(x.fixed))}::text[])
        as st(name, position, kind, owner, fixed)
      returning id, name, position, owner, fixed, kind
    )
    select job.id, job.title, job.employment_type, job.status, job.created_at, job.description, job.department,
      job.office, job.remote_policy, job.salary_min, job.salary_max, job.salary_currency,
      (select json_agg(json_build_object('id', id, 'name', name, 'position', position, 'owner', owner,
        'fixed', fixed, 'kind', kind) order by position) from stages) as stages
    from job`;
  return row!;
}

export async function findJob(tx: Tx, jobId: string): Promise<JobRow | undefined> {
  const [row] = await tx<JobRow[]>`
    select ${jobColumns(tx)} from jobs j where j.id = ${jobId} and j.deleted_at is null`;
  return row;
}

export async function listOpenJobs(tx: Tx): Promise<JobRow[]> {
  return tx<JobRow[]>`
    select ${jobColumns(tx)} from jobs j
    where j.status = 'open' and j.deleted_at is null and j.organization_id = app_org()
    order by j.created_at desc, j.id desc
    limit 500`;
}

/** The job, locked until the transaction ends, so a concurrent edit waits and sees this one's result. */
export async function findJobForUpdate(tx: Tx, jobId: string): Promise<JobRow | undefined> {
  const [locked] = await tx<{ id: string }[]>`
    select id from jobs where id = ${jobId} and deleted_at is null for update`;
  return locked ? findJob(tx, jobId) : undefined;
}

export interface JobUpdate {
  title: string;
  status: string;
  description: string | null;
  department: string | null;
  office: string | null;
  remotePolicy: string | null;
  salaryRange: { min: number; max: number; currency: string } | null;
}

/** Writes the job's new fields and its `job.updated` outbox event in one statement. */
export async function updateJob(
  tx: Tx,
  jobId: string,
  fields: JobUpdate,
  changed: readonly string[],
): Promise<void> {
  const range = fields.salaryRange;
  await tx`
    with updated as (
      update jobs set title = ${fields.title}, status = ${fields.status}, description = ${fields.description},
        department = ${fields.department}, office = ${fields.office}, remote_policy = ${fields.remotePolicy},
        salary_min = ${range?.min ?? null}, salary_max = ${range?.max ?? null},
        salary_currency = ${range?.currency ?? null}, updated_at = now()
      where id = ${jobId} and deleted_at is null
      returning id, organization_id, status
    )
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
    select organization_id, 'job', id, 'job.updated',
      jsonb_build_object('jobId', id, 'status', status, 'changed', ${tx.json([...changed] as never)}::jsonb)
    from updated`;
}

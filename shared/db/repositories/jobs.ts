import type { StageDefinition } from '../../domain/pipeline.js';
import type { Tx } from '../tenant.js';

export interface JobRow {
  id: string;
  title: string;
  employment_type: string;
  status: string;
  created_at: Date;
  stages: { id: string; name: string; position: number; owner: string; fixed: boolean; kind: string }[];
  /** The provider link of a synced job; absent (a new hub job) or null for local jobs. */
  source_ref?: { provider: string; integrationId: string; remoteId: string } | null;
}

const jobColumns = (tx: Tx) => tx`
  j.id, j.title, j.employment_type, j.status, j.created_at,
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
    select job.id, job.title, job.employment_type, job.status, job.created_at,
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

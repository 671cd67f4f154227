import { randomUUID } from 'node:crypto';
import type { CanonicalJob, CanonicalStage } from '../../domain/canonical.js';
import { JOB_DESCRIPTION_MAX } from '../../domain/job-lifecycle.js';
import { buildJobStages, FIXED_STAGE_NAMES, type StageKind } from '../../domain/pipeline.js';
import type { Tx } from '../tenant.js';

export interface SyncScope {
  organizationId: string;
  integrationId: string;
  provider: string;
  syncRunId: string | null;
  now: Date;
}

export interface UpsertCounts {
  created: number;
  updated: number;
}

const FIXED = new Set(Object.values(FIXED_STAGE_NAMES).map((n) => n.toLowerCase()));

const stageName = (name: string) => name.trim().slice(0, 100);

/** The provider's stages that become custom stages: named, not a fixed stage's name, first of each name. */
export function customStageNames(stages: readonly CanonicalStage[]): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const stage of [...stages].sort((a, b) => a.position - b.position)) {
    const name = stageName(stage.name);
    const key = name.toLowerCase();
    if (name === '' || FIXED.has(key) || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

interface StageRow {
  id: string;
  job_id: string;
  name: string;
  kind: StageKind;
  position: number;
}

/** The richer job columns (migration 0010) as stored; numeric arrives as a string. */
interface StoredJobFields {
  description: string | null;
  department: string | null;
  office: string | null;
  remote_policy: string | null;
  salary_min: string | number | null;
  salary_max: string | number | null;
  salary_currency: string | null;
}

const clip = (value: string | null | undefined, max: number) => {
  const trimmed = value?.trim().slice(0, max);
  return trimmed ? trimmed : null;
};
const cents = (n: number) => Math.round(n * 100) / 100;
const numberOrNull = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : Number(value);

/** A range the columns accept (both bounds, min <= max, a three-letter code), or null. */
function validRange(
  range: CanonicalJob['salaryRange'],
): { min: number; max: number; currency: string } | null {
  if (!range) return null;
  const currency = range.currency.trim().toUpperCase();
  const [min, max] = [cents(range.min), cents(range.max)];
  if (!/^[A-Z]{3}$/.test(currency) || !(min >= 0) || !(max >= min) || max > 999_999_999_999) return null;
  return { min, max, currency };
}

/**
 * The provider's optional job fields over what the hub stores: a field the provider reports (even as null)
 * replaces the stored value, an absent one keeps it. Values are cut to the columns' limits so a long remote
 * value cannot fail the page, and compared in stored form so an unchanged re-sync writes nothing.
 */
export function mergeJobFields(job: CanonicalJob, stored: StoredJobFields | undefined): StoredJobFields {
  const range = job.salaryRange === undefined ? undefined : validRange(job.salaryRange);
  return {
    description:
      job.description === undefined
        ? (stored?.description ?? null)
        : clip(job.description, JOB_DESCRIPTION_MAX),
    department: job.department === undefined ? (stored?.department ?? null) : clip(job.department, 200),
    office: job.office === undefined ? (stored?.office ?? null) : clip(job.office, 200),
    remote_policy: job.remotePolicy === undefined ? (stored?.remote_policy ?? null) : job.remotePolicy,
    salary_min: range === undefined ? numberOrNull(stored?.salary_min) : (range?.min ?? null),
    salary_max: range === undefined ? numberOrNull(stored?.salary_max) : (range?.max ?? null),
    salary_currency: range === undefined ? (stored?.salary_currency ?? null) : (range?.currency ?? null),
  };
}

interface RefRow {
  object_type: 'job' | 'stage';
  remote_id: string;
  local_id: string;
}

/**
 * One page of jobs: jobs, their stages (new jobs get the hub pipeline with the provider's stages as custom
 * stages) and their external refs, upserted by ONE statement; an unchanged job is not written
 * (`is distinct from`). Existing jobs get stages the provider added since (rare, per job).
 */
export async function upsertJobsPage(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalJob[],
): Promise<UpsertCounts> {
  const jobs = [...new Map(records.map((r) => [r.remoteId, r])).values()];
  if (jobs.length === 0) return { created: 0, updated: 0 };
  const refs = await tx<(RefRow & StoredJobFields)[]>`
    select r.object_type, r.remote_id, r.local_id, j.description, j.department, j.office, j.remote_policy,
      j.salary_min, j.salary_max, j.salary_currency
    from external_refs r left join jobs j on j.id = r.local_id
    where r.integration_id = ${scope.integrationId} and r.object_type = 'job'
      and r.remote_id = any(${jobs.map((j) => j.remoteId)}::text[])`;
  const localByRemote = new Map(refs.map((r) => [r.remote_id, r.local_id]));
  const storedByRemote = new Map(refs.map((r) => [r.remote_id, r]));
  const fields = jobs.map((job) => mergeJobFields(job, storedByRemote.get(job.remoteId)));

  const ids: string[] = [];
  const stageRows: {
    id: string;
    jobId: string;
    name: string;
    position: number;
    kind: StageKind;
    owner: string;
    fixed: boolean;
  }[] = [];
  const newRefs: { type: 'job' | 'stage'; local: string; remote: string; updated: string | null }[] = [];
  const existing: CanonicalJob[] = [];
  for (const job of jobs) {
    const known = localByRemote.get(job.remoteId);
    if (known) {
      ids.push(known);
      if (job.stages.length > 0) existing.push(job);
      continue;
    }
    const id = randomUUID();
    ids.push(id);
    newRefs.push({ type: 'job', local: id, remote: job.remoteId, updated: job.remoteUpdatedAt });
    const definitions = buildJobStages(customStageNames(job.stages)).map((d) => ({ ...d, id: randomUUID() }));
    for (const d of definitions) {
      stageRows.push({
        id: d.id,
        jobId: id,
        name: d.name,
        position: d.position,
        kind: d.kind,
        owner: d.owner,
        fixed: d.fixed,
      });
    }
    const byName = new Map(definitions.map((d) => [d.name.toLowerCase(), d.id]));
    const linked = new Set<string>();
    for (const stage of job.stages) {
      const local = byName.get(stageName(stage.name).toLowerCase());
      if (!local || linked.has(local) || stage.remoteId === '') continue;
      linked.add(local);
      newRefs.push({ type: 'stage', local, remote: stage.remoteId, updated: null });
    }
  }

  const [counts] = await tx<UpsertCounts[]>`
    with input as (
      select * from unnest(${ids}::uuid[], ${jobs.map((j) => j.title.slice(0, 300) || 'Untitled')}::text[],
        ${jobs.map((j) => j.status)}::text[], ${jobs.map((j) => j.employmentType ?? 'full_time')}::text[],
        ${jobs.map((j) => j.remoteUpdatedAt)}::timestamptz[], ${fields.map((f) => f.description)}::text[],
        ${fields.map((f) => f.department)}::text[], ${fields.map((f) => f.office)}::text[],
        ${fields.map((f) => f.remote_policy)}::text[], ${fields.map((f) => f.salary_min)}::numeric[],
        ${fields.map((f) => f.salary_max)}::numeric[], ${fields.map((f) => f.salary_currency)}::text[])
        as t(id, title, status, employment_type, source_updated_at, description, department, office, remote_policy,
          salary_min, salary_max, salary_currency)
    ), upserted as (
      insert into jobs as j (id, organization_id, title, employment_type, status, source, source_updated_at, created_at,
        description, department, office, remote_policy, salary_min, salary_max, salary_currency)
      select id, ${scope.organizationId}, title, employment_type, status, ${scope.provider}, source_updated_at, ${scope.now},
        description, department, office, remote_policy, salary_min, salary_max, salary_currency
      from input
      on conflict (id) do update set title = excluded.title, employment_type = excluded.employment_type,
        status = excluded.status, source_updated_at = excluded.source_updated_at, description = excluded.description,
        department = excluded.department, office = excluded.office, remote_policy = excluded.remote_policy,
        salary_min = excluded.salary_min, salary_max = excluded.salary_max, salary_currency = excluded.salary_currency,
        deleted_at = null, updated_at = now()
      where (j.title, j.employment_type, j.status, j.source_updated_at, j.deleted_at, j.description, j.department,
          j.office, j.remote_policy, j.salary_min, j.salary_max, j.salary_currency)
        is distinct from (excluded.title, excluded.employment_type, excluded.status, excluded.source_updated_at, null,
          excluded.description, excluded.department, excluded.office, excluded.remote_policy, excluded.salary_min,
          excluded.salary_max, excluded.salary_currency)
        and (j.source_updated_at is null or excluded.source_updated_at is null or excluded.source_updated_at >= j.source_updated_at)
      returning (xmax = 0) as inserted
    ), stages as (
      insert into job_stages (id, organization_id, job_id, name, position, kind, owner, fixed)
      select s.id, ${scope.organizationId}, s.job_id, s.name, s.position, s.kind, s.owner, s.fixed
      from unnest(${stageRows.map((s) => s.id)}::uuid[], ${stageRows.map((s) => s.jobId)}::uuid[],
        ${stageRows.map((s) => s.name)}::text[], ${stageRows.map((s) => s.position)}::int[],
        ${stageRows.map((s) => s.kind)}::text[], ${stageRows.map((s) => s.owner)}::text[],
        ${stageRows.map((s) => String(s.fixed))}::text[]::bool[]) as s(id, job_id, name, position, kind, owner, fixed)
    ), refs as (
      insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id, remote_updated_at, created_at)
      select ${scope.organizationId}, ${scope.integrationId}, r.object_type, r.local_id, r.remote_id, r.remote_updated_at, ${scope.now}
      from unnest(${newRefs.map((r) => r.type)}::text[], ${newRefs.map((r) => r.local)}::uuid[],
        ${newRefs.map((r) => r.remote)}::text[], ${newRefs.map((r) => r.updated)}::timestamptz[])
        as r(object_type, local_id, remote_id, remote_updated_at)
      on conflict do nothing
    )
    select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated
    from upserted`;
  if (existing.length > 0) await addMissingStages(tx, scope, existing, localByRemote);
  return counts ?? { created: 0, updated: 0 };
}

/** Stages the provider added to a job the hub already has: inserted before Offer, and linked by name. */
async function addMissingStages(
  tx: Tx,
  scope: SyncScope,
  jobs: readonly CanonicalJob[],
  localByRemote: ReadonlyMap<string, string>,
): Promise<void> {
  const jobIds = jobs.map((j) => localByRemote.get(j.remoteId)!);
  const stages = await tx<(StageRow & { remote_id: string | null })[]>`
    select s.id, s.job_id, s.name, s.kind, s.position, r.remote_id
    from job_stages s
    left join external_refs r on r.integration_id = ${scope.integrationId} and r.object_type = 'stage' and r.local_id = s.id
    where s.job_id = any(${jobIds}::uuid[])
    order by s.job_id, s.position`;
  const refs: { local: string; remote: string }[] = [];
  for (const job of jobs) {
    const jobId = localByRemote.get(job.remoteId)!;
    const local = stages.filter((s) => s.job_id === jobId);
    const byName = new Map(local.map((s) => [s.name.toLowerCase(), s]));
    const missing = customStageNames(job.stages).filter((n) => !byName.has(n.toLowerCase()));
    if (missing.length > 0) {
      const offer = local.find((s) => s.kind === 'offer');
      if (!offer) continue;
      const k = missing.length;
      await tx`update job_stages set position = position + ${10_000 + k} where job_id = ${jobId} and position >= ${offer.position}`;
      const created = missing.map((name, i) => ({ id: randomUUID(), name, position: offer.position + i }));
      await tx`
        insert into job_stages (id, organization_id, job_id, name, position, kind, owner, fixed)
        select s.id, ${scope.organizationId}, ${jobId}, s.name, s.position, 'custom', 'ats', false
        from unnest(${created.map((c) => c.id)}::uuid[], ${created.map((c) => c.name)}::text[], ${created.map((c) => c.position)}::int[])
          as s(id, name, position)`;
      await tx`update job_stages set position = position - 10000 where job_id = ${jobId} and position >= 10000`;
      for (const c of created)
        byName.set(c.name.toLowerCase(), {
          id: c.id,
          job_id: jobId,
          name: c.name,
          kind: 'custom',
          position: c.position,
          remote_id: null,
        });
    }
    for (const stage of job.stages) {
      const target = byName.get(stageName(stage.name).toLowerCase());
      if (target && target.remote_id === null && stage.remoteId !== '') {
        refs.push({ local: target.id, remote: stage.remoteId });
        target.remote_id = stage.remoteId;
      }
    }
  }
  if (refs.length === 0) return;
  await tx`
    insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id, created_at)
    select ${scope.organizationId}, ${scope.integrationId}, 'stage', r.local_id, r.remote_id, ${scope.now}
    from unnest(${refs.map((r) => r.local)}::uuid[], ${refs.map((r) => r.remote)}::text[]) as r(local_id, remote_id)
    on conflict do nothing`;
}

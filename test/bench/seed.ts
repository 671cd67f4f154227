/** Deterministic seed data shared by the benchmarks (owner connection; RLS does not apply to the owner). */
import { createHash } from 'node:crypto';
import type { Sql } from '../../shared/db/client.js';
import { hashApiKey } from '../../shared/db/repositories/api-keys.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';

/** A stable UUID (v4 layout) derived from a label: the same seed gives the same ids in every run. */
export function seededUuid(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * md5(label) as a version-4 UUID, computable in SQL too (`md5UuidSql`): pgbench scripts pick rows by it.
 */
export function md5Uuid(label: string): string {
  const h = createHash('md5').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const md5UuidSql = (expression: string) =>
  `overlay(overlay(md5(${expression}) placing '4' from 13) placing '8' from 17)::uuid`;

/** Id of job `i` of a seeded tenant, and the SQL that computes it from a pgbench integer variable. */
export const jobId = (label: string, i: number) => md5Uuid(`${label}-job-${i}`);
export const jobIdSql = (label: string, variable: string) =>
  md5UuidSql(`'${label}-job-' || :${variable}::text`);

/** A deterministic API key of the documented shape (`hub_<role>_` + 43 base64url characters). */
export function seededApiKey(role: 'portal' | 'ats' | 'admin', label: string): string {
  return `hub_${role}_${createHash('sha256').update(`key:${label}`).digest('base64url')}`;
}

export interface SeededTenant {
  label: string;
  organizationId: string;
  jobIds: string[];
  portalKey: string;
  atsKey: string;
  integrationId: string;
}

/**
 * One organization with `jobs` open jobs (the standard pipeline plus one custom stage), a portal and an
 * ATS key, and one Greenhouse integration; ANALYZE afterwards.
 */
export async function seedTenant(owner: Sql, input: { label: string; jobs: number }): Promise<SeededTenant> {
  const organizationId = seededUuid(`${input.label}:org`);
  const integrationId = seededUuid(`${input.label}:integration`);
  const stages = buildJobStages(['Interview']);
  const jobIds = Array.from({ length: input.jobs }, (_, i) => jobId(input.label, i));
  const portalKey = seededApiKey('portal', input.label);
  const atsKey = seededApiKey('ats', input.label);
  await owner.begin(async (tx) => {
    await tx`insert into organizations (id, name) values (${organizationId}, ${`Bench ${input.label}`})`;
    await tx`
      insert into jobs (id, organization_id, title, employment_type)
      select id, ${organizationId}, 'Job ' || ord, 'full_time' from unnest(${jobIds}::uuid[]) with ordinality as j(id, ord)`;
    await tx`
      insert into job_stages (id, organization_id, job_id, name, position, kind, owner, fixed)
      select md5(j.id::text || s.name)::uuid, ${organizationId}, j.id, s.name, s.position::int, s.kind, s.owner,
        s.fixed::boolean
      from unnest(${jobIds}::uuid[]) as j(id)
      cross join unnest(${stages.map((s) => s.name)}::text[], ${stages.map((s) => String(s.position))}::text[],
        ${stages.map((s) => s.kind)}::text[], ${stages.map((s) => s.owner)}::text[],
        ${stages.map((s) => String(s.fixed))}::text[])
        as s(name, position, kind, owner, fixed)`;
    for (const [role, key] of [
      ['portal', portalKey],
      ['ats', atsKey],
    ] as const) {
      await tx`insert into api_keys (organization_id, role, key_hash, key_prefix, label)
        values (${organizationId}, ${role}, ${hashApiKey(key)}, ${key.slice(0, 12)}, ${`bench ${role}`})`;
    }
    await tx`insert into integrations (id, organization_id, provider, secret_ref, settings)
      values (${integrationId}, ${organizationId}, 'greenhouse', ${`integrations/${integrationId}`}, '{}')`;
  });
  await owner`analyze`;
  return { label: input.label, organizationId, jobIds, portalKey, atsKey, integrationId };
}

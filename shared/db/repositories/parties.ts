import type { Sql } from 'postgres';
import type { Tx } from '../tenant.js';
import { withTenant } from '../tenant.js';

export type OrganizationType = 'employer' | 'agency' | 'platform';

// a job never changes organization: remembered per execution environment, bounded
const jobOrganizations = new Map<string, string>();
const JOB_CACHE_MAX = 1_000;

/**
 * The organization a submission to this job lands in: the job's own (an agency's partner employer), or the
 * caller's when the job is not visible to it (the submission then answers 404 and writes nothing).
 */
export async function receivingOrganization(
  sql: Sql,
  organizationId: string,
  jobId: string,
): Promise<string> {
  const known = jobOrganizations.get(jobId);
  if (known) return known;
  const [row] = await withTenant(
    sql,
    organizationId,
    'portal',
    (tx) => tx<{ organization_id: string }[]>`select organization_id from jobs where id = ${jobId}`,
  );
  if (!row) return organizationId;
  if (jobOrganizations.size >= JOB_CACHE_MAX)
    jobOrganizations.delete(jobOrganizations.keys().next().value as string);
  jobOrganizations.set(jobId, row.organization_id);
  return row.organization_id;
}

export interface OrganizationRow {
  id: string;
  name: string;
  type: OrganizationType;
  parent_organization_id: string | null;
  created_at: Date;
}

/** The caller's organization type (its own row is always visible to it). */
export async function ownOrganizationType(tx: Tx): Promise<OrganizationType | undefined> {
  const [row] = await tx<{ type: OrganizationType }[]>`select type from organizations where id = app_org()`;
  return row?.type;
}

/** An employer or agency under the caller's platform (the policy refuses anyone but a platform's admin). */
export async function insertChildOrganization(
  tx: Tx,
  input: { name: string; type: 'employer' | 'agency' },
): Promise<OrganizationRow> {
  const [row] = await tx<OrganizationRow[]>`
    insert into organizations (name, type, parent_organization_id)
    values (${input.name}, ${input.type}, app_org())
    returning id, name, type, parent_organization_id, created_at`;
  return row!;
}

export interface PartnershipRow {
  id: string;
  organization_id: string;
  agency_organization_id: string;
  job_ids: string[];
  created_at: Date;
  ended_at: Date | null;
}

/** An agency under the caller's platform (definer check: the employer cannot read other organizations). */
export async function isSiblingAgency(tx: Tx, agencyId: string): Promise<boolean> {
  const [row] = await tx<{ ok: boolean }[]>`select sibling_agency(${agencyId}) as ok`;
  return row?.ok ?? false;
}

/** How many of these ids are the caller's own live jobs. */
export async function countOwnJobs(tx: Tx, jobIds: string[]): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from jobs
    where id = any(${jobIds}::uuid[]) and organization_id = app_org() and deleted_at is null`;
  return row?.n ?? 0;
}

const partnershipColumns = (tx: Tx) => tx`
  p.id, p.organization_id, p.agency_organization_id, p.created_at, p.ended_at,
  array(select pj.job_id from partnership_jobs pj where pj.partnership_id = p.id order by pj.job_id) as job_ids`;

export async function insertPartnership(
  tx: Tx,
  input: { id: string; agencyId: string; jobIds: string[] },
): Promise<PartnershipRow> {
  await tx`
    with p as (
      insert into partnerships (id, organization_id, agency_organization_id)
      values (${input.id}, app_org(), ${input.agencyId}) returning id
    )
    insert into partnership_jobs (organization_id, partnership_id, job_id)
    select app_org(), p.id, j from p, unnest(${input.jobIds}::uuid[]) as j`;
  const [row] = await tx<
    PartnershipRow[]
  >`select ${partnershipColumns(tx)} from partnerships p where p.id = ${input.id}`;
  return row!;
}

/** The caller's partnerships: as the employer, or as the agency. */
export async function listPartnerships(tx: Tx): Promise<PartnershipRow[]> {
  return tx<PartnershipRow[]>`
    select ${partnershipColumns(tx)} from partnerships p
    where p.organization_id = app_org() or p.agency_organization_id = app_org()
    order by p.created_at desc, p.id`;
}

/** Ends the employer's partnership (once: a second end keeps the first time). */
export async function endPartnership(tx: Tx, id: string): Promise<PartnershipRow | undefined> {
  const [row] = await tx<PartnershipRow[]>`
    with ended as (
      update partnerships set ended_at = coalesce(ended_at, now())
      where id = ${id} and organization_id = app_org() returning *
    )
    select ${partnershipColumns(tx)} from ended p`;
  return row;
}

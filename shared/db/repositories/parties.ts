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

/**
 * A platform with an employer (one open job with the standard stages) and two agencies under it, the first two
 * partnered on the job, written as the owner like seedTenantGraph; each organization with its three keys.
 */
import type { Sql } from 'postgres';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { insertJob } from '../../shared/db/repositories/jobs.js';
import { withTenant } from '../../shared/db/tenant.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';

export interface Party {
  id: string;
  keys: { portal: string; ats: string; admin: string };
}

export interface PartyWorld {
  platform: Party;
  employer: Party;
  agencies: [Party, Party];
  /** Partnered with both agencies. */
  jobId: string;
  /** The employer's job no agency is partnered on. */
  privateJobId: string;
  partnershipIds: [string, string];
}

export async function insertParty(
  owner: Sql,
  name: string,
  type: string,
  parent: string | null,
): Promise<Party> {
  const [row] = await owner<{ id: string }[]>`
    insert into organizations (name, type, parent_organization_id) values (${name}, ${type}, ${parent}) returning id`;
  const id = row!.id;
  const key = async (role: 'portal' | 'ats' | 'admin') =>
    (await insertApiKey(owner, { organizationId: id, role, label: `${name} ${role}` })).key;
  return { id, keys: { portal: await key('portal'), ats: await key('ats'), admin: await key('admin') } };
}

export async function insertOpenJob(app: Sql, organizationId: string, title: string): Promise<string> {
  const job = await withTenant(app, organizationId, 'admin', (tx) =>
    insertJob(tx, {
      organizationId,
      title,
      employmentType: 'full_time',
      status: 'open',
      stages: buildJobStages(['Interview']),
    }),
  );
  return job.id;
}

export async function seedPartyWorld(owner: Sql, app: Sql, name = 'P'): Promise<PartyWorld> {
  const platform = await insertParty(owner, `${name} platform`, 'platform', null);
  const employer = await insertParty(owner, `${name} employer`, 'employer', platform.id);
  const agencies: [Party, Party] = [
    await insertParty(owner, `${name} agency 1`, 'agency', platform.id),
    await insertParty(owner, `${name} agency 2`, 'agency', platform.id),
  ];
  const jobId = await insertOpenJob(app, employer.id, 'Partnered role');
  const privateJobId = await insertOpenJob(app, employer.id, 'In-house role');
  const partnershipIds = [] as unknown as [string, string];
  for (const agency of agencies) {
    const [p] = await owner<{ id: string }[]>`
      insert into partnerships (organization_id, agency_organization_id) values (${employer.id}, ${agency.id}) returning id`;
    await owner`insert into partnership_jobs (organization_id, partnership_id, job_id) values (${employer.id}, ${p!.id}, ${jobId})`;
    partnershipIds.push(p!.id);
  }
  return { platform, employer, agencies, jobId, privateJobId, partnershipIds };
}

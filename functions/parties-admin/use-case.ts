import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { CreateOrganizationBody, CreatePartnershipBody } from '../../shared/api/parties.js';
import { iso, isoOrNull } from '../../shared/api/views.js';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import {
  countOwnJobs,
  endPartnership,
  insertChildOrganization,
  insertPartnership,
  isSiblingAgency,
  listPartnerships,
  type OrganizationType,
  ownOrganizationType,
  type PartnershipRow,
} from '../../shared/db/repositories/parties.js';
import { type Tx, withTenant } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';

export interface PartiesDependencies {
  sql: Sql;
}

async function requireType(tx: Tx, type: OrganizationType, action: string): Promise<void> {
  if ((await ownOrganizationType(tx)) !== type) {
    throw new DomainError('FORBIDDEN', `only a${type === 'employer' ? 'n' : ''} ${type} ${action}`);
  }
}

/** A platform's admin creates an employer or an agency under it, with a portal, an ats and an admin key. */
export async function createOrganization(
  deps: PartiesDependencies,
  principal: Principal,
  body: CreateOrganizationBody,
) {
  return withTenant(deps.sql, principal.organizationId, 'admin', async (tx) => {
    await requireType(tx, 'platform', 'creates organizations');
    const org = await insertChildOrganization(tx, body);
    const key = async (role: 'portal' | 'ats' | 'admin') =>
      (
        await insertApiKey(tx as unknown as Sql, {
          organizationId: org.id,
          role,
          label: `${role} (created by platform)`,
        })
      ).key;
    return {
      id: org.id,
      name: org.name,
      type: org.type,
      parentOrganizationId: org.parent_organization_id,
      createdAt: iso(org.created_at),
      keys: { portal: await key('portal'), ats: await key('ats'), admin: await key('admin') },
    };
  });
}

function partnershipView(row: PartnershipRow) {
  return {
    id: row.id,
    employerOrganizationId: row.organization_id,
    agencyOrganizationId: row.agency_organization_id,
    jobIds: row.job_ids,
    createdAt: iso(row.created_at),
    endedAt: isoOrNull(row.ended_at),
  };
}

/** An employer's admin partners an agency of its platform on some of its own jobs; anything else is 404. */
export async function createPartnership(
  deps: PartiesDependencies,
  principal: Principal,
  body: CreatePartnershipBody,
) {
  return withTenant(deps.sql, principal.organizationId, 'admin', async (tx) => {
    await requireType(tx, 'employer', 'partners agencies');
    if (!(await isSiblingAgency(tx, body.agencyOrganizationId))) throw notFound('agency organization');
    if ((await countOwnJobs(tx, body.jobIds)) !== body.jobIds.length) throw notFound('job');
    const row = await insertPartnership(tx, {
      id: randomUUID(),
      agencyId: body.agencyOrganizationId,
      jobIds: body.jobIds,
    });
    return partnershipView(row);
  });
}

export async function getPartnerships(deps: PartiesDependencies, principal: Principal) {
  const rows = await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    listPartnerships(tx),
  );
  return { items: rows.map(partnershipView) };
}

export async function stopPartnership(deps: PartiesDependencies, principal: Principal, id: string) {
  const row = await withTenant(deps.sql, principal.organizationId, 'admin', (tx) => endPartnership(tx, id));
  if (!row) throw notFound('partnership');
  return partnershipView(row);
}

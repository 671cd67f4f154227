/**
 * What each party may read (docs/parties.md, "Visibility"), as owner-side predicates per table, and a probe that
 * reads every tenant table through row-level security as the runtime role with a party's settings and returns
 * the rows it should not have seen. Used by the visibility integration test and by reliability test R23.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { withTenant } from '../../shared/db/tenant.js';
import type { PartyWorld } from './parties.js';

export interface PartyScenario {
  /** Application of agency 1, agency 2, and the employer's own (direct). */
  applications: { agency1: string; agency2: string; direct: string };
}

async function application(tx: Sql, world: PartyWorld, submitter: string, stageId: string): Promise<string> {
  const id = randomUUID();
  const candidateId = randomUUID();
  const employer = world.employer.id;
  const byParty = submitter !== employer;
  await tx`insert into candidates (id, organization_id, submitting_organization_id, first_name, last_name, email)
    values (${candidateId}, ${employer}, ${submitter}, 'V', 'Person', ${`v-${id}@example.com`})`;
  await tx`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source,
      submitting_organization_id, application_type, platform_organization_id)
    values (${id}, ${employer}, ${candidateId}, ${world.jobId}, ${stageId}, 'portal', ${submitter},
      ${byParty ? 'agency_submission' : 'direct'}, ${byParty ? world.platform.id : null})`;
  await tx`insert into application_stage_history (organization_id, application_id, to_stage_id, to_status, actor_role, source)
    values (${employer}, ${id}, ${stageId}, 'active', 'portal', 'portal')`;
  await tx`insert into candidate_documents (organization_id, candidate_id, application_id, s3_key, file_name, content_type, size_bytes)
    values (${employer}, ${candidateId}, ${id}, ${`resumes/${employer}/${id}/cv`}, 'cv.pdf', 'application/pdf', 10)`;
  for (const visibility of ['private', 'organization', 'shared']) {
    await tx`insert into notes (organization_id, candidate_id, application_id, body, visibility, source)
      values (${employer}, ${candidateId}, ${id}, ${`${visibility} note`}, ${visibility}, 'hub')`;
  }
  const [interview] = await tx<{ id: string }[]>`
    insert into interviews (organization_id, application_id, title, start_at, end_at, source)
    values (${employer}, ${id}, 'Onsite', now(), now() + interval '1 hour', 'hub') returning id`;
  await tx`insert into scorecards (organization_id, application_id, interview_id, interviewer_name, recommendation, submitted_at, source)
    values (${employer}, ${id}, ${interview!.id}, 'Interviewer', 'yes', now(), 'hub')`;
  await tx`insert into offers (organization_id, application_id, status, source) values (${employer}, ${id}, 'draft', 'hub')`;
  // a message to every party, one to each single party, each with receipts for its recipients
  const parties = [employer, submitter, ...(byParty ? [world.platform.id] : [])];
  for (const [from, to] of [
    [employer, null],
    ...parties.filter((p) => p !== employer).map((p) => [employer, p]),
    [submitter, employer],
  ] as [string, string | null][]) {
    const messageId = randomUUID();
    await tx`insert into messages (id, organization_id, application_id, from_organization_id, to_organization_id, body)
      values (${messageId}, ${employer}, ${id}, ${from}, ${to}, 'hello')`;
    for (const recipient of to ? [to] : parties.filter((p) => p !== from)) {
      await tx`insert into message_receipts (organization_id, message_id, recipient_organization_id)
        values (${employer}, ${messageId}, ${recipient})`;
    }
  }
  return id;
}

/** Applications of both agencies and a direct one, each with history, a document, notes, the record, messages. */
export async function seedPartyScenario(owner: Sql, world: PartyWorld): Promise<PartyScenario> {
  const [stage] = await owner<{ id: string }[]>`
    select id from job_stages where job_id = ${world.jobId} and kind = 'screening'`;
  return owner.begin(async (tx) => ({
    applications: {
      agency1: await application(tx as unknown as Sql, world, world.agencies[0].id, stage!.id),
      agency2: await application(tx as unknown as Sql, world, world.agencies[1].id, stage!.id),
      direct: await application(tx as unknown as Sql, world, world.employer.id, stage!.id),
    },
  })) as Promise<PartyScenario>;
}

/**
 * Rows an agency or platform may read, per table, as SQL over the table's own columns ($1 = the party). Tables
 * absent here may show the party its own organization's rows only.
 */
const partyMay: Record<string, string> = {
  organizations: 'id = $1 or parent_organization_id = $1',
  applications: 'submitting_organization_id = $1 or platform_organization_id = $1',
  candidates: `submitting_organization_id = $1 or id in (select candidate_id from applications
    where platform_organization_id = $1)`,
  application_stage_history: `application_id in (select id from applications
    where submitting_organization_id = $1 or platform_organization_id = $1)`,
  candidate_documents: `organization_id = $1 or application_id in (select id from applications
    where submitting_organization_id = $1 and organization_id <> $1)`,
  notes: `organization_id = $1 or (visibility = 'shared' and application_id in (select id from applications
    where submitting_organization_id = $1 or platform_organization_id = $1))`,
  jobs: `organization_id = $1 or id in (select pj.job_id from partnership_jobs pj join partnerships p
    on p.id = pj.partnership_id where p.agency_organization_id = $1)
    or id in (select job_id from applications where platform_organization_id = $1)`,
  job_stages: `organization_id = $1 or job_id in (select pj.job_id from partnership_jobs pj join partnerships p
    on p.id = pj.partnership_id where p.agency_organization_id = $1)
    or job_id in (select job_id from applications where platform_organization_id = $1)`,
  partnerships: 'organization_id = $1 or agency_organization_id = $1',
  partnership_jobs: `organization_id = $1 or partnership_id in (select id from partnerships
    where agency_organization_id = $1)`,
  messages: `(organization_id = $1 or application_id in (select id from applications
      where submitting_organization_id = $1 or platform_organization_id = $1))
    and (to_organization_id is null or $1 in (to_organization_id, from_organization_id))`,
  message_receipts: `message_id in (select id from messages where (organization_id = $1 or application_id in
      (select id from applications where submitting_organization_id = $1 or platform_organization_id = $1))
    and (to_organization_id is null or $1 in (to_organization_id, from_organization_id)))`,
  api_keys: `organization_id = $1 or organization_id in (select id from organizations where parent_organization_id = $1)`,
};

/** Rows the party saw that it may not, per table ({} when none): read through RLS as the runtime role. */
export async function foreignRowsSeen(
  owner: Sql,
  app: Sql,
  tables: string[],
  party: string,
  role: 'portal' | 'ats' | 'admin',
): Promise<Record<string, number>> {
  const leaks: Record<string, number> = {};
  for (const table of tables) {
    const visible = await withTenant(app, party, role, (tx) =>
      tx.unsafe<{ ctid: string }[]>(`select ctid::text from ${table}`),
    );
    const rule = partyMay[table] ?? 'organization_id = $1';
    const allowed = await owner.unsafe<{ ctid: string }[]>(`select ctid::text from ${table} where ${rule}`, [
      party,
    ]);
    const ok = new Set(allowed.map((r) => r.ctid));
    const foreign = visible.filter((r) => !ok.has(r.ctid)).length;
    if (foreign > 0) leaks[table] = foreign;
  }
  return leaks;
}

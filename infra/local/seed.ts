import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Sql } from 'postgres';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { insertJob } from '../../shared/db/repositories/jobs.js';
import { withTenant } from '../../shared/db/tenant.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';

type Keys = { portal: string; ats: string; admin: string };
export interface PartyCredentials {
  id: string;
  name: string;
  keys: Keys;
}

/** `.local/credentials.json` as docs/api.md specifies. */
export interface LocalCredentials {
  baseUrl: string;
  organizations: { id: string; name: string; keys: Keys }[];
  /** Several parties (docs/parties.md): a platform with one employer and two agencies under it. */
  parties: { platform: PartyCredentials; employer: PartyCredentials; agencies: PartyCredentials[] };
}

const DEMO = [
  { name: 'Acme Staffing', job: 'Senior Backend Engineer', customStages: ['Assessment', 'Client Interview'] },
  { name: 'Globex Recruiting', job: 'Product Designer', customStages: ['Portfolio Review'] },
];

export function readCredentials(path: string): LocalCredentials | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as LocalCredentials;
}

async function writeCredentials(path: string, credentials: LocalCredentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/**
 * First start: two demo organizations, each with one open job and a portal, an ats and an admin key, and the
 * parties (a platform, an employer with an open job, two agencies), each with the same three keys. Keys
 * exist in clear only in the credentials file (the database keeps hashes). Later starts reuse both.
 */
export async function seedDemo(
  owner: Sql,
  appSql: Sql,
  credentialsPath: string,
  baseUrl: string,
): Promise<LocalCredentials> {
  const existing = readCredentials(credentialsPath);
  if (existing) {
    const ids = existing.organizations.map((o) => o.id);
    const [row] = await owner<
      { n: number }[]
    >`select count(*)::int as n from organizations where id = any(${ids}::uuid[])`;
    if (row?.n === ids.length) {
      // a credentials file from before the parties existed gains them
      const parties = (await partiesExist(owner, existing.parties))
        ? existing.parties
        : await seedParties(owner, appSql);
      const current = { ...existing, baseUrl, parties };
      if (existing.baseUrl !== baseUrl || parties !== existing.parties)
        await writeCredentials(credentialsPath, current);
      return current;
    }
  }
  const organizations: LocalCredentials['organizations'] = [];
  for (const demo of DEMO) {
    const [org] = await owner<
      { id: string }[]
    >`insert into organizations (name) values (${demo.name}) returning id`;
    const organizationId = org!.id;
    await insertDemoJob(appSql, organizationId, demo.job, demo.customStages);
    organizations.push({ id: organizationId, name: demo.name, keys: await localKeys(owner, organizationId) });
  }
  const credentials = { baseUrl, organizations, parties: await seedParties(owner, appSql) };
  await writeCredentials(credentialsPath, credentials);
  return credentials;
}

function insertDemoJob(appSql: Sql, organizationId: string, title: string, customStages: string[]) {
  return withTenant(appSql, organizationId, 'admin', (tx) =>
    insertJob(tx, {
      organizationId,
      title,
      employmentType: 'full_time',
      status: 'open',
      stages: buildJobStages(customStages),
    }),
  );
}

async function localKeys(owner: Sql, organizationId: string): Promise<Keys> {
  const key = async (role: 'portal' | 'ats' | 'admin') =>
    (await insertApiKey(owner, { organizationId, role, label: `local ${role}` })).key;
  return { portal: await key('portal'), ats: await key('ats'), admin: await key('admin') };
}

async function partiesExist(owner: Sql, parties: LocalCredentials['parties'] | undefined): Promise<boolean> {
  if (!parties) return false;
  const ids = [parties.platform.id, parties.employer.id, ...parties.agencies.map((a) => a.id)];
  const [row] = await owner<
    { n: number }[]
  >`select count(*)::int as n from organizations where id = any(${ids}::uuid[])`;
  return row?.n === ids.length;
}

/** One platform with one employer (an open job) and two agencies under it, each with its three keys. */
async function seedParties(owner: Sql, appSql: Sql): Promise<LocalCredentials['parties']> {
  const organization = async (
    name: string,
    type: string,
    parent: string | null,
  ): Promise<PartyCredentials> => {
    const [row] = await owner<{ id: string }[]>`
      insert into organizations (name, type, parent_organization_id) values (${name}, ${type}, ${parent}) returning id`;
    return { id: row!.id, name, keys: await localKeys(owner, row!.id) };
  };
  const platform = await organization('Talent Exchange', 'platform', null);
  const employer = await organization('Initech', 'employer', platform.id);
  await insertDemoJob(appSql, employer.id, 'Platform Engineer', ['Technical Interview']);
  const agencies = [
    await organization('Hooli Search', 'agency', platform.id),
    await organization('Pied Piper Talent', 'agency', platform.id),
  ];
  return { platform, employer, agencies };
}

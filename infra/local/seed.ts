import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Sql } from 'postgres';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { insertJob } from '../../shared/db/repositories/jobs.js';
import { withTenant } from '../../shared/db/tenant.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';

/** `.local/credentials.json` as docs/api.md specifies. */
export interface LocalCredentials {
  baseUrl: string;
  organizations: { id: string; name: string; keys: { portal: string; ats: string; admin: string } }[];
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
 * First start: two demo organizations, each with one open job and a portal, an ats and an admin key. Keys
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
      if (existing.baseUrl !== baseUrl) await writeCredentials(credentialsPath, { ...existing, baseUrl });
      return { ...existing, baseUrl };
    }
  }
  const organizations: LocalCredentials['organizations'] = [];
  for (const demo of DEMO) {
    const [org] = await owner<
      { id: string }[]
    >`insert into organizations (name) values (${demo.name}) returning id`;
    const organizationId = org!.id;
    await withTenant(appSql, organizationId, 'admin', (tx) =>
      insertJob(tx, {
        organizationId,
        title: demo.job,
        employmentType: 'full_time',
        status: 'open',
        stages: buildJobStages(demo.customStages),
      }),
    );
    const key = async (role: 'portal' | 'ats' | 'admin') =>
      (await insertApiKey(owner, { organizationId, role, label: `local ${role}` })).key;
    organizations.push({
      id: organizationId,
      name: demo.name,
      keys: { portal: await key('portal'), ats: await key('ats'), admin: await key('admin') },
    });
  }
  const credentials = { baseUrl, organizations };
  await writeCredentials(credentialsPath, credentials);
  return credentials;
}

/**
 * Provider contract, job fields: for every provider fake, a full pass stores the job fields the provider reports
 * (status, description, department, office, remote policy, salary range), keeps the hub's value of a field the
 * provider does not report, rewrites nothing when nothing changed, and closes a job closed at the provider.
 */
import { describe, expect, it } from 'vitest';
import type { JobFacts } from '../../../fakes/fixture.js';
import { runSync, type SyncWorld, watchVersions } from '../harness.js';
import { contractWorlds, providerFixtures } from './world.js';

const world = contractWorlds();

interface StoredJob {
  remote_id: string;
  status: string;
  description: string | null;
  department: string | null;
  office: string | null;
  remote_policy: string | null;
  salary: { min: number; max: number; currency: string } | null;
}

async function storedJobs(w: SyncWorld): Promise<Map<string, Omit<StoredJob, 'remote_id'>>> {
  const rows = await w.db.owner<StoredJob[]>`
    select r.remote_id, j.status, j.description, j.department, j.office, j.remote_policy,
      case when j.salary_min is null then null
        else json_build_object('min', j.salary_min::float8, 'max', j.salary_max::float8, 'currency', j.salary_currency)
      end as salary
    from jobs j join external_refs r on r.local_id = j.id and r.object_type = 'job'
    where r.integration_id = ${w.integrationId} and j.deleted_at is null`;
  return new Map(rows.map(({ remote_id, ...job }) => [remote_id, job]));
}

/** What the hub must hold for a job the provider reports so, over the hub's own values `hub`. */
function expectedRow(facts: JobFacts, hub: Omit<StoredJob, 'remote_id' | 'status'>) {
  return {
    status: facts.status,
    description: facts.description === undefined ? hub.description : facts.description,
    department: facts.department === undefined ? hub.department : facts.department,
    office: facts.office === undefined ? hub.office : facts.office,
    remote_policy: facts.remotePolicy === undefined ? hub.remote_policy : facts.remotePolicy,
    salary: facts.salaryRange === undefined ? hub.salary : facts.salaryRange,
  };
}

const nothing = { description: null, department: null, office: null, remote_policy: null, salary: null };
const hubValues = {
  description: 'Written in the hub',
  department: 'Hub department',
  office: 'Hub office',
  remote_policy: 'onsite',
  salary: { min: 1, max: 2, currency: 'CHF' },
};

describe.each(providerFixtures)('$name job fields', (fixture) => {
  it('stores the job fields the provider reports, and null for the others', async () => {
    const { w, fake } = await world(fixture, { records: 40, throttled: false });

    await runSync(w, 'full');

    const facts = fake.jobs.facts();
    expect(Object.fromEntries(await storedJobs(w))).toEqual(
      Object.fromEntries([...facts].map(([id, f]) => [id, expectedRow(f, nothing)])),
    );
  });

  it('keeps the hub value of a field the provider does not report, and sets back the others', async () => {
    const { w, fake } = await world(fixture, { records: 40, throttled: false });
    await runSync(w, 'full');
    await w.db.owner`
      update jobs set description = ${hubValues.description}, department = ${hubValues.department},
        office = ${hubValues.office}, remote_policy = ${hubValues.remote_policy}, salary_min = 1, salary_max = 2,
        salary_currency = 'CHF'
      where organization_id = ${w.organizationId}`;

    await runSync(w, 'full');

    const facts = fake.jobs.facts();
    expect(Object.fromEntries(await storedJobs(w))).toEqual(
      Object.fromEntries([...facts].map(([id, f]) => [id, expectedRow(f, hubValues)])),
    );
  });

  it('rewrites no job when a full re-sync finds the same jobs', async () => {
    const { w } = await world(fixture, { records: 40, throttled: false });
    await runSync(w, 'full');
    const versions = await watchVersions(w);

    await runSync(w, 'full');

    expect(await versions.changed()).toBe(0);
  });

  it('closes a job in the hub on the next sync after it was closed at the provider', async () => {
    const { w, fake } = await world(fixture, { records: 40, throttled: false });
    await runSync(w, 'full');
    const remoteId = fake.jobs.closeJob();

    await runSync(w, 'incremental');

    expect((await storedJobs(w)).get(remoteId)?.status).toBe('closed');
  });
});

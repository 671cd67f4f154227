import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFunnel, type FunnelResponse, type FunnelScope } from '../../../shared/analytics/funnel.js';
import { type DbRole, withTenant } from '../../../shared/db/tenant.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { type FunnelSeed, seedFunnel } from './seed.js';
import { seedRecord } from './seed-record.js';

/** Expectations worked out by hand from the tables in seed.ts and seed-record.ts. */

const NOW = new Date('2024-04-02T08:00:00Z');
let db: TestDatabase;
let seed: FunnelSeed;

beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedFunnel(db.owner);
  await seedRecord(db.owner, seed);
});

afterAll(async () => {
  await db?.close();
});

function funnel(scope: Partial<Omit<FunnelScope, 'organizationId'>> = {}, role: DbRole = 'ats') {
  return withTenant(db.app, seed.orgA, role, (tx) =>
    computeFunnel(tx, { portalOnly: false, ...scope, organizationId: seed.orgA }, NOW),
  );
}

describe('the recruiting record in the funnel, organization-wide', () => {
  let result: FunnelResponse;
  beforeAll(async () => {
    result = await funnel();
  });

  it('counts interviews that were not cancelled, completed ones, and applications with a completed one', () => {
    // not cancelled: I1 I2 I3 I5 I6 I7 (I4 cancelled; I8 on a deleted application; I9 deleted; I10 org B)
    // completed: I1 I2 I3 I7; applications with one: a1 a2 b1
    expect(result.interviews).toEqual({ scheduled: 6, completed: 4, applicationsInterviewed: 3 });
  });

  it('counts offers that reached the candidate and those accepted', () => {
    // sent: O1 (sent 85), O3 (declined), O4 (sent 74, withdrawn); O2 is a draft; accepted: O1 → 1 / 3
    expect(result.offers).toEqual({ sent: 3, accepted: 1, acceptanceRate: 0.3333 });
  });

  it('takes the median of the hours from application to first interview', () => {
    // a1 40-0 = 40; a2 50-24 = 26 (the cancelled one at 30 does not count); a6 126-120 = 6;
    // a7 100-130 floored to 0; b1 70-30 = 40 → 0 6 26 40 40 → 26
    expect(result.medianHoursToFirstInterview).toBe(26);
  });

  it('breaks rejected applications down by reason, ignoring reasons of applications not rejected', () => {
    // a3 and b2 rejected with "Not a fit"; a5 carries "Salary" but is active
    expect(result.rejectionReasons).toEqual([{ name: 'Not a fit', count: 2 }]);
  });
});

describe('the recruiting record in the funnel of one job', () => {
  it('keeps to the job and its interviews', async () => {
    // J1: a1..a7 → not cancelled I1 I2 I3 I5 I6; completed I1 I2 I3 on a1 a2; first: 0 6 26 40 → (6 + 26) / 2
    const result = await funnel({ jobId: seed.jobs.J1 });

    expect(result.interviews).toEqual({ scheduled: 5, completed: 3, applicationsInterviewed: 2 });
    expect(result.medianHoursToFirstInterview).toBe(16);
  });

  it('keeps to the job offers and reasons', async () => {
    const result = await funnel({ jobId: seed.jobs.J1 });

    expect(result.offers).toEqual({ sent: 2, accepted: 1, acceptanceRate: 0.5 });
    expect(result.rejectionReasons).toEqual([{ name: 'Not a fit', count: 1 }]);
  });
});

describe('the recruiting record in the portal funnel', () => {
  it('shows the portal no interviews or offers: row-level security hides them', async () => {
    const result = await funnel({ portalOnly: true }, 'portal');

    expect(result.interviews).toEqual({ scheduled: 0, completed: 0, applicationsInterviewed: 0 });
    expect(result.offers).toEqual({ sent: 0, accepted: 0, acceptanceRate: null });
    expect(result.medianHoursToFirstInterview).toBeNull();
  });
});

describe('the recruiting record of a cohort without any', () => {
  it('answers zeros, nulls and an empty breakdown', async () => {
    const result = await funnel({ jobId: seed.jobs.J3 });

    expect(result.interviews).toEqual({ scheduled: 0, completed: 0, applicationsInterviewed: 0 });
    expect(result.offers).toEqual({ sent: 0, accepted: 0, acceptanceRate: null });
    expect(result.medianHoursToFirstInterview).toBeNull();
    expect(result.rejectionReasons).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFunnel } from '../../../shared/analytics/funnel.js';
import {
  type FunnelResponse,
  type FunnelScope,
  funnelResponse,
} from '../../../shared/analytics/funnel-schema.js';
import { type DbRole, withTenant } from '../../../shared/db/tenant.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { at, type FunnelSeed, seedFunnel } from './seed.js';

/**
 * Every expectation below is worked out by hand from the fixture table in seed.ts (stays listed per
 * stage, sorted, middle taken), never recomputed with the implementation's logic.
 */

const NOW = new Date('2024-04-02T08:00:00Z');

type StageTuple = [
  name: string,
  current: number,
  reached: number,
  conversion: number | null,
  median: number | null,
];
const stages = (rows: StageTuple[]) =>
  rows.map(([name, current, reached, conversionToNext, medianHoursInStage], order) => ({
    name,
    order,
    current,
    reached,
    conversionToNext,
    medianHoursInStage,
  }));

let db: TestDatabase;
let seed: FunnelSeed;
let statements: string[] = [];
let counted: postgres.Sql;

beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedFunnel(db.owner);
  // a runtime-role client that records every statement it sends to the server
  counted = postgres(db.appUrl, {
    max: 1,
    onnotice: () => {},
    debug: (_connection, query) => {
      statements.push(query);
    },
  });
});

afterAll(async () => {
  await counted?.end({ timeout: 1 });
  await db?.close();
});

function funnel(
  scope: Omit<FunnelScope, 'organizationId' | 'portalOnly'> & {
    organizationId?: string;
    portalOnly?: boolean;
  },
  role: DbRole = 'ats',
) {
  const organizationId = scope.organizationId ?? seed.orgA;
  return withTenant(db.app, organizationId, role, (tx) =>
    computeFunnel(tx, { portalOnly: false, ...scope, organizationId }, NOW),
  );
}

describe('computeFunnel, organization-wide, all time', () => {
  let result: FunnelResponse;
  beforeAll(async () => {
    result = await funnel({});
  });

  it('matches the response schema and echoes the scope', () => {
    expect(funnelResponse.parse(result)).toEqual(result);
    expect(result.generatedAt).toBe('2024-04-02T08:00:00.000Z');
    expect(result.scope).toEqual({ jobId: null, from: null, to: null });
  });

  it('totals exclude the deleted application and organization B', () => {
    // a1..a7, b1..b3 (a8 deleted; c1, c2 belong to B)
    expect(result.totals).toEqual({ applications: 10, active: 5, hired: 2, rejected: 2, withdrawn: 1 });
  });

  it('aggregates stages by name in canonical order, custom stages by typical position', () => {
    // Assessment: position 3 in J2 → 3; Interview: 3 in J1, 4 in J2 → 3.5; "Case Study" (J3) has no applications
    expect(result.stages).toEqual(
      stages([
        // S stays: a1 10, a2 6, a3 4, a4 8, a6 1, b1 10, b2 10, b3 20 → 1 4 6 8 | 10 10 10 20 → 9
        ['Screening', 1, 9, 0.6667, 9],
        // SL stays: a1 20, a2 10, a4 20, a6 1, b1 5, b2 10 → 1 5 10 | 10 20 20 → 10
        ['Shortlist', 0, 6, 0.8333, 10],
        // CE stays: a1 20, a2 20 and 20 (twice, moved back), a6 8, b1 15, b2 10 → 8 10 15 | 20 20 20 → 17.5
        ['Client Endorsement', 0, 5, 0.4, 17.5],
        // only J2 has Assessment, so Interview (reached in both jobs) is 6 / 2 = 3
        ['Assessment', 0, 2, 3, 10],
        // IV: a1 30, a2 10, a6 20, b1 5 (a2's second stay and b3 ongoing) → 5 10 | 20 30 → 15; a7 reached by its current stage
        ['Interview', 3, 6, 0.5, 15],
        ['Offer', 1, 3, 0.6667, 20],
        ['Offer Accepted', 0, 2, null, null],
      ]),
    );
  });

  it('counts sources, most applications first', () => {
    expect(result.sources).toEqual([
      { source: 'portal', applications: 7, hired: 2 },
      { source: 'greenhouse', applications: 2, hired: 0 },
      { source: 'lever', applications: 1, hired: 0 },
    ]);
  });
});

describe('computeFunnel scopes', () => {
  it('job scope: the job stages in order; backward moves count once in reached', async () => {
    const result = await funnel({ jobId: seed.jobs.J1 });
    expect(result.scope.jobId).toBe(seed.jobs.J1);
    expect(result.totals).toEqual({ applications: 7, active: 4, hired: 1, rejected: 1, withdrawn: 1 });
    expect(result.stages).toEqual(
      stages([
        ['Screening', 1, 6, 0.6667, 6], // 1 4 6 8 10
        ['Shortlist', 0, 4, 0.75, 15], // 1 10 20 20
        ['Client Endorsement', 0, 3, 1.3333, 20], // 8 20 20 20; a7 sits in Interview with no history
        ['Interview', 2, 4, 0.5, 20], // 10 20 30
        ['Offer', 1, 2, 0.5, 20],
        ['Offer Accepted', 0, 1, null, null],
      ]),
    );
    expect(result.sources).toEqual([
      { source: 'portal', applications: 5, hired: 1 },
      { source: 'greenhouse', applications: 2, hired: 0 },
    ]);
  });

  it('period scope: applications created in [from, to), to exclusive', async () => {
    // a1 @0 (== from, included), b1 @30, a2 @24, a3 @48, a4 @72; a5 @96 == to is excluded
    const result = await funnel({ from: at(0), to: at(96) });
    expect(result.scope).toEqual({
      jobId: null,
      from: '2024-03-01T00:00:00.000Z',
      to: '2024-03-05T00:00:00.000Z',
    });
    expect(result.totals).toEqual({ applications: 5, active: 1, hired: 2, rejected: 1, withdrawn: 1 });
    expect(result.stages).toEqual(
      stages([
        ['Screening', 0, 5, 0.8, 8], // 4 6 8 10 10
        ['Shortlist', 0, 4, 0.75, 15], // 5 10 20 20
        ['Client Endorsement', 0, 3, 0.3333, 20], // 15 20 20 20
        ['Assessment', 0, 1, 3, 10],
        ['Interview', 1, 3, 0.6667, 10], // 5 10 30
        ['Offer', 0, 2, 1, 20],
        ['Offer Accepted', 0, 2, null, null],
      ]),
    );
    expect(result.sources).toEqual([{ source: 'portal', applications: 5, hired: 2 }]);
  });

  it('period scope lists only custom stages of jobs with applications in scope', async () => {
    // a6 @120, a7 @130: J1 only, so no Assessment
    const result = await funnel({ from: at(100), to: at(140) });
    expect(result.totals).toEqual({ applications: 2, active: 2, hired: 0, rejected: 0, withdrawn: 0 });
    expect(result.stages).toEqual(
      stages([
        ['Screening', 0, 1, 1, 1],
        ['Shortlist', 0, 1, 1, 1],
        ['Client Endorsement', 0, 1, 2, 8],
        ['Interview', 1, 2, 0.5, 20],
        ['Offer', 1, 1, 0, null], // a6 still in Offer: no completed stay
        ['Offer Accepted', 0, 0, null, null],
      ]),
    );
    expect(result.sources).toEqual([{ source: 'greenhouse', applications: 2, hired: 0 }]);
  });

  it('portal scope: only applications the portal submitted', async () => {
    const result = await funnel({ portalOnly: true }, 'portal');
    expect(result.totals).toEqual({ applications: 7, active: 2, hired: 2, rejected: 2, withdrawn: 1 });
    expect(result.stages).toEqual(
      stages([
        ['Screening', 1, 7, 0.7143, 9], // 4 6 8 | 10 10 10
        ['Shortlist', 0, 5, 0.8, 10], // 5 10 10 20 20
        ['Client Endorsement', 0, 4, 0.5, 20], // 10 15 20 20 20
        ['Assessment', 0, 2, 1.5, 10],
        ['Interview', 1, 3, 0.6667, 10], // 5 10 30
        ['Offer', 0, 2, 1, 20],
        ['Offer Accepted', 0, 2, null, null],
      ]),
    );
    expect(result.sources).toEqual([{ source: 'portal', applications: 7, hired: 2 }]);
  });

  it('a job without applications: its stages with zeros and null ratios', async () => {
    const result = await funnel({ jobId: seed.jobs.J3 });
    expect(result.totals).toEqual({ applications: 0, active: 0, hired: 0, rejected: 0, withdrawn: 0 });
    expect(result.stages).toEqual(
      stages([
        ['Screening', 0, 0, null, null],
        ['Shortlist', 0, 0, null, null],
        ['Client Endorsement', 0, 0, null, null],
        ['Case Study', 0, 0, null, null],
        ['Offer', 0, 0, null, null],
        ['Offer Accepted', 0, 0, null, null],
      ]),
    );
    expect(result.sources).toEqual([]);
  });

  it('an organization without data: the five fixed stages', async () => {
    const empty = randomUUID();
    await db.owner`insert into organizations (id, name) values (${empty}, 'Empty')`;
    const result = await funnel({ organizationId: empty });
    expect(result.stages.map((s) => s.name)).toEqual([
      'Screening',
      'Shortlist',
      'Client Endorsement',
      'Offer',
      'Offer Accepted',
    ]);
    expect(result.stages.every((s) => s.reached === 0 && s.conversionToNext === null)).toBe(true);
    expect(result.totals.applications).toBe(0);
  });

  it('organization B sees only its own applications', async () => {
    const result = await funnel({ organizationId: seed.orgB });
    expect(result.totals).toEqual({ applications: 2, active: 1, hired: 1, rejected: 0, withdrawn: 0 });
    expect(result.stages.map((s) => [s.name, s.current, s.reached])).toEqual([
      ['Screening', 0, 2],
      ['Shortlist', 1, 2],
      ['Client Endorsement', 0, 1],
      ['Offer', 0, 1],
      ['Offer Accepted', 0, 1],
    ]);
  });

  it('a job of another organization is NOT_FOUND', async () => {
    const error = await funnel({ jobId: seed.jobs.K1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('NOT_FOUND');
    const unknown = await funnel({ jobId: randomUUID() }).catch((e: unknown) => e);
    expect((unknown as DomainError).code).toBe('NOT_FOUND');
  });
});

describe('computeFunnel statement count', () => {
  it('sends exactly one statement per funnel whatever the scope', async () => {
    await counted`select 1`; // the driver's one-off type lookup on a fresh connection
    const scopes: Omit<FunnelScope, 'organizationId'>[] = [
      { portalOnly: false },
      { portalOnly: true },
      { jobId: seed.jobs.J1, portalOnly: false },
      { jobId: seed.jobs.J2, from: at(0), to: at(1000), portalOnly: true },
      { from: at(100), portalOnly: false },
    ];
    for (const scope of scopes) {
      statements = [];
      await withTenant(counted, seed.orgA, 'ats', (tx) =>
        computeFunnel(tx, { ...scope, organizationId: seed.orgA }, NOW),
      );
      const own = statements.filter((q) => !/^\s*(begin|commit)\b/i.test(q) && !q.includes('set_config('));
      expect(own).toHaveLength(1);
      expect(own[0]).toMatch(/^\s*with apps as/);
      // besides the funnel only the transaction's own statements: begin (with withTenant's settings), commit
      expect(statements.length).toBeLessThanOrEqual(4);
    }
  });
});

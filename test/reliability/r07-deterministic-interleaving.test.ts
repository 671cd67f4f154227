/**
 * R7 Deterministic interleaving (Hermitage style, docs/reliability.md §7): two sessions of the runtime role stepped
 * by hand. (a) The product's compare-and-set (`applyChange`): the second session's UPDATE waits on the row
 * lock, Postgres re-evaluates its WHERE on the committed row version and the loser updates 0 rows. (b) `SELECT
 * … FOR UPDATE`: the second reader waits and then sees the committed stage. (c) Negative control: a naive
 * read-then-write loses the first session's update, which proves the harness detects a lost update.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import type { ReservedSql } from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyChange } from '../../shared/db/repositories/applications.js';
import type { Tx } from '../../shared/db/tenant.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedTenantGraph, type TenantGraph } from '../support/fixtures.js';
import { describeOnPostgres, figures, sleep } from '../support/reliability.js';

let db: TestDatabase;
let graph: TenantGraph;
let s1: ReservedSql;
let s2: ReservedSql;

async function newApplication(): Promise<string> {
  const appId = randomUUID();
  const candidateId = randomUUID();
  await db.owner`insert into candidates (id, organization_id, first_name, last_name, email)
    values (${candidateId}, ${graph.organizationId}, 'R', 'Seven', ${`r7-${appId}@example.com`})`;
  await db.owner`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source, version)
    values (${appId}, ${graph.organizationId}, ${candidateId}, ${graph.jobId}, ${graph.stageIds[2]!}, 'portal', 1)`;
  return appId;
}

async function begin(s: ReservedSql) {
  await s`begin`;
  await s`select set_config('app.organization_id', ${graph.organizationId}, true), set_config('app.role', 'ats', true)`;
}

/** Waits until the session's backend is blocked on a lock (the interleaving point). */
async function waitUntilBlocked(pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await db.owner<{ waiting: boolean }[]>`
      select coalesce(wait_event_type = 'Lock', false) as waiting from pg_stat_activity where pid = ${pid}`;
    if (row?.waiting) return;
    await sleep(5);
  }
  throw new Error(`backend ${pid} never blocked`);
}

const pidOf = async (s: ReservedSql) => (await s<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;

function change(appId: string, toStageIndex: number) {
  return {
    applicationId: appId,
    expectedStageId: graph.stageIds[2]!,
    expectedVersion: 1,
    toStageId: graph.stageIds[toStageIndex]!,
    toStatus: 'active' as const,
    rejectionReasonId: null,
    actorRole: 'ats' as const,
    actor: 'r7',
    source: 'ats',
    note: null,
    eventTypes: ['application.stage_changed'],
    eventPayload: { applicationId: appId },
  };
}

describeOnPostgres('R7', 'deterministic interleaving', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 2 });
    graph = await seedTenantGraph(db.owner);
    s1 = await db.app.reserve();
    s2 = await db.app.reserve();
  });

  afterAll(async () => {
    s1?.release();
    s2?.release();
    await db?.close();
  });

  it('CAS: the loser updates 0 rows; FOR UPDATE: the second reader sees the winner; naive: the update is lost', async () => {
    // (a) compare-and-set, the product's applyChange in both sessions
    const casApp = await newApplication();
    await begin(s1);
    await begin(s2);
    const won = await applyChange(s1 as unknown as Tx, change(casApp, 3));
    const pid2 = await pidOf(s2);
    const losing = applyChange(s2 as unknown as Tx, change(casApp, 4));
    await waitUntilBlocked(pid2);
    await s1`commit`;
    const lost = await losing;
    await s2`commit`;
    const [cas] = await db.owner<{ version: number; stage_id: string; history: number; events: number }[]>`
      select version, stage_id,
        (select count(*)::int from application_stage_history where application_id = ${casApp}) as history,
        (select count(*)::int from outbox where aggregate_id = ${casApp}) as events
      from applications where id = ${casApp}`;
    const casLoserRowCount = lost ? 1 : 0;

    // (b) SELECT … FOR UPDATE, then decide and update
    const lockApp = await newApplication();
    await begin(s1);
    await begin(s2);
    const [first] = await s1<
      { stage_id: string }[]
    >`select stage_id from applications where id = ${lockApp} for update`;
    const secondRead = s2<{ stage_id: string; version: number }[]>`
      select stage_id, version from applications where id = ${lockApp} for update`.execute();
    await waitUntilBlocked(pid2);
    await s1`update applications set stage_id = ${graph.stageIds[3]!}, version = version + 1 where id = ${lockApp}`;
    await s1`commit`;
    const [second] = await secondRead;
    // the second session decides on what it read: the stage moved on, so it refuses (STAGE_CONFLICT)
    const forUpdateSecondSawWinner = second!.stage_id === graph.stageIds[3] && second!.version === 2;
    await s2`commit`;

    // (c) naive read-then-write (negative control): both read version 1, both write version 2
    const naiveApp = await newApplication();
    await begin(s1);
    await begin(s2);
    const [r1] = await s1<{ version: number }[]>`select version from applications where id = ${naiveApp}`;
    const [r2] = await s2<{ version: number }[]>`select version from applications where id = ${naiveApp}`;
    await s1`update applications set stage_id = ${graph.stageIds[3]!}, version = ${r1!.version + 1} where id = ${naiveApp}`;
    const naiveSecond =
      s2`update applications set stage_id = ${graph.stageIds[4]!}, version = ${r2!.version + 1} where id = ${naiveApp}`.execute();
    await waitUntilBlocked(pid2);
    await s1`commit`;
    const naiveRowCount = (await naiveSecond).count;
    await s2`commit`;
    const [naive] = await db.owner<{ version: number; stage_id: string }[]>`
      select version, stage_id from applications where id = ${naiveApp}`;
    // two updates committed, version moved by one and the first session's stage is gone: a lost update
    const lostUpdate = naiveRowCount === 1 && naive!.version === 2 && naive!.stage_id === graph.stageIds[4];

    figures('R7', 'deterministic interleaving', {
      casWinner: won ? 1 : 0,
      casLoserRowCount,
      casVersion: cas!.version,
      casHistory: cas!.history,
      casEvents: cas!.events,
      forUpdateFirstRead: first!.stage_id === graph.stageIds[2] ? 'Client Endorsement' : 'other',
      forUpdateSecondSawWinner,
      naiveLostUpdate: lostUpdate,
      naiveFinalVersion: naive!.version,
    });
    expect(won).toBeDefined();
    expect(casLoserRowCount).toBe(0);
    expect(cas).toMatchObject({ version: 2, stage_id: graph.stageIds[3], history: 1, events: 1 });
    expect(forUpdateSecondSawWinner).toBe(true);
    expect(lostUpdate).toBe(true);
  });
});

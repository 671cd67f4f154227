/**
 * R3 Connection killed mid-transaction. A stage move through the stage-advance handler (application UPDATE +
 * history row + outbox row in one transaction) has its backend ended by `pg_terminate_backend` from a side
 * connection at four named points (test-only triggers pause the transaction there, see
 * test/support/fault-injection.ts): once the tenant settings are applied, once the business UPDATE ran, once
 * the outbox INSERT ran, and inside COMMIT (deferred trigger). 100 runs per point; each run is retried as a
 * client would (same request) until it succeeds, at most K times.
 *
 * Fifth point, the ambiguous commit: a TCP fault proxy drops the connection after PostgreSQL committed a
 * portal submission but before the client read the reply (the submission is one function call, its own
 * transaction: the reply of that statement is the commit's). The retry with the same Idempotency-Key
 * must return the first response (idempotent replay), never a second application.
 *
 * Pass: partial writes = 0 (no application change without its history and outbox rows, no submission without
 * its history, outbox and idempotency rows, nor the reverse); orphaned outbox rows = 0; 100 % succeed after
 * ≤ K retries.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import type { ReservedSql } from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import type { TestDatabase } from '../support/db.js';
import { routeEvent } from '../support/factories.js';
import {
  type FaultProxy,
  installPausePoints,
  PAUSE_POINTS,
  type PausePoint,
  startFaultProxy,
  terminateAtPausePoint,
  viaPort,
} from '../support/fault-injection.js';
import type { TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import { describeOnPostgres, figures, runs, scaled } from '../support/reliability.js';
import {
  insertApplication,
  memoryAdapters,
  portalSubmission,
  seededDatabase,
  silenceLogger,
} from './support/suite.js';

const RUNS_PER_POINT = runs(100);
const MAX_RETRIES = 3;
let db: TestDatabase;
let graph: TenantGraph;
let pool: Sql;
let proxy: FaultProxy;
let side: ReservedSql;
let stageAdvance: HttpHandler;
let portal: HttpHandler;

const moveEvent = (appId: string) =>
  routeEvent('POST /applications/{id}/stage', {
    params: { id: appId },
    headers: { 'content-type': 'application/json', authorization: `Bearer ${graph.keys.ats}` },
    body: { toStage: 'Interview', expectedStage: 'Client Endorsement' },
  });

const submitEvent = (key: string, email: string) =>
  portalSubmission(
    graph,
    JSON.stringify({ jobId: graph.jobId, candidate: { firstName: 'Kill', lastName: 'Switch', email } }),
    { 'idempotency-key': key },
  );

async function newApplications(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(await insertApplication({ db, graph }, 2, { first: 'R', last: 'Three', emailPrefix: 'r3' }));
  return ids;
}

describeOnPostgres('R3', 'connection killed mid-transaction', () => {
  beforeAll(async () => {
    // every killed request is logged as an unhandled error; the figures report the 500s instead
    silenceLogger('error');
    ({ db, graph } = await seededDatabase(1));
    await installPausePoints(db.owner);
    const target = new URL(db.appUrl);
    proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
    pool = createDbClient({ url: viaPort(db.appUrl, proxy.port), max: 2 });
    side = await db.owner.reserve();
    const overrides = memoryAdapters(pool);
    stageAdvance = await loadHandler('stage-advance', overrides);
    portal = await loadHandler('portal-submission', overrides);
  });

  afterAll(async () => {
    side?.release();
    await pool?.end({ timeout: 1 });
    await proxy?.close();
    await db?.close();
  });

  it('leaves no partial write and recovers every operation, whatever point the connection dies at', async () => {
    const perPoint: Record<string, unknown> = {};
    let totalFailures = 0;
    const recoveries: number[] = [];
    const killMs: number[] = [];
    const appsByPoint = new Map<PausePoint, string[]>();
    for (const point of Object.keys(PAUSE_POINTS) as PausePoint[]) {
      const apps = await newApplications(RUNS_PER_POINT);
      appsByPoint.set(point, apps);
      let killed = 0;
      let succeeded = 0;
      let retriesUsed = 0;
      const firstStatuses: Record<string, number> = {};
      for (const appId of apps) {
        const started = performance.now();
        const { outcome } = await terminateAtPausePoint(side, db.owner, point, () =>
          invoke(stageAdvance, moveEvent(appId)),
        );
        killMs.push(performance.now() - started);
        const first = outcome.status === 'fulfilled' ? String(outcome.value.status) : 'threw';
        firstStatuses[first] = (firstStatuses[first] ?? 0) + 1;
        if (first !== '200') killed++;
        let done = first === '200';
        for (let attempt = 1; !done && attempt <= MAX_RETRIES; attempt++) {
          retriesUsed++;
          const res = await invoke(stageAdvance, moveEvent(appId));
          // a 409 after an unknown outcome: the compare-and-set already holds the move if the stage is Interview
          done = res.status === 200 || (res.status === 409 && (await stageOf(appId)) === graph.stageIds[3]);
        }
        if (done) {
          succeeded++;
          recoveries.push(performance.now() - started);
        } else totalFailures++;
      }
      perPoint[point] = { runs: apps.length, killed, succeeded, retries: retriesUsed, first: firstStatuses };
    }

    // the ambiguous commit: committed on the server, reply lost on the way
    await invoke(portal, submitEvent(`prime-${randomUUID()}`, `prime-${randomUUID()}@example.com`)); // warms the key cache
    let ambiguous = 0;
    let ambiguousLanded = 0;
    let resolvedByIdempotency = 0;
    let submissionsSucceeded = 0;
    const submitted: { key: string; applicationId?: string }[] = [];
    for (let i = 0; i < RUNS_PER_POINT; i++) {
      const key = `r3-${randomUUID()}`;
      const event = submitEvent(key, `${key}@example.com`);
      const droppedBefore = proxy.dropped;
      proxy.dropNextCommitReply();
      const first = await invoke(portal, event).catch(() => undefined);
      const dropped = proxy.dropped > droppedBefore;
      if (dropped) ambiguous++;
      let result = first && first.status === 201 ? first : undefined;
      for (let attempt = 1; !result && attempt <= MAX_RETRIES; attempt++) {
        const res = await invoke(portal, event);
        if (res.status === 201) {
          result = res;
          if (res.headers['idempotent-replayed'] === 'true') resolvedByIdempotency++;
        }
      }
      if (dropped) {
        const [row] = await db.owner<
          { n: number }[]
        >`select count(*)::int as n from idempotency_keys where idempotency_key = ${key}`;
        if (row!.n === 1 && result?.headers['idempotent-replayed'] === 'true') ambiguousLanded++;
      }
      if (result) submissionsSucceeded++;
      submitted.push({ key, applicationId: result?.body.application.id });
    }

    // invariants over everything the faults touched
    const moved = [...appsByPoint.values()].flat();
    const [moves] = await db.owner<{ partial: number; wrong: number; orphan_events: number }[]>`
      with s as (
        select a.id, a.version, a.stage_id,
          (select count(*)::int from application_stage_history h where h.application_id = a.id) as history,
          (select count(*)::int from outbox o where o.aggregate_id = a.id and o.event_type = 'application.stage_changed') as events
        from applications a where a.id = any(${moved}::uuid[]))
      select count(*) filter (where history <> version - 1 or events <> version - 1)::int as partial,
        count(*) filter (where version <> 2 or stage_id <> ${graph.stageIds[3]!}::uuid)::int as wrong,
        (select count(*)::int from outbox o where o.event_type = 'application.stage_changed'
          and not exists (select 1 from applications a where a.id = o.aggregate_id and a.version > 1)) as orphan_events
      from s`;
    const keys = submitted.map((s) => s.key);
    const [subs] = await db.owner<
      { keys: number; partial: number; duplicates: number; orphan_events: number }[]
    >`
      with k as (select idempotency_key, (response -> 'application' ->> 'id')::uuid as app_id from idempotency_keys
                 where idempotency_key = any(${keys}::text[]))
      select count(*)::int as keys,
        count(*) filter (where not exists (select 1 from applications a where a.id = k.app_id)
          or (select count(*) from application_stage_history h where h.application_id = k.app_id) <> 1
          or (select count(*) from outbox o where o.aggregate_id = k.app_id and o.event_type = 'application.created') <> 1)::int as partial,
        (select count(*)::int from candidates c where c.email like 'r3-%' and
          (select count(*) from applications a where a.candidate_id = c.id) > 1) as duplicates,
        (select count(*)::int from outbox o where o.event_type = 'application.created'
          and not exists (select 1 from applications a where a.id = o.aggregate_id)) as orphan_events
      from k`;
    const mismatchedReplays = submitted.filter((s) => !s.applicationId).length;
    const meanRecovery = recoveries.reduce((s, v) => s + v, 0) / Math.max(1, recoveries.length);
    figures('R3', 'connection killed mid-transaction', {
      runsPerPoint: scaled(100, RUNS_PER_POINT),
      maxRetries: MAX_RETRIES,
      points: perPoint,
      partialWrites: moves!.partial + subs!.partial,
      orphanedOutboxRows: moves!.orphan_events + subs!.orphan_events,
      wrongFinalState: moves!.wrong,
      retrySuccessRate: `${((100 * (moved.length - totalFailures)) / moved.length).toFixed(1)}%`,
      meanRecoveryMs: Math.round(meanRecovery * 10) / 10,
      meanKillMs: Math.round(killMs.reduce((x, y) => x + y, 0) / Math.max(1, killMs.length)),
      ambiguousCommits: ambiguous,
      ambiguousLanded,
      resolvedByIdempotency,
      submissionsSucceeded: `${submissionsSucceeded}/${RUNS_PER_POINT}`,
      duplicateApplications: subs!.duplicates,
    });
    expect(totalFailures).toBe(0);
    expect({ partial: moves!.partial, wrong: moves!.wrong, orphan: moves!.orphan_events }).toEqual({
      partial: 0,
      wrong: 0,
      orphan: 0,
    });
    expect({
      keys: subs!.keys,
      partial: subs!.partial,
      duplicates: subs!.duplicates,
      orphan: subs!.orphan_events,
    }).toEqual({
      keys: RUNS_PER_POINT,
      partial: 0,
      duplicates: 0,
      orphan: 0,
    });
    expect(mismatchedReplays).toBe(0);
    expect(ambiguous).toBe(RUNS_PER_POINT);
    expect(ambiguousLanded).toBe(ambiguous);
    // the kill races the statement; the criterion is about what survives, so most runs being killed is enough
    for (const point of Object.keys(PAUSE_POINTS))
      expect((perPoint[point] as { killed: number }).killed).toBeGreaterThanOrEqual(RUNS_PER_POINT * 0.8);
  });
});

async function stageOf(appId: string): Promise<string | undefined> {
  const [row] = await db.owner<{ stage_id: string }[]>`select stage_id from applications where id = ${appId}`;
  return row?.stage_id;
}

/**
 * R6 Concurrent stage advances: R = 200 rounds; per round N ∈ {2, 8, 32} simultaneous moves through the
 * stage-advance handler that all expect the same current stage, portal-owned and ATS-owned transitions mixed
 * (valid moves by the owning side plus forbidden ones: the other side's stages, skips, backward moves).
 * Exactly one move wins per round; the valid losers get 409 STAGE_CONFLICT; forbidden moves are never
 * applied; version delta, history rows and outbox events all equal the successes.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { TestDatabase } from '../support/db.js';
import { routeEvent } from '../support/factories.js';
import type { TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import {
  describeOnPostgres,
  figures,
  histogram,
  percentile,
  randomFor,
  runs,
  scaled,
} from '../support/reliability.js';
import { memoryAdapters, type Seeded, seededSuite } from './support/suite.js';

const ROUNDS = runs(200);
const SIZES = [2, 8, 32] as const;
// seedTenantGraph's job: Screening, Shortlist, Client Endorsement, Interview, Offer, Offer Accepted
const [SCREENING, SHORTLIST, ENDORSEMENT, INTERVIEW, OFFER] = [0, 1, 2, 3, 4];
const STAGE_NAMES = ['Screening', 'Shortlist', 'Client Endorsement', 'Interview', 'Offer', 'Offer Accepted'];

interface Move {
  role: 'portal' | 'ats';
  to: number;
  valid: boolean;
}

/** Moves from a stage: valid ones for the owning side, forbidden ones for the other side or the wrong step. */
function candidates(from: number): Move[] {
  if (from === SCREENING) {
    return [
      { role: 'portal', to: SHORTLIST, valid: true },
      { role: 'portal', to: ENDORSEMENT, valid: false }, // skip
      { role: 'ats', to: INTERVIEW, valid: false }, // Screening belongs to the portal
      { role: 'ats', to: SHORTLIST, valid: false },
    ];
  }
  if (from === SHORTLIST) {
    return [
      { role: 'portal', to: ENDORSEMENT, valid: true },
      { role: 'portal', to: SCREENING, valid: false }, // backward
      { role: 'ats', to: OFFER, valid: false },
    ];
  }
  // Client Endorsement: the ATS side takes over
  return [
    { role: 'ats', to: INTERVIEW, valid: true },
    { role: 'ats', to: OFFER, valid: true },
    { role: 'portal', to: SHORTLIST, valid: false }, // backward
    { role: 'portal', to: INTERVIEW, valid: false }, // ATS stage
  ];
}

let db: TestDatabase;
let graph: TenantGraph;
let handler: HttpHandler;

describeOnPostgres('R6', 'concurrent stage advances', () => {
  const prepare = async ({ db }: Seeded) => ({
    handler: await loadHandler('stage-advance', memoryAdapters(db.app)),
  });
  seededSuite(16, { prepare }, (state) => {
    ({ db, graph, handler } = state);
  });

  it('lets exactly one of N identical concurrent moves win, every round', async () => {
    const { random } = randomFor('R6');
    const latencies: number[] = [];
    const statuses: number[] = [];
    let validLosers = 0;
    let validLosers409 = 0;
    let forbiddenApplied = 0;
    let forbiddenRefused = 0;
    const badRounds: unknown[] = [];
    const rounds: { appId: string; from: number; successes: number; winner?: Move }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const n = SIZES[round % SIZES.length]!;
      const from = [SCREENING, SHORTLIST, ENDORSEMENT][Math.floor(random() * 3)]!;
      const appId = randomUUID();
      const candidateId = randomUUID();
      await db.owner.begin(async (tx) => {
        await tx`insert into candidates (id, organization_id, first_name, last_name, email)
          values (${candidateId}, ${graph.organizationId}, 'R', 'Six', ${`r6-${appId}@example.com`})`;
        await tx`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
          values (${appId}, ${graph.organizationId}, ${candidateId}, ${graph.jobId}, ${graph.stageIds[from]!}, 'portal')`;
      });
      const options = candidates(from);
      const moves: Move[] = Array.from({ length: n }, (_, i) =>
        i === 0 ? options.find((m) => m.valid)! : options[Math.floor(random() * options.length)]!,
      );
      const results = await Promise.all(
        moves.map(async (move) => {
          const started = performance.now();
          const res = await invoke(
            handler,
            routeEvent('POST /applications/{id}/stage', {
              params: { id: appId },
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${graph.keys[move.role]}`,
              },
              body: { toStage: STAGE_NAMES[move.to], expectedStage: STAGE_NAMES[from] },
            }),
          );
          latencies.push(performance.now() - started);
          return { move, status: res.status, code: res.body?.error?.code as string | undefined };
        }),
      );
      const winners = results.filter((r) => r.status === 200);
      for (const r of results) {
        statuses.push(r.status);
        if (r.status === 200 && !r.move.valid) forbiddenApplied++;
        if (!r.move.valid && r.status !== 200) forbiddenRefused++;
        if (r.move.valid && r.status !== 200) {
          validLosers++;
          if (r.status === 409 && r.code === 'STAGE_CONFLICT') validLosers409++;
        }
      }
      if (winners.length !== 1) badRounds.push({ round, n, from, statuses: results.map((r) => r.status) });
      rounds.push({
        appId,
        from,
        successes: winners.length,
        ...(winners[0] ? { winner: winners[0].move } : {}),
      });
    }
    const ids = rounds.map((r) => r.appId);
    const state = await db.owner<
      { id: string; version: number; stage_id: string; history: number; events: number }[]
    >`
      select a.id, a.version, a.stage_id,
        (select count(*)::int from application_stage_history h where h.application_id = a.id) as history,
        (select count(*)::int from outbox o where o.aggregate_id = a.id and o.event_type = 'application.stage_changed') as events
      from applications a where a.id = any(${ids}::uuid[])`;
    const byId = new Map(state.map((s) => [s.id, s]));
    let versionDelta = 0;
    let historyRows = 0;
    let events = 0;
    let successes = 0;
    let mismatches = 0;
    for (const r of rounds) {
      const s = byId.get(r.appId)!;
      versionDelta += s.version - 1;
      historyRows += s.history;
      events += s.events;
      successes += r.successes;
      const expectedStage = r.winner ? graph.stageIds[r.winner.to] : graph.stageIds[r.from];
      if (
        s.version - 1 !== r.successes ||
        s.history !== r.successes ||
        s.events !== r.successes ||
        s.stage_id !== expectedStage
      ) {
        mismatches++;
      }
    }
    const perRound = new Set(rounds.map((r) => r.successes));
    figures('R6', 'concurrent stage advances', {
      rounds: scaled(200, ROUNDS),
      sizes: SIZES.join('/'),
      requests: statuses.length,
      winnersPerRound: [...perRound].join(','),
      successes,
      validLosers,
      validLosers409,
      forbiddenRefused,
      forbiddenApplied,
      versionDelta,
      historyRows,
      outboxEvents: events,
      stateMismatches: mismatches,
      serializationRetries: 'n/a (READ COMMITTED compare-and-set)',
      statuses: histogram(statuses),
      p95ms: percentile(latencies, 95),
    });
    expect(badRounds).toEqual([]);
    expect(validLosers409).toBe(validLosers);
    expect(forbiddenApplied).toBe(0);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect({ versionDelta, historyRows, events, mismatches }).toEqual({
      versionDelta: successes,
      historyRows: successes,
      events: successes,
      mismatches: 0,
    });
  });
});

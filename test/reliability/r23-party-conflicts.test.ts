/**
 * R23 Several parties, conflicts: R = 200 rounds; per round both agencies submit the same person (the email in a
 * random letter case) to the same partner job at the same moment, through the portal-submission handler. Exactly
 * one wins; the other gets 409 SUBMISSION_CONFLICT naming no one; the database holds exactly one active application
 * of the person to the job, and the loser's candidate, application, history and outbox rows do not exist.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { routeEvent } from '../support/factories.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import { type PartyWorld, seedPartyWorld } from '../support/parties.js';
import { describeOnPostgres, figures, histogram, randomFor, runs, scaled } from '../support/reliability.js';
import { memoryAdapters } from './support/suite.js';

const ROUNDS = runs(200);

let db: TestDatabase;
let world: PartyWorld;
let handler: HttpHandler;

const randomCase = (email: string, random: () => number) =>
  [...email].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join('');

describeOnPostgres('R23', 'concurrent submissions of one person by two agencies', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 4 });
    world = await seedPartyWorld(db.owner, db.app);
    handler = await loadHandler('portal-submission', memoryAdapters(db.app));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lets exactly one of two agencies win, every round', async () => {
    const { random } = randomFor('R23');
    const statuses: number[] = [];
    const codes: string[] = [];
    const badRounds: unknown[] = [];
    const leaks: string[] = [];
    const emails: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const email = `r23-${randomUUID()}@example.com`;
      emails.push(email);
      const results = await Promise.all(
        world.agencies.map(async (agency) => {
          const res = await invoke(
            handler,
            routeEvent('POST /applications', {
              headers: { 'content-type': 'application/json', authorization: `Bearer ${agency.keys.portal}` },
              body: {
                jobId: world.jobId,
                candidate: { firstName: 'R', lastName: 'TwentyThree', email: randomCase(email, random) },
              },
            }),
          );
          return { agency: agency.id, status: res.status, body: res.body };
        }),
      );
      for (const r of results) {
        statuses.push(r.status);
        if (r.status !== 201) codes.push(r.body?.error?.code);
        // the loser must not learn who holds the application
        if (r.status === 409 && world.agencies.some((a) => JSON.stringify(r.body).includes(a.id)))
          leaks.push(email);
      }
      const winners = results.filter((r) => r.status === 201);
      const losers = results.filter((r) => r.status === 409 && r.body?.error?.code === 'SUBMISSION_CONFLICT');
      if (winners.length !== 1 || losers.length !== 1)
        badRounds.push({ round, statuses: results.map((r) => r.status) });
    }
    const [state] = await db.owner<
      { active: number; people: number; candidates: number; history: number; events: number }[]
    >`
      select count(*)::int as active, count(distinct a.candidate_email)::int as people,
        (select count(*)::int from candidates c where lower(c.email) = any(${emails}::text[])) as candidates,
        (select count(*)::int from application_stage_history h where h.application_id in
          (select id from applications where candidate_email = any(${emails}::text[]))) as history,
        (select count(*)::int from outbox o where o.event_type = 'application.created' and o.aggregate_id in
          (select id from applications where candidate_email = any(${emails}::text[]))) as events
      from applications a
      where a.job_id = ${world.jobId} and a.status = 'active' and a.candidate_email = any(${emails}::text[])`;
    figures('R23', 'concurrent submissions of one person by two agencies', {
      rounds: scaled(200, ROUNDS),
      requests: statuses.length,
      statuses: histogram(statuses),
      losers: histogram(codes),
      activeApplications: state!.active,
      people: state!.people,
      historyRows: state!.history,
      outboxEvents: state!.events,
      holderNamed: leaks.length,
    });
    expect(badRounds).toEqual([]);
    expect(leaks).toEqual([]);
    // one candidate record at most per agency (the loser's upsert rolls back with its application)
    expect(state).toEqual({
      active: ROUNDS,
      people: ROUNDS,
      candidates: ROUNDS,
      history: ROUNDS,
      events: ROUNDS,
    });
  });
});

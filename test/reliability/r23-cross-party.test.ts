/**
 * R23 Several parties, isolation: every cross-party read and write the routes offer, tried with every key of each
 * party that has no right to it: the other agency, the platform (on an application it did not broker, and on the
 * employer's private record of one it did), and the employer and agency of another platform. A read leaks when it
 * answers 2xx with anything the caller may not see; a write leaks when it answers 2xx; and no table may change.
 * Then the same parties read every tenant table through row-level security as the runtime role: 0 foreign rows.
 */
import '../support/quiet-logs.js';
import { beforeAll, expect, it } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import { tenantTables } from '../support/fixtures.js';
import { type Party, type PartyWorld, seedPartyWorld } from '../support/parties.js';
import { partiesApi, type RouteKey } from '../support/parties-api.js';
import { foreignRowsSeen, type PartyScenario, seedPartyScenario } from '../support/party-visibility.js';
import { describeOnPostgres, figures, histogram } from '../support/reliability.js';

interface Target {
  applicationId: string;
  candidateId: string;
  documentId: string;
  /** Strings the attacker must never read: ids and bodies. */
  secrets: string[];
  /** Messages the attacker may not mark read. */
  messageIds: string[];
}

async function target(owner: Sql, applicationId: string, mayReadShared: string | null): Promise<Target> {
  const [app] = await owner<{ candidate_id: string; document_id: string }[]>`
    select a.candidate_id, (select d.id from candidate_documents d where d.application_id = a.id) as document_id
    from applications a where a.id = ${applicationId}`;
  const ids = await owner<{ id: string; kind: string }[]>`
    select id::text, 'note' as kind from notes where application_id = ${applicationId}
      and (${mayReadShared}::uuid is null or visibility <> 'shared')
    union all select id::text, 'record' from scorecards where application_id = ${applicationId}
    union all select id::text, 'record' from offers where application_id = ${applicationId}
    union all select id::text, 'record' from interviews where application_id = ${applicationId}
    union all select id::text, 'message' from messages where application_id = ${applicationId}
      and (${mayReadShared}::uuid is null
        or not (to_organization_id is null or ${mayReadShared}::uuid in (to_organization_id, from_organization_id)))`;
  const whole =
    mayReadShared === null ? [applicationId, app!.candidate_id, app!.document_id] : [app!.document_id];
  return {
    applicationId,
    candidateId: app!.candidate_id,
    documentId: app!.document_id,
    secrets: [...whole, ...ids.map((r) => r.id), 'private note', 'organization note'],
    messageIds: ids.filter((r) => r.kind === 'message').map((r) => r.id),
  };
}

const { w, call } = partiesApi({ appMax: 4 });
let scenario: PartyScenario;
let outside: PartyWorld;
let tables: string[];

async function fingerprint(owner: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await owner.unsafe(
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${table} t`,
    );
    out[table] = row!.h as string;
  }
  return out;
}

describeOnPostgres('R23', 'cross-party reads and writes', () => {
  beforeAll(async () => {
    scenario = await seedPartyScenario(w.db.owner, w.world);
    outside = await seedPartyWorld(w.db.owner, w.db.app, 'Q');
    tables = await tenantTables(w.db.owner);
  });

  it('leaks nothing through the routes and changes nothing', async () => {
    const { world } = w;
    const apps = scenario.applications;
    const attacks: { who: string; party: Party; target: Target; sharedVisible: boolean }[] = [];
    const add = async (who: string, party: Party, applicationId: string, sharedFor: string | null) =>
      attacks.push({
        who,
        party,
        target: await target(w.db.owner, applicationId, sharedFor),
        sharedVisible: !!sharedFor,
      });
    await add('agency 2 → agency 1', world.agencies[1], apps.agency1, null);
    await add('agency 1 → agency 2', world.agencies[0], apps.agency2, null);
    await add('agency 1 → direct', world.agencies[0], apps.direct, null);
    await add('platform → direct', world.platform, apps.direct, null);
    await add('platform → agency 1 record', world.platform, apps.agency1, world.platform.id);
    for (const [name, party] of [
      ['outside employer', outside.employer],
      ['outside agency', outside.agencies[0]],
      ['outside platform', outside.platform],
    ] as const) {
      for (const [label, id] of Object.entries(apps)) await add(`${name} → ${label}`, party, id, null);
    }
    const before = await fingerprint(w.db.owner);
    const statuses: number[] = [];
    const leaks: string[] = [];
    let attempts = 0;
    for (const attack of attacks) {
      const t = attack.target;
      const id = { id: t.applicationId };
      const reads: [RouteKey, Record<string, string>][] = [
        ['GET /applications/{id}', id],
        ['GET /applications/{id}/notes', id],
        ['GET /applications/{id}/scorecards', id],
        ['GET /applications/{id}/offers', id],
        ['GET /applications/{id}/interviews', id],
        ['GET /applications/{id}/messages', id],
        ['GET /candidates/{id}', { id: t.candidateId }],
        ['GET /applications/{id}/documents/{documentId}', { id: t.applicationId, documentId: t.documentId }],
        ['GET /jobs/{jobId}/applications', { jobId: world.jobId }],
        ['GET /partnerships', {}],
      ];
      const writes: [RouteKey, Record<string, string>, unknown][] = [
        ['POST /applications/{id}/stage', id, { toStage: 'Shortlist' }],
        ['POST /applications/{id}/status', id, { status: 'withdrawn' }],
        ['POST /applications/{id}/notes', id, { body: 'x', visibility: 'organization' }],
        [
          'POST /applications/{id}/interviews',
          id,
          {
            title: 'x',
            startAt: '2026-12-10T14:00:00.000Z',
            endAt: '2026-12-10T15:00:00.000Z',
            interviewers: [],
          },
        ],
        ['PATCH /candidates/{id}', { id: t.candidateId }, { firstName: 'Mallory' }],
        ...t.messageIds.map(
          (m) =>
            ['POST /messages/{id}/read', { id: m }, undefined] as [RouteKey, Record<string, string>, unknown],
        ),
        ...world.partnershipIds.map(
          (p) =>
            ['DELETE /partnerships/{id}', { id: p }, undefined] as [
              RouteKey,
              Record<string, string>,
              unknown,
            ],
        ),
      ];
      // the platform may write to a thread it brokered; anyone else may not
      if (!attack.sharedVisible)
        writes.push(['POST /applications/{id}/messages', id, { body: 'x', to: 'all_parties' }]);
      for (const key of Object.values(attack.party.keys)) {
        for (const [route, params] of reads) {
          const res = await call(route, key, { params });
          attempts++;
          statuses.push(res.status);
          const text = JSON.stringify(res.body ?? '');
          if (res.status < 300 && t.secrets.some((s) => text.includes(s)))
            leaks.push(`${attack.who}: ${route}`);
        }
        for (const [route, params, body] of writes) {
          const res = await call(route, key, { params, ...(body === undefined ? {} : { body }) });
          attempts++;
          statuses.push(res.status);
          if (res.status < 300) leaks.push(`${attack.who}: ${route}`);
        }
      }
    }
    const after = await fingerprint(w.db.owner);
    const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
    // and the same parties reading every table through row-level security
    let sqlProbes = 0;
    const sqlLeaks: string[] = [];
    for (const party of [
      world.agencies[0],
      world.agencies[1],
      world.platform,
      outside.employer,
      outside.agencies[0],
    ]) {
      for (const role of ['portal', 'ats', 'admin'] as const) {
        const seen = await foreignRowsSeen(w.db.owner, w.db.app, tables, party.id, role);
        sqlProbes += tables.length;
        for (const table of Object.keys(seen)) sqlLeaks.push(`${party.id} ${role} ${table}`);
      }
    }
    figures('R23', 'cross-party reads and writes', {
      attackers: attacks.length,
      routeAttempts: attempts,
      statuses: histogram(statuses),
      leaks: leaks.length,
      tablesChanged: changed.length,
      sqlTableReads: sqlProbes,
      sqlLeaks: sqlLeaks.length,
    });
    expect(leaks).toEqual([]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(changed).toEqual([]);
    expect(sqlLeaks).toEqual([]);
  });
});

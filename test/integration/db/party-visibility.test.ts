/**
 * Visibility between parties, enforced by row-level security (docs/parties.md): connected as the runtime role
 * with each party's settings and each key role, every tenant table shows 0 rows the party may not read; and the
 * agency does see its own submission with its history and shared notes, never the employer's other notes, the
 * scorecards, offers or interviews.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../shared/db/tenant.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { tenantTables } from '../../support/fixtures.js';
import { type PartyWorld, seedPartyWorld } from '../../support/parties.js';
import { foreignRowsSeen, type PartyScenario, seedPartyScenario } from '../../support/party-visibility.js';

let db: TestDatabase;
let world: PartyWorld;
let scenario: PartyScenario;
let tables: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  world = await seedPartyWorld(db.owner, db.app);
  scenario = await seedPartyScenario(db.owner, world);
  tables = await tenantTables(db.owner);
});

afterAll(async () => {
  await db?.close();
});

const roles = ['portal', 'ats', 'admin'] as const;

describe('party visibility through row-level security', () => {
  for (const [name, pick] of [
    ['agency 1', (w: PartyWorld) => w.agencies[0].id],
    ['agency 2', (w: PartyWorld) => w.agencies[1].id],
    ['the platform', (w: PartyWorld) => w.platform.id],
  ] as const) {
    for (const role of roles) {
      it(`shows ${name} (${role}) 0 foreign rows in every table`, async () => {
        const leaks = await foreignRowsSeen(db.owner, db.app, tables, pick(world), role);

        expect(leaks).toEqual({});
      });
    }
  }

  it('shows an agency its submission with history, document and the shared note only', async () => {
    const agency = world.agencies[0].id;
    const id = scenario.applications.agency1;

    const seen = await withTenant(
      db.app,
      agency,
      'portal',
      (tx) => tx<{ what: string; n: number }[]>`
      select 'application' as what, count(*)::int as n from applications where id = ${id}
      union all select 'history', count(*)::int from application_stage_history where application_id = ${id}
      union all select 'document', count(*)::int from candidate_documents where application_id = ${id}
      union all select 'note:' || visibility, count(*)::int from notes where application_id = ${id} group by visibility
      union all select 'scorecard', count(*)::int from scorecards where application_id = ${id}
      union all select 'offer', count(*)::int from offers where application_id = ${id}
      union all select 'interview', count(*)::int from interviews where application_id = ${id}`,
    );

    expect(Object.fromEntries(seen.map((r) => [r.what, r.n]))).toEqual({
      application: 1,
      history: 1,
      document: 1,
      'note:shared': 1,
      scorecard: 0,
      offer: 0,
      interview: 0,
    });
  });

  it('shows the employer every application to its job and which party submitted it', async () => {
    const rows = await withTenant(
      db.app,
      world.employer.id,
      'ats',
      (tx) => tx<{ submitting_organization_id: string }[]>`
      select submitting_organization_id from applications where id = any(${Object.values(scenario.applications)}::uuid[])
      order by application_type, submitting_organization_id`,
    );

    expect(rows.map((r) => r.submitting_organization_id).sort()).toEqual(
      [world.agencies[0].id, world.agencies[1].id, world.employer.id].sort(),
    );
  });

  it('refuses an agency writing history to another agency’s application', async () => {
    const [target] = await db.owner<{ stage_id: string }[]>`
      select stage_id from applications where id = ${scenario.applications.agency1}`;

    const attempt = withTenant(
      db.app,
      world.agencies[1].id,
      'portal',
      (tx) =>
        tx`insert into application_stage_history (organization_id, application_id, to_stage_id, to_status, actor_role, source)
        values (${world.employer.id}, ${scenario.applications.agency1}, ${target!.stage_id}, 'active', 'portal', 'portal')`,
    );

    await expect(attempt).rejects.toThrow(/row-level security/);
  });
});

/**
 * The retention sweep (docs/privacy.md, "Retention") on a clock the test moves: what is past the organization's
 * setting goes, in bounded batches, and what is not stays.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runErasure } from '../../../shared/privacy/erasure-run.js';
import { sweepRetention } from '../../../shared/privacy/retention-sweep.js';
import { privacyWorld } from '../../support/privacy-world.js';

const { w, call, workerDeps, seedPerson } = privacyWorld();
const DAY = 86_400_000;

const sweep = (batchSize = 100) =>
  sweepRetention({ sql: w.db.app, objectStore: w.store, clock: w.clock, privacyQueue: w.queue, batchSize });

const daysAgo = (days: number) => new Date(w.clock.nowMs() - days * DAY);

async function rawPage(storedAt: Date, remoteIds: string[] = []): Promise<string> {
  const key = `raw/${w.graph.organizationId}/${w.graph.integrationId}/candidate/${randomUUID()}/1.json`;
  await w.store.put(key, JSON.stringify(remoteIds.map((id) => ({ id: Number(id) }))));
  await w.db
    .owner`insert into raw_payload_pages (object_key, organization_id, integration_id, remote_ids, stored_at)
    values (${key}, ${w.graph.organizationId}, ${w.graph.integrationId}, ${remoteIds}::text[], ${storedAt})`;
  return key;
}

const hex64 = () => (randomUUID() + randomUUID()).replaceAll('-', '');

/** A connect link of `organizationId` that expired (or expires) at `expiresAt`, with one OAuth state. */
async function connectLink(organizationId: string, expiresAt: Date): Promise<string> {
  const [session] = await w.db.owner<{ id: string }[]>`
    insert into connect_sessions (organization_id, token_hash, redirect_url, expires_at)
    values (${organizationId}, ${hex64()}, 'https://customer.example/done', ${expiresAt}) returning id`;
  await w.db.owner`
    insert into connect_oauth_states (organization_id, session_id, state_hash, provider, code_verifier, expires_at)
    values (${organizationId}, ${session!.id}, ${hex64()}, 'lever', ${'v'.repeat(43)}, ${expiresAt})`;
  return session!.id;
}

const linkRows = async (id: string) => {
  const [row] = await w.db.owner<{ sessions: number; states: number }[]>`
    select (select count(*)::int from connect_sessions where id = ${id}) as sessions,
      (select count(*)::int from connect_oauth_states where session_id = ${id}) as states`;
  return row;
};

beforeAll(async () => {
  const response = await call('PUT /privacy/retention', w.graph.keys.admin, {
    body: { rawPayloadDays: 30, rejectedDocumentDays: 90, notificationBodyDays: 7, analyticsExportDays: 365 },
  });
  expect(response.status).toBe(200);
});

describe('PUT /privacy/retention', () => {
  it('keeps the settings not given', async () => {
    const response = await call('PUT /privacy/retention', w.other.keys.admin, {
      body: { rawPayloadDays: 10 },
    });
    await call('PUT /privacy/retention', w.other.keys.admin, { body: { analyticsExportDays: 20 } });

    const read = await call('GET /privacy/retention', w.other.keys.admin);

    expect(response.status).toBe(200);
    expect(read.body).toEqual({
      rawPayloadDays: 10,
      rejectedDocumentDays: null,
      notificationBodyDays: null,
      analyticsExportDays: 20,
    });
    await call('PUT /privacy/retention', w.other.keys.admin, {
      body: { rawPayloadDays: null, analyticsExportDays: null },
    });
  });

  it('refuses zero days', async () => {
    const response = await call('PUT /privacy/retention', w.graph.keys.admin, {
      body: { rawPayloadDays: 0 },
    });

    expect(response.status).toBe(400);
  });
});

describe('the retention sweep', () => {
  it('deletes a raw page past its time, every version, and keeps a younger one', async () => {
    const old = await rawPage(daysAgo(31));
    const young = await rawPage(daysAgo(29));

    await sweep();

    expect(w.store.versionCount(old)).toBe(0);
    expect(w.store.versionCount(young)).toBe(1);
  });

  it('deletes at most a batch per run and says there is more', async () => {
    for (let i = 0; i < 3; i++) await rawPage(daysAgo(40));

    const first = await sweep(2);
    const second = await sweep(2);

    expect([first.rawPages, first.more]).toEqual([2, true]);
    expect(second.rawPages).toBe(1);
  });

  it("deletes a rejected candidate's document past its time", async () => {
    const person = await seedPerson();
    await w.db.owner`update applications set status = 'rejected', updated_at = ${daysAgo(91)}
      where id = ${person.applicationId}`;

    const report = await sweep();

    expect(report.rejectedDocuments).toBe(1);
    expect(w.store.versionCount(person.documentKey)).toBe(0);
  });

  it("keeps an active candidate's document", async () => {
    const person = await seedPerson();
    await w.db.owner`update applications set updated_at = ${daysAgo(91)} where id = ${person.applicationId}`;

    await sweep();

    expect(w.store.versionCount(person.documentKey)).toBe(2);
  });

  it('empties notification bodies past their time', async () => {
    const person = await seedPerson();
    await w.db.owner`update notification_deliveries set created_at = ${daysAgo(8)}
      where body like ${`%${person.markers.firstName}%`}`;

    await sweep();

    const left = await w.db
      .owner`select 1 from notification_deliveries where body like ${`%${person.markers.firstName}%`}`;
    expect(left).toHaveLength(0);
  });

  it('deletes an analytics export past its time, with its objects', async () => {
    const key = `exports/${w.graph.organizationId}/2025-01/funnel.json`;
    await w.store.put(key, '{}');
    await w.db
      .owner`insert into analytics_exports (organization_id, period_from, period_to, status, s3_prefix, objects,
        created_at)
      values (${w.graph.organizationId}, '2025-01-01', '2025-01-31', 'succeeded', 'exports/x',
        ${w.db.owner.json([{ key, contentType: 'application/json', bytes: 2, sha256: 'x' }])}, ${daysAgo(366)})`;

    const report = await sweep();

    expect(report.analyticsExports).toBe(1);
    expect(w.store.versionCount(key)).toBe(0);
  });

  it('drops an erased person from a raw page a later sync wrote', async () => {
    const person = await seedPerson();
    const requested = await call('POST /candidates/{id}/erase', w.graph.keys.admin, {
      params: { id: person.candidateId },
      body: { reason: 'request', propagate: false },
    });
    await runErasure(workerDeps(), {
      organizationId: w.graph.organizationId,
      erasureId: requested.body.erasureId,
    });
    const later = await rawPage(new Date(w.clock.nowMs() + 60_000), [person.remoteCandidateId, '77']);

    await sweep();

    expect(JSON.parse(w.store.text(later)!)).toEqual([{ id: 77 }]);
  });
});

describe('expired connect links', () => {
  it('deletes a link a month past its expiry, with its OAuth state, whatever its organization', async () => {
    const link = await connectLink(w.other.organizationId, daysAgo(31));

    const report = await sweep();

    expect(await linkRows(link)).toEqual({ sessions: 0, states: 0 });
    expect(report.connectLinks).toBeGreaterThanOrEqual(1);
  });

  it('keeps a link that expired less than a month ago', async () => {
    const link = await connectLink(w.graph.organizationId, daysAgo(29));

    await sweep();

    expect(await linkRows(link)).toEqual({ sessions: 1, states: 1 });
  });
});

/**
 * Issue #15, done when (Lever): a full sync through the local runtime brings interviews, feedback (scorecards),
 * offers, notes, tags and archive reasons, readable through the routes with what the fake holds. The fake keeps
 * Lever's documented limit (a token bucket per key, 10 requests per second, bursts of 20) on a clock that follows
 * wall time: a frozen fake clock never refills the bucket, so every request after the first burst would be refused.
 * The run therefore passes only if the hub's limiter paces the per-opportunity lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import { createWallClock } from '../fakes/common/controllable-clock.js';
import { type LeverFake, startLeverFake } from '../fakes/lever/index.js';
import type { LvOpportunity } from '../fakes/lever/state.js';
import { type apiClient, fileRuntime, type TestRuntime } from '../support/local-runtime.js';
import { syncedOrganization } from '../support/synced-organization.js';

type Client = ReturnType<typeof apiClient>;
let t: TestRuntime;
let owner: Sql;
let fake: LeverFake;
let synced: Awaited<ReturnType<typeof syncedOrganization>>;

fileRuntime((runtime, sql) => {
  t = runtime;
  owner = sql;
});

beforeAll(async () => {
  fake = await startLeverFake({ postings: 3, contacts: 30, clock: createWallClock() });
  synced = await syncedOrganization(t, owner, {
    provider: 'lever',
    credentials: { apiKey: fake.apiKey },
    settings: { baseUrl: fake.url },
  });
}, 150_000);

afterAll(async () => {
  await fake?.stop();
});

const itemsOf = async (client: Client, path: string) =>
  (await client('GET', `${path}?limit=100`)).body.items as Record<string, unknown>[];

/** An opportunity on a posting, the only one of its contact, that `has` what a test reads. */
function opportunityWith(has: (o: LvOpportunity) => boolean): LvOpportunity {
  const found = fake.state.opportunities.find(
    (o) =>
      o.postingId !== null &&
      fake.state.opportunities.filter((x) => x.contact === o.contact).length === 1 &&
      has(o),
  );
  if (!found) throw new Error('the seed has no such opportunity');
  return found;
}

describe('a full Lever sync brings the recruiting record', () => {
  it('ends succeeded without a refused request', () => {
    expect(synced.run).toMatchObject({ status: 'succeeded', recordsFailed: 0 });
    expect(fake.rateLimitRejections).toBe(0);
  });

  it('shows an application its interviews', async () => {
    const { interviews } = fake.records.records;
    const o = opportunityWith((x) => interviews.some((i) => i.opportunityId === x.id));

    const listed = await itemsOf(synced.ats, `/applications/${await synced.hubApplication(o.id)}/interviews`);

    expect(listed).toHaveLength(interviews.filter((i) => i.opportunityId === o.id).length);
    expect(listed.every((i) => i['source'] === 'lever')).toBe(true);
  });

  it('shows an application its completed feedback as scorecards', async () => {
    const { feedback } = fake.records.records;
    const completed = (id: string) =>
      feedback.filter((f) => f.opportunityId === id && f.completedAt !== null && f.deletedAt === null);
    const o = opportunityWith((x) => completed(x.id).length > 0);

    const listed = await itemsOf(synced.ats, `/applications/${await synced.hubApplication(o.id)}/scorecards`);

    expect(listed).toHaveLength(completed(o.id).length);
  });

  it('shows an application its offers', async () => {
    const { offers } = fake.records.records;
    const o = opportunityWith((x) => offers.some((f) => f.opportunityId === x.id));

    const listed = await itemsOf(synced.ats, `/applications/${await synced.hubApplication(o.id)}/offers`);

    expect(listed).toHaveLength(offers.filter((f) => f.opportunityId === o.id).length);
  });

  it('shows an application its notes, never a secret one', async () => {
    const { notes } = fake.records.records;
    const open = (id: string) => notes.filter((n) => n.opportunityId === id && !n.secret && !n.deletedAt);
    const o = opportunityWith((x) => open(x.id).length > 0);

    const listed = await itemsOf(synced.admin, `/applications/${await synced.hubApplication(o.id)}/notes`);

    expect(listed).toHaveLength(open(o.id).length);
  });

  it('shows a candidate the tags of their opportunity', async () => {
    const o = opportunityWith((x) => x.tags.length > 0);

    const shown = await synced.ats('GET', `/candidates/${await synced.hubId('candidate', o.contact)}`);

    expect([...shown.body.tags].sort()).toEqual([...o.tags].sort());
  });

  it('lists the archive reasons as rejection reasons', async () => {
    const listed = await itemsOf(synced.ats, '/rejection-reasons');

    const names = listed.filter((r) => r['source'] === 'lever').map((r) => r['name']);
    expect(names.sort()).toEqual(fake.state.archiveReasons.map((r) => r.text).sort());
  });
});

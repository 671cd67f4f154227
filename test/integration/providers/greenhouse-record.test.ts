/**
 * The Greenhouse client's full ATS record against its fake over loopback: the v3 lists of rejection reasons,
 * interviews, scorecards, offers and notes (pagination, incremental cursor, user resolution), candidates' tags and
 * attachment metadata, and the note and tag writes.
 */
import { describe, expect, it } from 'vitest';
import { provider } from '../../../shared/providers/greenhouse/index.js';
import { toWebhookEvents } from '../../../shared/providers/greenhouse/to-webhook-event.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { type ClientOverrides, caught, clientWith, drain } from './client-harness.js';

let fake: GreenhouseFake;
const fakes = fakeLifecycle(startGreenhouseFake, { jobs: 3, candidates: 200, rateLimit: false });
async function start() {
  fake = await fakes.start({});
}

const client = (overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { ...fake.credentials },
      settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 1_000 },
      clock: fake.clock,
    },
    overrides,
  );

const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);
const data = () => fake.records.data;

describe('greenhouse record: lists', () => {
  it('reads every interview over several pages, exactly once each', async () => {
    await start();

    const { pages, records } = await drain(client(), 'interview', 'full', null, 25);

    expect(pages.length).toBeGreaterThan(2);
    expect(records.map((r) => r.remoteId).sort()).toEqual(
      data()
        .interviews.map((i) => String(i.id))
        .sort(),
    );
  });

  it('names interviewers through the users list, which v3 rows carry only as ids', async () => {
    await start();
    const interview = data().interviews[0]!;
    const user = data().users.find((u) => u.id === interview.interviewerIds[0])!;

    const { records } = await drain(client(), 'interview');

    const mapped = records.find((r) => r.remoteId === String(interview.id))!;
    expect(mapped.interviewers[0]).toEqual({ name: `${user.firstName} ${user.lastName}`, email: user.email });
    expect(requestsTo('/v3/users').length).toBeGreaterThan(0);
  });

  it('keeps submitted scorecards and leaves drafts out', async () => {
    await start();

    const { records, pages } = await drain(client(), 'scorecard');

    const complete = data().scorecards.filter((s) => s.status === 'complete');
    expect(complete.length).toBeLessThan(data().scorecards.length);
    expect(records.map((r) => r.remoteId).sort()).toEqual(complete.map((s) => String(s.id)).sort());
    expect(pages.flatMap((p) => p.raw)).toHaveLength(data().scorecards.length);
  });

  it('maps every offer version, a deprecated one as withdrawn', async () => {
    await start();

    const { records } = await drain(client(), 'offer');

    expect(records).toHaveLength(data().offers.length);
    const deprecated = data().offers.filter((o) => o.status === 'Deprecated');
    for (const offer of deprecated) {
      expect(records.find((r) => r.remoteId === String(offer.id))?.status).toBe('withdrawn');
    }
  });

  it('maps admin-only and private notes to private ones', async () => {
    await start();

    const { records } = await drain(client(), 'note');

    const narrow = data()
      .notes.filter((n) => n.visibility !== 'public')
      .map((n) => String(n.id));
    expect(narrow.length).toBeGreaterThan(0);
    expect(
      records
        .filter((r) => r.visibility === 'private')
        .map((r) => r.remoteId)
        .sort(),
    ).toEqual(narrow.sort());
  });

  it('asks for the default rejection reasons too', async () => {
    await start();

    const { records } = await drain(client(), 'rejection_reason');

    expect(records.map((r) => r.name)).toContain('Not a cultural fit');
    expect(records.find((r) => r.remoteId === '9002')?.category).toBe('They rejected us');
  });

  it('sends filters on the first request only, then nothing but cursor', async () => {
    await start();

    await drain(client(), 'note', 'incremental', { updatedAfter: '2020-01-01T00:00:00.000Z' }, 20);

    const [first, ...followUps] = requestsTo('/v3/notes');
    expect(first?.query['updated_at']).toEqual(['gte|2019-12-31T23:00:00.000Z']);
    expect(followUps.length).toBeGreaterThan(0);
    for (const request of followUps) expect(Object.keys(request.query)).toEqual(['cursor']);
  });

  it('reads only the interviews changed since the stored cursor', async () => {
    await start();
    const c = client({ settings: { lookbackSeconds: 0 } });
    const full = await drain(c, 'interview');
    fake.clock.advance(3_600_000);
    const changed = data().interviews[3]!;
    changed.status = 'cancelled';
    changed.updatedAt = fake.clock.nowMs();

    const incremental = await drain(c, 'interview', 'incremental', full.cursor);

    expect(incremental.records.map((r) => [r.remoteId, r.status])).toEqual([
      [String(changed.id), 'cancelled'],
    ]);
  });
});

describe('greenhouse record: candidates', () => {
  it('brings tags, company and attachment metadata, never a file URL', async () => {
    await start();
    const tagged = fake.state.candidates.find((c) => (c.tags ?? []).length > 0 && c.company)!;

    const { records, pages } = await drain(client(), 'candidate');

    const mapped = records.find((r) => r.remoteId === String(tagged.id))!;
    expect(mapped.tags).toEqual(tagged.tags);
    expect(mapped.company).toBe(tagged.company);
    expect(mapped.attachments?.map((a) => a.type)).toContain('resume');
    expect(JSON.stringify(pages.map((p) => p.records))).not.toContain('http');
  });
});

describe('greenhouse record: attachments and webhooks', () => {
  it('asks for attachments in batches of at most 50 candidate ids', async () => {
    await start();

    await drain(client(), 'candidate');

    const batches = requestsTo('/v3/attachments').map(
      (r) => String(r.query['candidate_ids']).split(',').length,
    );
    expect(batches).toEqual([50, 50, 50, 50]);
  });

  it('reads an offer webhook of the fake as the same offer the list reports', async () => {
    await start();
    const offer = data().offers.find((o) => o.status === 'Accepted')!;
    const listed = (await drain(client(), 'offer')).records.find((r) => r.remoteId === String(offer.id));

    const [event] = toWebhookEvents(fake.records.events.offer('offer_updated', offer));

    expect(event).toMatchObject({
      kind: 'record.upserted',
      object: {
        record: { status: listed?.status, startsAt: listed?.startsAt, resolvedAt: listed?.resolvedAt },
      },
    });
  });
});

describe('greenhouse record: writes', () => {
  it('adds a note as the acting user, which the lookup then finds', async () => {
    await start();
    const candidate = fake.state.candidates[0]!;
    const records = client({ settings: { actingUserId: '102' } }).records!;

    const id = await records.addNote!({
      candidateRemoteId: String(candidate.id),
      applicationRemoteId: null,
      body: 'Great call today.',
      visibility: 'private',
      actingUserId: null,
    });

    const stored = data().notes.find((n) => String(n.id) === id)!;
    expect(stored).toMatchObject({ userId: 102, visibility: 'private', body: 'Great call today.' });
    await expect(
      records.findNote!({
        candidateRemoteId: String(candidate.id),
        applicationRemoteId: null,
        body: 'Great call today.',
      }),
    ).resolves.toBe(id);
  });

  it('refuses a note on an unknown candidate without retrying', async () => {
    await start();

    const error = await caught(
      client().records!.addNote!({
        candidateRemoteId: '999999',
        applicationRemoteId: null,
        body: 'x',
        visibility: 'organization',
        actingUserId: null,
      }),
    );

    expect([error.kind, error.status]).toEqual(['refused', 422]);
  });

  it('adds a new tag and removes an applied one', async () => {
    await start();
    const candidate = fake.state.candidates.find((c) => (c.tags ?? []).length > 0)!;
    const removed = candidate.tags![0]!;

    await client().records!.changeTags!({
      candidateRemoteId: String(candidate.id),
      applicationRemoteId: null,
      add: ['Hub favourite'],
      remove: [removed],
      actingUserId: null,
    });

    expect(candidate.tags).toContain('Hub favourite');
    expect(candidate.tags).not.toContain(removed);
  });

  it('changes nothing when the tags are already as asked', async () => {
    await start();
    const candidate = fake.state.candidates.find((c) => (c.tags ?? []).length > 0)!;
    const change = {
      candidateRemoteId: String(candidate.id),
      applicationRemoteId: null,
      add: [candidate.tags![0]!],
      remove: ['Never applied'],
      actingUserId: null,
    };

    await client().records!.changeTags!(change);

    expect(fake.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/v3/'))).toEqual([]);
  });
});

describe('greenhouse record: the fake refuses bad parameters', () => {
  it('answers 422 for an unknown scorecard status', async () => {
    await start();

    const reply = await fetch(`${fake.url}/v3/scorecards?status=maybe`, { headers: fake.bearerHeaders() });

    expect(reply.status).toBe(422);
  });

  it('answers 422 for a note of unknown visibility and stores nothing', async () => {
    await start();
    const before = data().notes.length;

    const reply = await fetch(`${fake.url}/v3/notes`, {
      method: 'POST',
      headers: { ...fake.bearerHeaders('101'), 'content-type': 'application/json' },
      body: JSON.stringify({ candidate_id: fake.state.candidates[0]!.id, body: 'x', visibility: 'team' }),
    });

    expect(reply.status).toBe(422);
    expect(data().notes).toHaveLength(before);
  });

  it('answers 422 for a per_page above 500 on a record list', async () => {
    await start();

    const reply = await fetch(`${fake.url}/v3/interviews?per_page=501`, { headers: fake.bearerHeaders() });

    expect(reply.status).toBe(422);
  });
});

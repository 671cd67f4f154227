/** The Lever fake's record endpoints (docs/providers.md §3.7) with plain fetch: pages, omitted fields, writes. */
import { describe, expect, it } from 'vitest';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type LeverFake, startLeverFake } from '../../fakes/lever/index.js';
import { LEVER_USERS } from '../../fakes/lever/submissions.js';
import { leverHttp } from './lever-http.js';

let fake: LeverFake;
const { start } = fakeLifecycle(
  startLeverFake,
  { postings: 3, contacts: 120, rateLimit: false },
  (started) => {
    fake = started;
  },
);
const ACTOR = LEVER_USERS[0]!.id;

const http = leverHttp(() => fake);
const get = http.get;
const post = (path: string, body: unknown) => http.send('POST', path, body);
type Page = { data: Record<string, unknown>[]; next?: string; hasNext: boolean };
const page = async (path: string) => (await (await get(path)).json()) as Page;

describe('lever fake: record lists', () => {
  it('pages users with next and hasNext, the offset only valid as issued', async () => {
    await start();

    const first = await page('/users?limit=2');
    const second = await page(`/users?limit=2&offset=${first.next}`);

    expect([first.data.length, first.hasNext, second.data[0]!['id'] !== first.data[0]!['id']]).toEqual([
      2,
      true,
      true,
    ]);
    expect((await get('/users?limit=2&offset=0.1.bogus')).status).toBe(400);
  });

  it('lists an opportunity interviews with start in ms, duration in minutes and interviewers', async () => {
    await start();
    const interview = fake.records.records.interviews[0]!;

    const { data } = await page(`/opportunities/${interview.opportunityId}/interviews`);

    expect(data.find((i) => i['id'] === interview.id)).toMatchObject({
      date: interview.date,
      duration: interview.duration,
      interviewers: [expect.objectContaining({ id: interview.interviewers[0], email: expect.any(String) })],
    });
  });

  it('leaves out the documents of an offer not yet sent', async () => {
    await start();
    const draft = fake.records.records.offers.find((o) => o.status === 'draft')!;

    const { data } = await page(`/opportunities/${draft.opportunityId}/offers`);

    expect(data.find((o) => o['id'] === draft.id)).not.toHaveProperty('sentDocument');
  });

  it('refuses a limit over 100, an unknown opportunity and a request without credentials', async () => {
    await start();
    const o = fake.state.opportunities[0]!;

    const statuses = [
      (await get(`/opportunities/${o.id}/notes?limit=101`)).status,
      (await get('/opportunities/nope/feedback')).status,
      (await get(`/opportunities/${o.id}/offers`, basicAuth('wrong'))).status,
    ];

    expect(statuses).toEqual([400, 404, 401]);
  });
});

describe('lever fake: record writes', () => {
  it('creates a note for a known perform_as user and answers its noteId', async () => {
    await start();
    const o = fake.state.opportunities[0]!;

    const response = await post(`/opportunities/${o.id}/notes?perform_as=${ACTOR}`, {
      value: 'Hi',
      secret: true,
    });
    const { data } = (await response.json()) as { data: { noteId: string } };

    expect(response.status).toBe(201);
    expect(fake.records.records.notes.find((n) => n.id === data.noteId)).toMatchObject({
      secret: true,
      user: ACTOR,
    });
  });

  it('refuses a note without perform_as or without a value, writing nothing', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    const before = fake.records.records.notes.length;

    const statuses = [
      (await post(`/opportunities/${o.id}/notes`, { value: 'Hi' })).status,
      (await post(`/opportunities/${o.id}/notes?perform_as=${ACTOR}`, { value: ' ' })).status,
    ];

    expect(statuses).toEqual([400, 400]);
    expect(fake.records.records.notes).toHaveLength(before);
  });

  it('adds tags once and removes them', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    o.tags = [];

    await post(`/opportunities/${o.id}/addTags`, { tags: ['A', 'B'] });
    await post(`/opportunities/${o.id}/addTags`, { tags: ['A'] });
    await post(`/opportunities/${o.id}/removeTags`, { tags: ['B'] });

    expect(o.tags).toEqual(['A']);
  });

  it('refuses tags that are not a non-empty list of strings', async () => {
    await start();
    const o = fake.state.opportunities[0]!;

    const statuses = [
      (await post(`/opportunities/${o.id}/addTags`, { tags: [] })).status,
      (await post(`/opportunities/${o.id}/addTags`, { tags: 'A' })).status,
    ];

    expect(statuses).toEqual([400, 400]);
  });
});

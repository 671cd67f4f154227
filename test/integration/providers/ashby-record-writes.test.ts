/** The Ashby client's note and tag write-back against its fake: creates, lookups, tag resolution and refusals. */
import { describe, expect, it } from 'vitest';
import { provider } from '../../../shared/providers/ashby/index.js';
import { type AshbyFake, startAshbyFake } from '../../fakes/ashby/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { caught, clientWith } from './client-harness.js';

let fake: AshbyFake;
const fakes = fakeLifecycle(startAshbyFake, { jobs: 2, candidates: 20 });
async function start() {
  fake = await fakes.start();
}
const writer = () =>
  clientWith(provider, {
    credentials: { apiKey: fake.apiKey },
    settings: { baseUrl: fake.url, requestTimeoutMs: 1_000 },
    clock: fake.clock,
  }).records!;
const candidateId = () => fake.state.candidates[0]!.id;
const bodies = (method: string) =>
  fake.requests
    .filter((r) => r.path === `/${method}`)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);
const tagTitles = (id: string) =>
  fake.records.tags.filter((t) => fake.records.profiles.get(id)?.tagIds.includes(t.id)).map((t) => t.title);

describe('ashby notes', () => {
  it('creates a plain-text note without notifications and returns its id', async () => {
    await start();

    const id = await writer().addNote!({
      candidateRemoteId: candidateId(),
      applicationRemoteId: null,
      body: 'Met at the fair.',
      visibility: 'organization',
      actingUserId: null,
    });

    expect(fake.records.notes.find((n) => n.id === id)).toMatchObject({
      content: 'Met at the fair.',
      isPrivate: false,
    });
    expect(bodies('candidate.createNote')[0]).toMatchObject({
      note: { type: 'text/plain', value: 'Met at the fair.' },
      sendNotifications: false,
    });
  });

  it('creates a private note as an Ashby private note', async () => {
    await start();

    const id = await writer().addNote!({
      candidateRemoteId: candidateId(),
      applicationRemoteId: null,
      body: 'Only for me.',
      visibility: 'private',
      actingUserId: null,
    });

    expect(fake.records.notes.find((n) => n.id === id)?.isPrivate).toBe(true);
  });

  it('finds the note a lost answer created, so a retry adopts it', async () => {
    await start();
    const w = writer();
    const input = { candidateRemoteId: candidateId(), applicationRemoteId: null, body: 'Retry me.' };
    const id = await w.addNote!({ ...input, visibility: 'organization', actingUserId: null });

    expect(await w.findNote!(input)).toBe(id);
  });

  it('finds nothing for a body the candidate has no note with', async () => {
    await start();

    expect(
      await writer().findNote!({
        candidateRemoteId: candidateId(),
        applicationRemoteId: null,
        body: 'Never written',
      }),
    ).toBeNull();
  });

  it('refuses a note on an unknown candidate and writes nothing', async () => {
    await start();
    const before = fake.records.notes.length;

    const error = await caught(
      writer().addNote!({
        candidateRemoteId: 'nobody',
        applicationRemoteId: null,
        body: 'x',
        visibility: 'organization',
        actingUserId: null,
      }),
    );

    expect(error.kind).toBe('refused');
    expect(fake.records.notes).toHaveLength(before);
  });
});

describe('ashby tags', () => {
  it('adds an existing tag by id, matching its name case-insensitively', async () => {
    await start();
    const id = candidateId();
    fake.records.profiles.get(id)!.tagIds = [];

    await writer().changeTags!({
      candidateRemoteId: id,
      applicationRemoteId: null,
      add: ['senior'],
      remove: [],
      actingUserId: null,
    });

    expect(tagTitles(id)).toEqual(['Senior']);
    expect(bodies('candidateTag.create')).toHaveLength(0);
  });

  it('creates a tag Ashby lacks before adding it', async () => {
    await start();
    const id = candidateId();

    await writer().changeTags!({
      candidateRemoteId: id,
      applicationRemoteId: null,
      add: ['Night shift'],
      remove: [],
      actingUserId: null,
    });

    expect(tagTitles(id)).toContain('Night shift');
    expect(bodies('candidateTag.create')).toEqual([{ title: 'Night shift' }]);
  });

  it('removes a tag and ignores one Ashby does not know', async () => {
    await start();
    const id = candidateId();
    const remote = fake.records.tags.find((t) => t.title === 'Remote')!;
    fake.records.profiles.get(id)!.tagIds = [remote.id];

    await writer().changeTags!({
      candidateRemoteId: id,
      applicationRemoteId: null,
      add: [],
      remove: ['Remote', 'Unknown'],
      actingUserId: null,
    });

    expect(tagTitles(id)).toEqual([]);
    expect(bodies('candidate.removeTag')).toHaveLength(1);
  });

  it('refuses tags on an unknown candidate', async () => {
    await start();

    const error = await caught(
      writer().changeTags!({
        candidateRemoteId: 'nobody',
        applicationRemoteId: null,
        add: ['Senior'],
        remove: [],
        actingUserId: null,
      }),
    );

    expect(error.kind).toBe('refused');
  });

  it('refuses a tag name over Ashby’s length limit without tagging', async () => {
    await start();
    const id = candidateId();
    const before = tagTitles(id);

    const error = await caught(
      writer().changeTags!({
        candidateRemoteId: id,
        applicationRemoteId: null,
        add: ['x'.repeat(300)],
        remove: [],
        actingUserId: null,
      }),
    );

    expect(error.kind).toBe('refused');
    expect(tagTitles(id)).toEqual(before);
  });
});

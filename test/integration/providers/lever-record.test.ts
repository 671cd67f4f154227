/**
 * Lever's full ATS record against its fake over loopback: archive reasons, and each opportunity's interviews,
 * feedback, offers and notes walked a few opportunities per page; incremental passes; interview webhooks; the
 * note and tag writes; errors on the per-opportunity lists.
 */
import { describe, expect, it } from 'vitest';
import type { RecordWriter } from '../../../shared/ports/provider.js';
import { provider } from '../../../shared/providers/lever/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type LeverFake, type LeverFakeOptions, startLeverFake } from '../../fakes/lever/index.js';
import type { LvOpportunity } from '../../fakes/lever/state.js';
import { LEVER_USERS } from '../../fakes/lever/submissions.js';
import { type ClientOverrides, caught, drain } from './client-harness.js';
import { leverClient } from './lever-client.js';

let fake: LeverFake;
const ACTOR = LEVER_USERS[0]!.id;
const HOUR = 3_600_000;

const fakes = fakeLifecycle(startLeverFake, { postings: 4, contacts: 50, rateLimit: false });
async function start(options: LeverFakeOptions = {}) {
  fake = await fakes.start(options);
}

const client = (overrides: ClientOverrides = {}) =>
  leverClient(fake, { requestTimeoutMs: 2_000, actingUserId: ACTOR }, overrides);
/** A note on the opportunity `o` (as its application), with the test's fields. */
const noteOn = (
  o: LvOpportunity,
  fields: Partial<Parameters<Required<RecordWriter>['addNote']>[0]> = {},
) => ({
  candidateRemoteId: o.contact,
  applicationRemoteId: o.id,
  body: 'x',
  visibility: 'organization' as const,
  actingUserId: null,
  ...fields,
});
const writer = (overrides: ClientOverrides = {}) => client(overrides).records as Required<RecordWriter>;
const seeded = () => fake.records.records;
const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
const remoteIds = (rows: { remoteId: string }[]) => rows.map((r) => r.remoteId).sort();
const opportunityPages = () =>
  fake.requests.filter((r) => r.path === '/v1/opportunities' && r.query['expand']?.length === 1);

describe('lever record: full passes', () => {
  it('reads every interview, walking 20 opportunities per page', async () => {
    await start();

    const { pages, records } = await drain(client(), 'interview');

    expect(remoteIds(records)).toEqual(ids(seeded().interviews));
    expect(pages).toHaveLength(Math.ceil(fake.state.opportunities.length / 20));
    expect(opportunityPages().every((r) => r.query['limit']![0] === '20')).toBe(true);
  });

  it('reads completed feedback forms as scorecards, with the interviewer named from the users', async () => {
    await start();

    const { records } = await drain(client(), 'scorecard');

    const completed = seeded().feedback.filter((f) => f.completedAt !== null);
    expect(remoteIds(records)).toEqual(ids(completed));
    const first = completed[0]!;
    const card = records.find((r) => r.remoteId === first.id)!;
    expect(card.interviewer.name).toBe(seeded().users.find((u) => u.id === first.user)!.name);
    expect(card.attributes).toHaveLength(2);
  });

  it('reads offers with their statuses mapped', async () => {
    await start({ contacts: 120 });

    const { records } = await drain(client(), 'offer');

    expect(remoteIds(records)).toEqual(ids(seeded().offers));
    const signed = seeded().offers.find((o) => o.status === 'signed')!;
    const approved = seeded().offers.find((o) => o.status === 'approved')!;
    expect(records.find((r) => r.remoteId === signed.id)!.status).toBe('accepted');
    expect(records.find((r) => r.remoteId === approved.id)!.status).toBe('draft');
  });

  it('reads notes with secret ones private', async () => {
    await start();

    const { records } = await drain(client(), 'note');

    expect(remoteIds(records)).toEqual(ids(seeded().notes));
    const secret = seeded()
      .notes.filter((n) => n.secret)
      .map((n) => n.id);
    expect(
      records
        .filter((r) => r.visibility === 'private')
        .map((r) => r.remoteId)
        .sort(),
    ).toEqual(secret.sort());
  });

  it('follows next on an opportunity with more than 100 notes', async () => {
    await start({ contacts: 5 });
    const o = fake.state.opportunities[0]!;
    for (let i = 0; i < 150; i += 1)
      seeded().notes.push({
        id: `bulk-${i}`,
        opportunityId: o.id,
        user: ACTOR,
        body: `note ${i}`,
        secret: false,
        createdAt: o.createdAt,
        deletedAt: null,
      });

    const { records } = await drain(client(), 'note');

    expect(records.filter((r) => r.remoteId.startsWith('bulk-'))).toHaveLength(150);
    const noteCalls = fake.requests.filter((r) => r.path === `/v1/opportunities/${o.id}/notes`);
    expect(noteCalls.map((r) => Boolean(r.query['offset']))).toEqual([false, true]);
  });

  it('reports a deleted note and a deleted feedback form as deleted, not as records', async () => {
    await start();
    const note = seeded().notes[0]!;
    const form = seeded().feedback[0]!;
    note.deletedAt = fake.clock.nowMs();
    form.deletedAt = fake.clock.nowMs();

    const notes = await drain(client(), 'note');
    const cards = await drain(client(), 'scorecard');

    expect([notes.deleted, cards.deleted]).toEqual([[note.id], [form.id]]);
    expect(notes.records.map((r) => r.remoteId)).not.toContain(note.id);
    expect(cards.records.map((r) => r.remoteId)).not.toContain(form.id);
  });

  it("files a general lead's notes on the candidate only and skips its interviews", async () => {
    await start();
    const lead = fake.state.opportunities.find((o) =>
      seeded().interviews.some((i) => i.opportunityId === o.id),
    )!;
    lead.postingId = null;
    seeded().notes.push({ ...seeded().notes[0]!, id: 'lead-note', opportunityId: lead.id });

    const notes = await drain(client(), 'note');
    const interviews = await drain(client(), 'interview');

    expect(notes.records.find((r) => r.remoteId === 'lead-note')).toMatchObject({
      candidateRemoteId: lead.contact,
      applicationRemoteId: null,
    });
    expect(interviews.records.filter((r) => r.applicationRemoteId === lead.id)).toEqual([]);
  });

  it('reads archive reasons as rejection reasons with their type', async () => {
    await start();

    const { records } = await drain(client(), 'rejection_reason');

    expect(records.map((r) => [r.name, r.category])).toEqual(
      fake.state.archiveReasons.map((r) => [r.text, r.type]),
    );
  });

  it('brings resume metadata with the candidates when candidateAttachments is on', async () => {
    await start({ contacts: 10 });

    const { records } = await drain(client({ settings: { candidateAttachments: true } }), 'candidate');

    const resumes = records.flatMap((c) => c.attachments ?? []);
    expect(remoteIds(resumes)).toEqual(ids(seeded().resumes));
    expect(resumes.every((a) => a.type === 'resume')).toBe(true);
  });
});

describe('lever record: incremental', () => {
  it('reads the record of opportunities updated since the cursor only', async () => {
    await start();
    const full = await drain(client(), 'note');
    fake.clock.advance(3 * HOUR);
    const o = fake.state.opportunities[7]!;
    const noteId = await writer().addNote(noteOn(o, { body: 'Moved to on-site.' }));

    const incremental = await drain(client(), 'note', 'incremental', full.cursor);

    expect(remoteIds(incremental.records)).toEqual(
      ids(seeded().notes.filter((n) => n.opportunityId === o.id)),
    );
    expect(incremental.records.map((r) => r.remoteId)).toContain(noteId);
  });
});

describe('lever record: interview webhooks', () => {
  const deliver = async (event: { event: string; data: unknown }) => {
    const receiver = await fakes.receiver();
    await fake.sendWebhook(receiver.url, event, { signingToken: 'interview-token' });
    const rawBody = receiver.received[0]!.rawBody;
    const verification = provider.webhookVerifier!.verify({
      rawBody,
      headers: {},
      secrets: ['interview-token'],
      now: fake.clock.now(),
    });
    return { verification, events: provider.webhookVerifier!.parse(rawBody) };
  };

  it('verifies an interviewDeleted delivery and maps it to a deleted interview', async () => {
    await start();
    const interview = seeded().interviews[0]!;
    const o = fake.state.opportunityById.get(interview.opportunityId)!;
    fake.records.deleteInterview(interview.id);

    const { verification, events } = await deliver(fake.events.interview('interviewDeleted', o, interview));

    expect(verification).toMatchObject({ ok: true, eventType: 'interviewDeleted' });
    expect(events).toEqual([
      {
        kind: 'record.deleted',
        objectType: 'interview',
        remoteId: interview.id,
        occurredAt: expect.any(String),
      },
    ]);
  });

  it('reads back the interview an interviewCreated names by id only, from its opportunity', async () => {
    await start();
    fake.clock.advance(2 * HOUR);
    const o = fake.state.opportunities[3]!;
    const interview = fake.records.scheduleInterview(o, fake.clock.nowMs() + 24 * HOUR);

    const { events } = await deliver(fake.events.interview('interviewCreated', o, interview));
    const read = await client().readRecords!('interview', o.id);

    expect(events).toEqual([
      expect.objectContaining({ kind: 'record.reread', parentRemoteId: o.id, remoteId: interview.id }),
    ]);
    const found = read.find((r) => r.record.remoteId === interview.id);
    expect(found).toMatchObject({ objectType: 'interview', record: { status: 'scheduled' } });
  });
});

describe('lever record: writes', () => {
  it('adds a private note as secret, acting as the integration user', async () => {
    await start();
    const o = fake.state.opportunities[0]!;

    const id = await writer().addNote(noteOn(o, { body: 'Compensation discussed.', visibility: 'private' }));

    const note = seeded().notes.find((n) => n.id === id)!;
    expect(note).toMatchObject({
      opportunityId: o.id,
      secret: true,
      user: ACTOR,
      body: 'Compensation discussed.',
    });
  });

  it('files a note naming only the candidate on its oldest opportunity', async () => {
    await start();
    const contact = fake.state.opportunities.find(
      (o) => fake.state.opportunities.filter((x) => x.contact === o.contact).length === 2,
    )!.contact;
    const oldest = fake.state.opportunities
      .filter((o) => o.contact === contact)
      .sort((a, b) => a.createdAt - b.createdAt)[0]!;

    const id = await writer().addNote(noteOn(oldest, { applicationRemoteId: null, body: 'Talked to them.' }));

    expect(seeded().notes.find((n) => n.id === id)!.opportunityId).toBe(oldest.id);
  });

  it('finds a note again by its body, and nothing for another body', async () => {
    await start();
    const o = fake.state.opportunities[1]!;
    const input = { candidateRemoteId: o.contact, applicationRemoteId: o.id };
    const id = await writer().addNote(noteOn(o, { body: 'Retry me.' }));

    expect(await writer().findNote({ ...input, body: ' Retry me. ' })).toBe(id);
    expect(await writer().findNote({ ...input, body: 'Never written.' })).toBeNull();
  });

  it('refuses a note without an acting user before calling Lever', async () => {
    await start();
    const o = fake.state.opportunities[0]!;
    const before = fake.requests.length;

    const error = await caught(writer({ settings: { actingUserId: null } }).addNote(noteOn(o)));

    expect(error.kind).toBe('refused');
    expect(fake.requests).toHaveLength(before);
  });

  it('reports an unknown perform_as user as refused', async () => {
    await start();
    const o = fake.state.opportunities[0]!;

    const error = await caught(writer().addNote(noteOn(o, { actingUserId: 'no-such-user' })));

    expect([error.kind, error.status]).toEqual(['refused', 400]);
  });

  it('adds and removes tags on every opportunity of the candidate, seen by the next candidate pass', async () => {
    await start();
    const contact = fake.state.opportunities[9]!.contact;
    const mine = fake.state.opportunities.filter((o) => o.contact === contact);
    for (const o of mine) o.tags = ['Old'];

    await writer().changeTags({
      candidateRemoteId: contact,
      applicationRemoteId: null,
      add: ['Priority'],
      remove: ['Old'],
      actingUserId: null,
    });
    const { records } = await drain(client(), 'candidate');

    expect(mine.map((o) => o.tags)).toEqual(mine.map(() => ['Priority']));
    expect(records.find((c) => c.remoteId === contact)!.tags).toEqual(['Priority']);
  });

  it('reports a tag Lever refuses as refused', async () => {
    await start();
    const o = fake.state.opportunities[0]!;

    const error = await caught(
      writer().changeTags({
        candidateRemoteId: o.contact,
        applicationRemoteId: o.id,
        add: ['x'.repeat(300)],
        remove: [],
        actingUserId: null,
      }),
    );

    expect([error.kind, error.status]).toEqual(['refused', 400]);
  });
});

describe('lever record: errors', () => {
  it('skips an opportunity deleted between the page and its sub-list', async () => {
    await start({ contacts: 10 });
    const gone = seeded().notes[0]!.opportunityId;
    fake.failNext(1, { kind: 'status', status: 404, body: { code: 'ResourceNotFound' } }, (r) =>
      r.path.endsWith(`${gone}/notes`),
    );

    const { records } = await drain(client(), 'note');

    expect(remoteIds(records)).toEqual(ids(seeded().notes.filter((n) => n.opportunityId !== gone)));
  });

  it('reports maintenance on a sub-list as transient', async () => {
    await start({ contacts: 10 });
    fake.failNext(1, { kind: 'status', status: 503 }, (r) => r.path.endsWith('/feedback'));

    const error = await caught(drain(client(), 'scorecard'));

    expect(error.kind).toBe('transient');
  });

  it('reports refused credentials as auth', async () => {
    await start({ contacts: 5 });

    const error = await caught(drain(client({ credentials: { apiKey: 'nope' } }), 'offer'));

    expect(error.kind).toBe('auth');
  });
});

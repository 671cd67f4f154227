/**
 * The Ashby client's full ATS record against its fake over loopback: archive reasons, interviews, feedback and
 * offers with their real pagination and sync tokens, candidate profiles, signed schedule and offer webhooks, and
 * note and tag write-back with Ashby's validation.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalInterview } from '../../../shared/domain/canonical.js';
import { provider } from '../../../shared/providers/ashby/index.js';
import { type AshbyFake, type AshbyFakeOptions, startAshbyFake } from '../../fakes/ashby/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type ClientOverrides, caught, clientWith, drain, followUpError } from './client-harness.js';

let fake: AshbyFake;
const fakes = fakeLifecycle(startAshbyFake, { jobs: 3, candidates: 60 });
async function start(options: AshbyFakeOptions = {}) {
  fake = await fakes.start(options);
}

const client = (overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url, requestTimeoutMs: 1_000 },
      clock: fake.clock,
    },
    overrides,
  );
const calls = (method: string) => fake.requests.filter((r) => r.path === `/${method}`);
const timedEvents = () => fake.records.schedules.flatMap((s) => s.events);

describe('ashby record lists', () => {
  it('lists the capabilities objects after job, candidate and application, without note', () => {
    expect(provider.capabilities.objects).toEqual([
      'job',
      'candidate',
      'application',
      'rejection_reason',
      'interview',
      'scorecard',
      'offer',
    ]);
  });

  it('reads active archive reasons and reports archived ones deleted', async () => {
    await start();

    const { records, deleted } = await drain(client(), 'rejection_reason');

    expect(records.map((r) => r.name).sort()).toEqual(['Not a fit', 'Withdrew']);
    expect(deleted).toHaveLength(1);
  });

  it('reads every scheduled interview event over several pages, with named interviewers', async () => {
    await start({ candidates: 250 });

    const { pages, records } = await drain(client(), 'interview', 'full', null, 40);

    expect(pages.length).toBeGreaterThan(1);
    expect(records.map((r) => r.remoteId).sort()).toEqual(
      timedEvents()
        .map((e) => e.id)
        .sort(),
    );
    expect(
      records.every((r: CanonicalInterview) => r.interviewers[0]?.email?.endsWith('@employer.example')),
    ).toBe(true);
  });

  it('reads the user directory once per client', async () => {
    await start({ candidates: 250 });

    await drain(client(), 'interview', 'full', null, 40);

    expect(calls('user.list')).toHaveLength(1);
  });

  it('leaves interviewers unnamed when the key may not read users', async () => {
    const all = ['candidatesRead', 'jobsRead', 'interviewsRead'] as const;
    await start({ apiKeys: { limited: [...all] } });

    const { records } = await drain(client({ credentials: { apiKey: 'limited' } }), 'interview');

    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.interviewers.length === 0)).toBe(true);
  });

  it('returns only schedules changed since the sync token on an incremental pass', async () => {
    await start();
    const c = client();
    const full = await drain(c, 'interview');
    fake.clock.advance(60_000);
    const schedule = fake.records.schedules[0]!;
    schedule.status = 'Cancelled';
    fake.saveSchedule(schedule, false);

    const incremental = await drain(c, 'interview', 'incremental', full.cursor);

    expect(full.cursor).toEqual({ syncToken: expect.any(String) });
    expect(incremental.records.map((r) => r.remoteId).sort()).toEqual(
      schedule.events.map((e) => e.id).sort(),
    );
    expect(incremental.records.every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('reads submitted feedback as scorecards with a sync token', async () => {
    await start({ candidates: 120 });

    const { records, cursor } = await drain(client(), 'scorecard', 'full', null, 25);

    expect(records).toHaveLength(fake.records.feedback.length);
    expect(new Set(records.map((r) => r.recommendation)).size).toBeGreaterThan(2);
    expect(cursor).toEqual({ syncToken: expect.any(String) });
  });

  it('maps an expired feedback sync token to sync_token_invalid', async () => {
    await start();
    const c = client();
    const full = await drain(c, 'scorecard');
    fake.expireSyncTokens();

    const error = await caught(
      c.listPage('scorecard', { mode: 'incremental', cursor: full.cursor, pageToken: null }),
    );

    expect(error.kind).toBe('sync_token_invalid');
  });

  it('maps an expired interview page cursor to cursor_expired', async () => {
    await start({ candidates: 200, cursorTtlSeconds: 60 });

    const error = await followUpError(client(), 'interview', () => fake.clock.advance(120_000));

    expect(error.kind).toBe('cursor_expired');
  });

  it('reads offers in full on every pass: offer.list takes no sync token', async () => {
    await start({ candidates: 200 });
    const c = client();
    const full = await drain(c, 'offer', 'full', null, 10);

    const again = await drain(c, 'offer', 'incremental', full.cursor, 10);

    expect(again.records).toHaveLength(fake.records.offers.length);
    expect(calls('offer.list').every((r) => !r.body.includes('syncToken'))).toBe(true);
  });

  it('reports a key without the offers permission as an auth problem naming the endpoint', async () => {
    await start({ apiKeys: { limited: ['candidatesRead', 'jobsRead'] } });

    const error = await caught(drain(client({ credentials: { apiKey: 'limited' } }), 'offer'));

    expect(error.kind).toBe('auth');
    expect(error.message).toContain('missing_endpoint_permission');
  });

  it('refuses to list notes unless candidateNotes is on: Ashby lists them one candidate at a time', async () => {
    await start();

    const error = await caught(drain(client(), 'note'));

    expect(error.kind).toBe('permanent');
  });

  it('lists notes with candidateNotes, walking a page of candidates at a time', async () => {
    await start();
    const notes = client({ settings: { candidateNotes: true, noteCandidatesPerPage: 10 } });

    const { pages, records } = await drain(notes, 'note');

    expect(notes.capabilities.objects).toContain('note');
    expect(pages).toHaveLength(Math.ceil(fake.state.candidates.length / 10));
    expect(records).toHaveLength(fake.records.notes.length);
  });

  it('brings the candidate profile: tags, company and attachment metadata', async () => {
    await start();
    const profiled = [...fake.records.profiles.entries()].find(([, p]) => p.tagIds.length && p.resume)!;

    const { records } = await drain(client(), 'candidate');
    const candidate = records.find((r) => r.remoteId === profiled[0])!;

    expect(candidate.tags).toHaveLength(1);
    expect(candidate.attachments).toContainEqual(expect.objectContaining({ type: 'resume' }));
    expect(JSON.stringify(candidate)).not.toContain(profiled[1].resume!.handle);
  });
});

describe('ashby record webhooks through the fake sender', () => {
  it('delivers signed offer create, update and delete events the verifier maps to records', async () => {
    await start();
    const receiver = await fakes.receiver();
    for (const action of ['offerCreate', 'offerUpdate', 'offerDelete'])
      fake.subscribeWebhook(receiver.url, action, 'whsec-1');
    const offer = { ...fake.records.offers[0]!, id: 'offer-new' };
    fake.saveOffer(offer, 'create');
    offer.offerStatus = 'CandidateAccepted';
    offer.acceptanceStatus = 'Accepted';
    offer.decidedAt = fake.clock.nowMs();
    fake.saveOffer(offer, 'update');
    fake.saveOffer(offer, 'delete');

    await fake.flushWebhooks();
    const verifier = provider.webhookVerifier!;
    const kinds = receiver.received.map(({ rawBody, headers }) => {
      const verdict = verifier.verify({
        rawBody,
        headers: { 'ashby-signature': headers['ashby-signature'] as string },
        secrets: ['whsec-1'],
        now: fake.clock.now(),
      });
      expect(verdict.ok).toBe(true);
      const [event] = verifier.parse(rawBody);
      return event!.kind === 'record.upserted'
        ? `${event!.kind}:${event!.object.record.remoteId}`
        : event!.kind;
    });

    expect(kinds).toEqual(['record.upserted:offer-new', 'record.upserted:offer-new', 'record.deleted']);
  });

  it('delivers interviewScheduleCreate as one upserted interview per event', async () => {
    await start();
    const receiver = await fakes.receiver();
    fake.subscribeWebhook(receiver.url, 'interviewScheduleCreate', 'whsec-1');
    const template = fake.records.schedules[0]!;
    fake.saveSchedule({ ...template, id: 'sched-new', events: template.events.map((e) => ({ ...e })) }, true);

    await fake.flushWebhooks();
    const events = provider.webhookVerifier!.parse(receiver.received[0]!.rawBody);

    expect(events.map((e) => e.kind)).toEqual(template.events.map(() => 'record.upserted'));
  });
});

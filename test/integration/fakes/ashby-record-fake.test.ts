/** The Ashby fake's full ATS record endpoints (docs/providers.md §4.6, §9 "Ashby"), with plain fetch. */
import { describe, expect, it } from 'vitest';
import { type AshbyFake, startAshbyFake } from '../../fakes/ashby/index.js';
import { basicAuth, fakeLifecycle } from '../../fakes/common/lifecycle.js';

let fake: AshbyFake;
const fakes = fakeLifecycle(startAshbyFake, { jobs: 2, candidates: 80 });
async function start() {
  fake = await fakes.start();
}
/** Ashby's envelope, as far as these tests read it. */
interface Envelope {
  success: boolean;
  results?: Record<string, unknown>[];
  syncToken?: string;
  errorInfo?: { code: string };
}
async function rpc(method: string, body: unknown = {}): Promise<Envelope> {
  const response = await fetch(`${fake.url}/${method}`, {
    method: 'POST',
    headers: { authorization: basicAuth(fake.apiKey), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Envelope;
}
const candidateId = () => fake.state.candidates[0]!.id;

describe('ashby fake: record lists', () => {
  it('seeds a realistic share of interviews, feedback, offers, notes and tags', async () => {
    await start();
    const applications = fake.state.applications.length;

    expect(fake.records.schedules.length).toBeGreaterThan(applications * 0.3);
    expect(fake.records.schedules.length).toBeLessThan(applications * 0.7);
    expect(fake.records.feedback.length).toBeGreaterThan(0);
    expect(fake.records.offers.length).toBeGreaterThan(0);
    expect(fake.records.offers.length).toBeLessThan(fake.records.schedules.length);
    expect(fake.records.notes.length).toBeGreaterThan(0);
  });

  it('filters interview schedules by application', async () => {
    await start();
    const { applicationId } = fake.records.schedules[0]!;

    const body = await rpc('interviewSchedule.list', { applicationId });

    expect(body.results!.every((s) => s['applicationId'] === applicationId)).toBe(true);
  });

  it('hands out a sync token on the last feedback page, but none for offers', async () => {
    await start();

    const feedback = await rpc('applicationFeedback.list', { limit: 1000 });
    const offers = await rpc('offer.list', { limit: 1000 });

    expect(feedback.syncToken).toEqual(expect.any(String));
    expect(offers.syncToken).toBeUndefined();
  });

  it('refuses a sync token on offer.list', async () => {
    await start();

    const body = await rpc('offer.list', { syncToken: 'anything' });

    expect(body).toMatchObject({ success: false, errorInfo: { code: 'invalid_input' } });
  });

  it('requires candidateId on candidate.listNotes', async () => {
    await start();

    const body = await rpc('candidate.listNotes', {});

    expect(body).toMatchObject({ success: false, errorInfo: { code: 'invalid_input' } });
  });

  it('lists archived archive reasons only with includeArchived', async () => {
    await start();

    const active = await rpc('archiveReason.list');
    const all = await rpc('archiveReason.list', { includeArchived: true });

    expect(all.results!.length).toBe(active.results!.length + 1);
  });

  it('omits the location of an event without one rather than sending null', async () => {
    await start();
    const event = fake.records.schedules.flatMap((s) => s.events).find((e) => e.location === null)!;

    const body = await rpc('interviewSchedule.list', { limit: 1000 });
    const rendered = body.results!.flatMap((s) => s['interviewEvents'] as Record<string, unknown>[]);

    expect(rendered.find((e) => e['id'] === event.id)).not.toHaveProperty('location');
  });
});

describe('ashby fake: record writes', () => {
  it.each([
    [{ note: '' }, 'invalid_input'],
    [{ note: { type: 'text/markdown', value: 'x' } }, 'invalid_input'],
    [{ note: 'x', isPrivate: 'yes' }, 'invalid_input'],
  ])('refuses createNote with %j and writes nothing', async (extra, code) => {
    await start();
    const before = fake.records.notes.length;

    const body = await rpc('candidate.createNote', { candidateId: candidateId(), ...extra });

    expect(body).toMatchObject({ success: false, errorInfo: { code } });
    expect(fake.records.notes).toHaveLength(before);
  });

  it('takes a plain string note', async () => {
    await start();

    const body = await rpc('candidate.createNote', { candidateId: candidateId(), note: 'Plain.' });

    expect(body).toMatchObject({ success: true, results: { content: 'Plain.', isPrivate: false } });
  });

  it('refuses an unknown tag id on addTag', async () => {
    await start();

    const body = await rpc('candidate.addTag', { candidateId: candidateId(), tagId: 'nope' });

    expect(body).toMatchObject({ success: false, errorInfo: { code: 'tag_not_found' } });
  });

  it('bumps the candidate when its tags change, so an incremental pass sees it', async () => {
    await start();
    const tag = fake.records.tags.find((t) => !t.isArchived)!;
    fake.records.profiles.get(candidateId())!.tagIds = [];
    fake.clock.advance(60_000);

    await rpc('candidate.addTag', { candidateId: candidateId(), tagId: tag.id });

    expect(fake.state.candidates[0]!.updatedAt).toBe(fake.clock.nowMs());
  });
});

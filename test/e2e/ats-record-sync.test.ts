/**
 * Issue #15, done when: a full Greenhouse sync through the local runtime (`POST /integrations/{id}/sync`, then
 * polling the runs like a client) brings the recruiting record, and every object is readable through the new
 * routes with what the fake holds: interviews, submitted scorecards, offers, the notes an API key may read
 * (synced private notes have no author key), the candidate's tags and attachments, and the rejection reasons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { type GreenhouseFake, startGreenhouseFake } from '../fakes/greenhouse/index.js';
import type { apiClient } from '../support/local-runtime.js';
import { fileRuntime, type TestRuntime } from '../support/local-runtime.js';
import { syncedOrganization } from '../support/synced-organization.js';

type Client = ReturnType<typeof apiClient>;
let t: TestRuntime;
let owner: Sql;
let fake: GreenhouseFake;
let ats: Client;
let admin: Client;
let run: { status: string; recordsFailed: number };

fileRuntime((runtime, sql) => {
  t = runtime;
  owner = sql;
});

beforeAll(async () => {
  fake = await startGreenhouseFake({ jobs: 3, candidates: 30, clock: createControllableClock(Date.now()) });
  const synced = await syncedOrganization(t, owner, {
    provider: 'greenhouse',
    credentials: { clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret },
    settings: { baseUrl: fake.url, authUrl: fake.authUrl },
  });
  ({ ats, admin, run } = synced);
}, 90_000);

afterAll(async () => {
  await fake?.stop();
});

/** The hub's application synced from this remote one, through the candidate found by email. */
async function hubApplication(remoteApplicationId: number): Promise<string> {
  const remote = fake.state.applicationById.get(remoteApplicationId)!;
  const candidate = fake.state.candidates.find((c) => c.id === remote.candidateId)!;
  const found = await ats('GET', `/candidates?email=${encodeURIComponent(candidate.emails[0]!)}`);
  const hubCandidate = await ats('GET', `/candidates/${found.body.items[0].id}`);
  const jobRef = await owner<{ local_id: string }[]>`
    select local_id from external_refs where object_type = 'job' and remote_id = ${String(remote.jobId)}
      and organization_id = (select organization_id from candidates where id = ${found.body.items[0].id})`;
  const app = hubCandidate.body.applications.find((a: { jobId: string }) => a.jobId === jobRef[0]!.local_id);
  return app.id as string;
}

describe('a full Greenhouse sync brings the recruiting record', () => {
  it('ends succeeded', () => {
    expect(run).toMatchObject({ status: 'succeeded', recordsFailed: 0 });
  });

  it('shows an application its interviews, with their interviewers', async () => {
    const interview = fake.records.data.interviews.find((i) => i.interviewerIds.length > 0)!;
    const expected = fake.records.data.interviews.filter((i) => i.applicationId === interview.applicationId);

    const listed = await ats(
      'GET',
      `/applications/${await hubApplication(interview.applicationId)}/interviews`,
    );

    expect(listed.body.items).toHaveLength(expected.length);
    const names = listed.body.items.flatMap((i: { interviewers: { name: string }[] }) =>
      i.interviewers.map((p) => p.name),
    );
    const user = fake.records.data.users.find((u) => u.id === interview.interviewerIds[0])!;
    expect(names).toContain(`${user.firstName} ${user.lastName}`);
    expect(listed.body.items.every((i: { source: string }) => i.source === 'greenhouse')).toBe(true);
  });

  it('shows an application its submitted scorecards only', async () => {
    const card = fake.records.data.scorecards.find((s) => s.status === 'complete')!;
    const submitted = fake.records.data.scorecards.filter(
      (s) => s.applicationId === card.applicationId && s.status === 'complete',
    );

    const listed = await ats('GET', `/applications/${await hubApplication(card.applicationId)}/scorecards`);

    expect(listed.body.items).toHaveLength(submitted.length);
    expect(listed.body.items[0].attributes.length).toBeGreaterThan(0);
  });

  it('shows an application its offers', async () => {
    const offer = fake.records.data.offers[0]!;
    const expected = fake.records.data.offers.filter((o) => o.applicationId === offer.applicationId);

    const listed = await ats('GET', `/applications/${await hubApplication(offer.applicationId)}/offers`);

    expect(listed.body.items).toHaveLength(expected.length);
  });

  it('shows an application the readable notes of its candidate, never a synced private one', async () => {
    const note = fake.records.data.notes.find((n) => n.applicationId !== null)!;
    const remote = fake.state.applicationById.get(note.applicationId!)!;
    const readable = fake.records.data.notes.filter(
      (n) =>
        n.candidateId === remote.candidateId &&
        (n.applicationId === null || n.applicationId === remote.id) &&
        n.visibility === 'public',
    );

    const listed = await admin('GET', `/applications/${await hubApplication(remote.id)}/notes`);

    expect(listed.body.items).toHaveLength(readable.length);
  });

  it('shows a candidate their tags and attachments', async () => {
    const applied = fake.records.data.appliedTags[0]!;
    const candidate = fake.state.candidates.find((c) => c.id === applied.candidateId)!;
    const tagNames = fake.records.data.appliedTags
      .filter((a) => a.candidateId === candidate.id)
      .map((a) => fake.records.data.tags.find((tag) => tag.id === a.tagId)!.name);

    const found = await ats('GET', `/candidates?email=${encodeURIComponent(candidate.emails[0]!)}`);
    const shown = await ats('GET', `/candidates/${found.body.items[0].id}`);

    expect([...shown.body.tags].sort()).toEqual([...tagNames].sort());
    const files = fake.records.data.attachments.filter((a) => a.candidateId === candidate.id);
    expect(shown.body.attachments).toHaveLength(files.length);
  });

  it('lists the rejection reasons of the account', async () => {
    const listed = await ats('GET', '/rejection-reasons?limit=200');

    const synced = listed.body.items.filter((r: { source: string }) => r.source === 'greenhouse');
    expect(synced.length).toBeGreaterThan(0);
  });
});

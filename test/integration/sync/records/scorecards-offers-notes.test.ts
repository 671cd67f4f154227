import { describe, expect, it } from 'vitest';
import {
  applyPage,
  remoteApplication,
  remoteCandidate,
  remoteInterview,
  remoteNote,
  remoteOffer,
  remoteReason,
  remoteScorecard,
  seedSyncedApplication,
  syncScope,
  T0,
  T2,
} from '../../../support/ats-records.js';
import { emptiedDatabase, seedIntegration } from '../harness.js';

const db = emptiedDatabase();

async function world() {
  const ids = await seedIntegration(db.owner, 'greenhouse', {});
  const scope = syncScope(ids);
  await seedSyncedApplication(db.app, scope);
  return scope;
}

const events = (type: string) =>
  db.owner<{ payload: Record<string, unknown> }[]>`select payload from outbox where event_type = ${type}`;

const localOf = async (objectType: string, remoteId: string) => {
  const [row] = await db.owner<{ local_id: string }[]>`
    select local_id from external_refs where object_type = ${objectType} and remote_id = ${remoteId}`;
  return row?.local_id;
};

describe('sync of scorecards', () => {
  it('stores a scorecard on its application and interview and announces scorecard.submitted once', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'interview', [remoteInterview()]);

    await applyPage(db.app, scope, 'scorecard', [remoteScorecard()]);
    await applyPage(db.app, scope, 'scorecard', [remoteScorecard()]);

    const [row] = await db.owner<{ id: string; interview_id: string; attributes: unknown }[]>`
      select id, interview_id, attributes from scorecards`;
    expect(row?.interview_id).toBe(await localOf('interview', 'int-1'));
    expect(row?.attributes).toEqual([{ name: 'Coding', rating: 'yes' }]);
    const submitted = await events('scorecard.submitted');
    expect(submitted.map((e) => e.payload['scorecardId'])).toEqual([row?.id]);
  });

  it('keeps a scorecard whose interview is not synced on its application alone', async () => {
    const scope = await world();

    const outcome = await applyPage(db.app, scope, 'scorecard', [remoteScorecard()]);

    expect(outcome.created).toBe(1);
    const [row] = await db.owner<{ interview_id: string | null }[]>`select interview_id from scorecards`;
    expect(row?.interview_id).toBeNull();
  });

  it('logs a scorecard of an application not synced as failed', async () => {
    const scope = await world();

    const outcome = await applyPage(db.app, scope, 'scorecard', [
      remoteScorecard({ applicationRemoteId: 'nope' }),
    ]);

    expect(outcome.log).toEqual([
      { objectType: 'scorecard', remoteId: 'sc-1', action: 'failed', message: 'application not synced' },
    ]);
  });
});

describe('sync of offers', () => {
  it('announces offer.created when an offer is first stored, and nothing on an unchanged re-sync', async () => {
    const scope = await world();

    await applyPage(db.app, scope, 'offer', [remoteOffer()]);
    const again = await applyPage(db.app, scope, 'offer', [remoteOffer()]);

    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect((await events('offer.created')).map((e) => e.payload['status'])).toEqual(['sent']);
    expect(await events('offer.accepted')).toHaveLength(0);
  });

  it('announces offer.accepted once when the status becomes accepted', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'offer', [remoteOffer()]);
    const accepted = remoteOffer({ status: 'accepted', resolvedAt: T2, remoteUpdatedAt: T2 });

    await applyPage(db.app, scope, 'offer', [accepted]);
    await applyPage(db.app, scope, 'offer', [accepted]);

    const offerId = await localOf('offer', 'off-1');
    expect((await events('offer.accepted')).map((e) => e.payload['offerId'])).toEqual([offerId]);
  });

  it('ignores an older state of an offer', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'offer', [remoteOffer({ status: 'accepted', remoteUpdatedAt: T2 })]);

    await applyPage(db.app, scope, 'offer', [remoteOffer({ status: 'sent', remoteUpdatedAt: T0 })]);

    const [row] = await db.owner<{ status: string }[]>`select status from offers`;
    expect(row?.status).toBe('accepted');
  });
});

describe('sync of notes', () => {
  it('stores a note on its candidate, with the provider user as author', async () => {
    const scope = await world();

    const outcome = await applyPage(db.app, scope, 'note', [remoteNote()]);

    expect(outcome.created).toBe(1);
    const [row] = await db.owner<
      { candidate_id: string; author: string; visibility: string; source: string }[]
    >`
      select candidate_id, author, visibility, source from notes`;
    expect(row).toEqual({
      candidate_id: await localOf('candidate', 'cand-1'),
      author: 'Alan Turing',
      visibility: 'organization',
      source: 'greenhouse',
    });
  });

  it('logs a note of a candidate not synced as failed', async () => {
    const scope = await world();

    const outcome = await applyPage(db.app, scope, 'note', [remoteNote({ candidateRemoteId: 'ghost' })]);

    expect(outcome.log[0]).toMatchObject({ action: 'failed', message: 'candidate not synced' });
  });

  it('refuses a note whose application belongs to another candidate', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [
      remoteCandidate({ remoteId: 'cand-2', email: 'b@example.com' }),
    ]);

    const outcome = await applyPage(db.app, scope, 'note', [
      remoteNote({ candidateRemoteId: 'cand-2', applicationRemoteId: 'app-1' }),
    ]);

    expect(outcome.log[0]).toMatchObject({
      action: 'failed',
      message: 'application belongs to another candidate',
    });
  });

  it('stores a note on one application of its candidate', async () => {
    const scope = await world();

    await applyPage(db.app, scope, 'note', [remoteNote({ applicationRemoteId: 'app-1' })]);

    const [row] = await db.owner<{ application_id: string }[]>`select application_id from notes`;
    expect(row?.application_id).toBe(await localOf('application', 'app-1'));
  });
});

describe('sync of rejection reasons', () => {
  it('adopts the hub reason of the same name instead of duplicating it', async () => {
    const scope = await world();
    await db.owner`insert into rejection_reasons (organization_id, name) values (${scope.organizationId}, 'lacks experience')`;

    const outcome = await applyPage(db.app, scope, 'rejection_reason', [remoteReason()]);

    expect(outcome).toMatchObject({ created: 0, updated: 1 });
    const rows = await db.owner<{ name: string; category: string; source: string }[]>`
      select name, category, source from rejection_reasons`;
    expect(rows).toEqual([{ name: 'Lacks experience', category: 'We rejected them', source: 'hub' }]);
  });

  it('creates an unknown reason with the provider as source, and rewrites nothing when it is synced again', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'rejection_reason', [remoteReason()]);

    const again = await applyPage(db.app, scope, 'rejection_reason', [remoteReason()]);

    expect(again).toMatchObject({ created: 0, updated: 0 });
    const [row] = await db.owner<{ source: string }[]>`select source from rejection_reasons`;
    expect(row?.source).toBe('greenhouse');
  });
});

describe('a page of applications and records together', () => {
  it('stores what it can and logs each record whose parent is missing', async () => {
    const scope = await world();

    const outcome = await applyPage(db.app, scope, 'offer', [
      remoteOffer(),
      remoteOffer({
        remoteId: 'off-2',
        applicationRemoteId: remoteApplication({ remoteId: 'missing' }).remoteId,
      }),
    ]);

    expect(outcome).toMatchObject({ created: 1, failed: 1 });
  });
});

describe('rejection reasons of one name', () => {
  it('adopts the hub reason once and stores the second remote reason as its own row', async () => {
    const scope = await world();
    await db.owner`insert into rejection_reasons (organization_id, name) values (${scope.organizationId}, 'Timing')`;

    const outcome = await applyPage(db.app, scope, 'rejection_reason', [
      remoteReason({ remoteId: 'rr-a', name: 'Timing' }),
      remoteReason({ remoteId: 'rr-b', name: 'timing' }),
    ]);

    expect(outcome).toMatchObject({ created: 1, updated: 1, failed: 0 });
    const [links] = await db.owner<{ n: number }[]>`
      select count(distinct local_id)::int as n from external_refs where object_type = 'rejection_reason'`;
    expect(links?.n).toBe(2);
  });
});

describe('a hub note the provider reports back', () => {
  it('stays as the hub user wrote it', async () => {
    const scope = await world();
    const candidateId = await localOf('candidate', 'cand-1');
    const [note] = await db.owner<{ id: string }[]>`
      insert into notes (organization_id, candidate_id, body, visibility, source, author)
      values (${scope.organizationId}, ${candidateId!}, 'Hub words', 'shared', 'hub', 'Recruiter key') returning id`;
    await db.owner`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
      values (${scope.organizationId}, ${scope.integrationId}, 'note', ${note!.id}, 'note-1')`;

    const outcome = await applyPage(db.app, scope, 'note', [remoteNote({ body: 'Hub words (via API)' })]);

    expect(outcome).toMatchObject({ created: 0, updated: 0 });
    const [row] = await db.owner<{ body: string; visibility: string }[]>`select body, visibility from notes`;
    expect(row).toEqual({ body: 'Hub words', visibility: 'shared' });
  });
});

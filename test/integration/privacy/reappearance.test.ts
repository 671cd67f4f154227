/**
 * Nothing re-identifies an erased person (docs/privacy.md, "After an erasure"): a sync page that brings them back by
 * their remote id or by one of their emails is flagged, not applied; a portal submission is accepted and flagged.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { submitApplication } from '../../../functions/portal-submission/use-case.js';
import { withTenant } from '../../../shared/db/tenant.js';
import type { CanonicalCandidate, CanonicalNote } from '../../../shared/domain/canonical.js';
import { runErasure } from '../../../shared/privacy/erasure-run.js';
import { ERASED_SKIP_MESSAGE, flagPortalReappearance } from '../../../shared/privacy/reappearance.js';
import { applyRecords } from '../../../shared/sync/apply-records.js';
import { seedPartyWorld } from '../../support/parties.js';
import { type Person, privacyWorld } from '../../support/privacy-world.js';

const { w, call, workerDeps, seedPerson } = privacyWorld();

async function erasedPerson(): Promise<{ person: Person; erasureId: string }> {
  const person = await seedPerson();
  const requested = await call('POST /candidates/{id}/erase', w.graph.keys.admin, {
    params: { id: person.candidateId },
    body: { reason: 'request #7', propagate: false },
  });
  const erasureId = requested.body.erasureId as string;
  await runErasure(workerDeps(), { organizationId: w.graph.organizationId, erasureId });
  return { person, erasureId };
}

const remote = (
  remoteId: string,
  email: string | null,
  extra: Partial<CanonicalCandidate> = {},
): CanonicalCandidate => ({
  remoteId,
  firstName: 'Zebulon',
  lastName: 'Again',
  email,
  phone: null,
  remoteUpdatedAt: '2026-07-01T00:00:00Z',
  ...extra,
});

function applyPage<T extends 'candidate' | 'note'>(objectType: T, records: never[]) {
  return withTenant(w.db.app, w.graph.organizationId, 'worker', (tx) =>
    applyRecords(
      tx,
      {
        organizationId: w.graph.organizationId,
        integrationId: w.graph.integrationId,
        provider: 'greenhouse',
        syncRunId: null,
        now: w.clock.now(),
      },
      objectType,
      records,
    ),
  );
}

const candidatesWithEmail = (email: string) =>
  w.db.owner`select id from candidates where lower(email) = lower(${email})`;

describe('a sync page naming an erased person', () => {
  it('does not restore them by their remote id', async () => {
    const { person } = await erasedPerson();

    await applyPage('candidate', [remote(person.remoteCandidateId, person.markers.email)] as never[]);

    const [row] = await w.db.owner`select first_name, email from candidates where id = ${person.candidateId}`;
    expect(row).toEqual({ first_name: 'Erased', email: `erased-${person.candidateId}@erased.invalid` });
  });

  it('does not create them again under a new remote id with their email', async () => {
    const { person } = await erasedPerson();

    await applyPage('candidate', [
      remote(`new-${randomUUID()}`, person.markers.email.toUpperCase()),
    ] as never[]);

    expect(await candidatesWithEmail(person.markers.email)).toHaveLength(0);
  });

  it('recognises them by a secondary email', async () => {
    const { person } = await erasedPerson();
    const record = remote(`new-${randomUUID()}`, 'fresh@example.net', {
      emails: [{ value: person.markers.otherEmail, type: 'work' }],
    });

    const outcome = await applyPage('candidate', [record] as never[]);

    expect(outcome.log).toEqual([
      { objectType: 'candidate', remoteId: record.remoteId, action: 'skipped', message: ERASED_SKIP_MESSAGE },
    ]);
  });

  it('still applies the other candidates of the page', async () => {
    const { person } = await erasedPerson();
    const fresh = `fresh-${randomUUID()}@example.net`;

    await applyPage('candidate', [
      remote(person.remoteCandidateId, person.markers.email),
      remote(`new-${randomUUID()}`, fresh),
    ] as never[]);

    expect(await candidatesWithEmail(fresh)).toHaveLength(1);
  });

  it('counts the reappearance on the erasure', async () => {
    const { person, erasureId } = await erasedPerson();

    await applyPage('candidate', [remote(person.remoteCandidateId, null)] as never[]);

    const view = await call('GET /erasures/{id}', w.graph.keys.admin, { params: { id: erasureId } });
    expect(view.body.reappearances).toBe(1);
  });

  it('does not bring back a note about them', async () => {
    const { person } = await erasedPerson();
    const note: CanonicalNote = {
      remoteId: `note-${randomUUID()}`,
      candidateRemoteId: person.remoteCandidateId,
      applicationRemoteId: null,
      body: `${person.markers.firstName} called back`,
      author: 'Recruiter',
      visibility: 'organization',
      createdAt: '2026-07-01T00:00:00Z',
      remoteUpdatedAt: '2026-07-01T00:00:00Z',
    };

    await applyPage('note', [note] as never[]);

    const notes = await w.db.owner`select 1 from notes where body like ${`%${person.markers.firstName}%`}`;
    expect(notes).toHaveLength(0);
  });
});

describe('a portal submission by an erased email', () => {
  it('is flagged on the erasure', async () => {
    const { person, erasureId } = await erasedPerson();

    const flagged = await withTenant(w.db.app, w.graph.organizationId, 'portal', (tx) =>
      flagPortalReappearance(tx, ` ${person.markers.email.toUpperCase()} `),
    );

    expect(flagged).toBe(erasureId);
  });

  it('is accepted: the person gets a new candidate, the erased one keeps its placeholders', async () => {
    const { person, erasureId } = await erasedPerson();

    const submitted = await submitApplication(
      { sql: w.db.app, objectStore: w.store, clock: w.clock, uploadTtlSeconds: 300 },
      { organizationId: w.graph.organizationId, role: 'portal', keyId: randomUUID() },
      {
        jobId: w.graph.jobId,
        candidate: { firstName: 'Zebulon', lastName: 'Back', email: person.markers.email },
      } as never,
      undefined,
    );

    expect(submitted.status).toBe(201);
    expect(await candidatesWithEmail(person.markers.email)).toHaveLength(1);
    const view = await call('GET /erasures/{id}', w.graph.keys.admin, { params: { id: erasureId } });
    expect(view.body.reappearances).toBe(1);
  });

  it('is flagged on the employer’s erasure when an agency submits it', async () => {
    const parties = await seedPartyWorld(w.db.owner, w.db.app, `R${randomUUID().slice(0, 8)}`);
    const email = `erased-${randomUUID()}@example.com`;
    await w.db.owner`insert into organization_privacy (organization_id) values (${parties.employer.id})`;
    const [erased] = await w.db.owner<[{ id: string }]>`
      insert into candidates (organization_id, first_name, last_name, email)
      values (${parties.employer.id}, 'Erased', 'Erased', ${`erased-${randomUUID()}@erased.invalid`}) returning id`;
    const [erasure] = await w.db.owner<[{ id: string }]>`
      insert into erasures (organization_id, candidate_id, reason, propagate, state, email_hashes, completed_at)
      values (${parties.employer.id}, ${erased.id}, 'request #9', false, 'done',
        array[(select encode(sha256(convert_to(email_salt || lower(${email}), 'UTF8')), 'hex')
          from organization_privacy where organization_id = ${parties.employer.id})], now())
      returning id`;

    const submitted = await submitApplication(
      { sql: w.db.app, objectStore: w.store, clock: w.clock, uploadTtlSeconds: 300 },
      { organizationId: parties.agencies[0].id, role: 'portal', keyId: randomUUID() },
      { jobId: parties.jobId, candidate: { firstName: 'Zebulon', lastName: 'Back', email } } as never,
      undefined,
    );

    const [row] = await w.db.owner`select reappearances from erasures where id = ${erasure.id}`;
    expect([submitted.status, row?.reappearances]).toEqual([201, 1]);
  });

  it('flags nothing for an email nobody erased', async () => {
    await erasedPerson();

    const flagged = await withTenant(w.db.app, w.graph.organizationId, 'portal', (tx) =>
      flagPortalReappearance(tx, 'someone-else@example.com'),
    );

    expect(flagged).toBeNull();
  });
});

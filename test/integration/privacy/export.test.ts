/**
 * Subject access (docs/privacy.md, "Export"): `GET /candidates/{id}/export` answers everything the hub holds about
 * the person as one document, with short-lived links to their clean files; after an erasure, only placeholders.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runErasure } from '../../../shared/privacy/erasure-run.js';
import { privacyWorld } from '../../support/privacy-world.js';

const { w, call, workerDeps, seedPerson } = privacyWorld();

const exported = (candidateId: string, key = w.graph.keys.admin) =>
  call('GET /candidates/{id}/export', key, { params: { id: candidateId } });

describe('GET /candidates/{id}/export', () => {
  it('holds the candidate with every email and phone', async () => {
    const person = await seedPerson();

    const { body } = await exported(person.candidateId);

    expect(body.candidate).toMatchObject({
      first_name: person.markers.firstName,
      email: person.markers.email,
      emails: [
        { value: person.markers.email, type: 'personal' },
        { value: person.markers.otherEmail, type: 'work' },
      ],
      phone: person.markers.phone,
    });
  });

  it('holds the applications with their job and stage, and their history', async () => {
    const person = await seedPerson();

    const { body } = await exported(person.candidateId);

    expect(body.applications).toEqual([
      expect.objectContaining({ id: person.applicationId, jobTitle: 'Engineer', stageName: 'Shortlist' }),
    ]);
    expect(body.history).toHaveLength(1);
  });

  it('holds private notes too, and interviews', async () => {
    const person = await seedPerson();

    const { body } = await exported(person.candidateId);

    expect(body.notes).toEqual([expect.objectContaining({ visibility: 'private' })]);
    expect(body.interviews).toHaveLength(1);
  });

  it('holds the remote ids the providers know the person by', async () => {
    const person = await seedPerson();

    const { body } = await exported(person.candidateId);

    expect(body.externalRefs).toContainEqual(
      expect.objectContaining({
        objectType: 'candidate',
        remoteId: person.remoteCandidateId,
        provider: 'greenhouse',
      }),
    );
  });

  it('links a clean document for five minutes', async () => {
    const person = await seedPerson();

    const { body } = await exported(person.candidateId);

    const [document] = body.documents;
    expect(document.url).toEqual(expect.any(String));
    expect(Date.parse(document.urlExpiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
  });

  it('answers only placeholders after an erasure', async () => {
    const person = await seedPerson();
    const requested = await call('POST /candidates/{id}/erase', w.graph.keys.admin, {
      params: { id: person.candidateId },
      body: { reason: 'request', propagate: false },
    });
    await runErasure(workerDeps(), {
      organizationId: w.graph.organizationId,
      erasureId: requested.body.erasureId,
    });

    const { body } = await exported(person.candidateId);

    const text = JSON.stringify(body);
    for (const marker of Object.values(person.markers)) expect(text).not.toContain(marker);
    expect(body.erasure).toMatchObject({ id: requested.body.erasureId, state: 'done' });
  });

  it('answers 404 for a candidate of another organization', async () => {
    const person = await seedPerson(w.other);

    expect((await exported(person.candidateId)).status).toBe(404);
  });

  it('answers 404 for an unknown candidate', async () => {
    expect((await exported(randomUUID())).status).toBe(404);
  });

  it('refuses an ats key', async () => {
    const person = await seedPerson();

    expect((await exported(person.candidateId, w.graph.keys.ats)).status).toBe(403);
  });
});

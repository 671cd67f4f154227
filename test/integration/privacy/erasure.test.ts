/**
 * Erasure through the candidate-privacy routes and the erasure worker (docs/privacy.md): the request, its
 * bad input, and each step's effect on the database, the bucket and the provider.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runErasure } from '../../../shared/privacy/erasure-run.js';
import { columnsHolding, funnelCounts } from '../../support/personal-data.js';
import { countingProvider, type Person, personMarkers, privacyWorld } from '../../support/privacy-world.js';

const { w, call, workerDeps, seedPerson } = privacyWorld();

const erase = (person: Person, body = { reason: 'GDPR art. 17 request #42', propagate: true }) =>
  call('POST /candidates/{id}/erase', w.graph.keys.admin, { params: { id: person.candidateId }, body });

async function erased(person: Person, propagate = true) {
  const provider = countingProvider(async () => ({ action: 'anonymized' }));
  const requested = await erase(person, { reason: 'GDPR art. 17 request #42', propagate });
  const outcome = await runErasure(workerDeps({ greenhouse: provider.module }), {
    organizationId: w.graph.organizationId,
    erasureId: requested.body.erasureId,
  });
  return { requested, outcome, provider };
}

describe('POST /candidates/{id}/erase', () => {
  it('answers 202 with the erasure and queues it', async () => {
    const person = await seedPerson();
    const before = w.queue.sent.length;

    const response = await erase(person);

    expect(response.status).toBe(202);
    expect(JSON.parse(w.queue.sent[before]!.body)).toEqual({
      type: 'erasure',
      organizationId: w.graph.organizationId,
      erasureId: response.body.erasureId,
    });
  });

  it('answers a repeated request with the first erasure', async () => {
    const person = await seedPerson();
    const first = await erase(person);

    const second = await erase(person, { reason: 'again', propagate: false });

    expect(second.body.erasureId).toBe(first.body.erasureId);
  });

  it('answers 404 for a candidate of another organization', async () => {
    const person = await seedPerson(w.other);

    expect((await erase(person)).status).toBe(404);
  });

  it('answers 404 for an unknown candidate', async () => {
    const response = await call('POST /candidates/{id}/erase', w.graph.keys.admin, {
      params: { id: randomUUID() },
      body: { reason: 'x', propagate: false },
    });

    expect(response.status).toBe(404);
  });

  it('refuses an ats key', async () => {
    const person = await seedPerson();

    const response = await call('POST /candidates/{id}/erase', w.graph.keys.ats, {
      params: { id: person.candidateId },
      body: { reason: 'x', propagate: false },
    });

    expect(response.status).toBe(403);
  });

  it('refuses a body without propagate, and writes nothing', async () => {
    const person = await seedPerson();

    const response = await call('POST /candidates/{id}/erase', w.graph.keys.admin, {
      params: { id: person.candidateId },
      body: { reason: 'x' },
    });

    expect(response.status).toBe(400);
    const rows = await w.db.owner`select 1 from erasures where candidate_id = ${person.candidateId}`;
    expect(rows).toHaveLength(0);
  });
});

describe('an erasure run by the worker', () => {
  it('ends done, every step recorded', async () => {
    const person = await seedPerson();
    const { requested } = await erased(person);

    const view = await call('GET /erasures/{id}', w.graph.keys.admin, {
      params: { id: requested.body.erasureId },
    });

    expect(view.body.state).toBe('done');
    expect(view.body.steps.map((s: { name: string; state: string }) => `${s.name}:${s.state}`)).toEqual([
      'documents:done',
      'raw_payloads:done',
      'providers:done',
      'database:done',
    ]);
  });

  it('leaves no name, email or phone of the person in any column of any table', async () => {
    const person = await seedPerson();

    await erased(person);

    expect(await columnsHolding(w.db.owner, personMarkers(person))).toEqual([]);
  });

  it('keeps the funnel counts', async () => {
    const person = await seedPerson();
    const before = await funnelCounts(w.db.owner, w.graph.organizationId);

    await erased(person);

    expect(await funnelCounts(w.db.owner, w.graph.organizationId)).toEqual(before);
  });

  it('keeps the application, its stage and its history', async () => {
    const person = await seedPerson();

    await erased(person);

    const [app] = await w.db
      .owner`select stage_id, status from applications where id = ${person.applicationId}`;
    expect(app).toEqual({ stage_id: w.graph.stageIds[1], status: 'active' });
    const history = await w.db
      .owner`select 1 from application_stage_history where application_id = ${person.applicationId}`;
    expect(history).toHaveLength(1);
  });

  it('deletes every version of the documents', async () => {
    const person = await seedPerson();

    await erased(person);

    expect(w.store.versionCount(person.documentKey)).toBe(0);
  });

  it('rewrites a raw page without the person, keeping the others, in one version', async () => {
    const person = await seedPerson();

    await erased(person);

    expect(JSON.parse(w.store.text(person.rawKey)!)).toEqual([
      { id: 1, first_name: 'Other', emails: ['other@example.com'] },
    ]);
    expect(w.store.versionCount(person.rawKey)).toBe(1);
  });

  it('asks the provider to anonymize the person once', async () => {
    const person = await seedPerson();

    const { provider } = await erased(person);

    expect(provider.calls).toEqual([person.remoteCandidateId]);
  });

  it('records the provider outcome', async () => {
    const person = await seedPerson();
    const { requested } = await erased(person);

    const view = await call('GET /erasures/{id}', w.graph.keys.admin, {
      params: { id: requested.body.erasureId },
    });

    const providers = view.body.steps.find((s: { name: string }) => s.name === 'providers');
    expect(providers.detail.providers).toEqual([
      { integrationId: w.graph.integrationId, provider: 'greenhouse', outcome: 'anonymized' },
    ]);
  });

  it('records a provider whose API has no anonymize as unsupported', async () => {
    const person = await seedPerson();
    const requested = await erase(person);
    const withoutPort = { name: 'greenhouse', createClient: () => ({ provider: 'greenhouse' }) };

    await runErasure(workerDeps({ greenhouse: withoutPort as never }), {
      organizationId: w.graph.organizationId,
      erasureId: requested.body.erasureId,
    });

    const view = await call('GET /erasures/{id}', w.graph.keys.admin, {
      params: { id: requested.body.erasureId },
    });
    const providers = view.body.steps.find((s: { name: string }) => s.name === 'providers');
    expect(providers.detail.providers).toEqual([
      { integrationId: w.graph.integrationId, provider: 'greenhouse', outcome: 'unsupported' },
    ]);
  });

  it('skips the providers when not asked to propagate', async () => {
    const person = await seedPerson();

    const { provider } = await erased(person, false);

    expect(provider.calls).toEqual([]);
  });

  it('does nothing on a second delivery once done', async () => {
    const person = await seedPerson();
    const { requested, provider } = await erased(person);

    const again = await runErasure(workerDeps(), {
      organizationId: w.graph.organizationId,
      erasureId: requested.body.erasureId,
    });

    expect(again).toBe('already_done');
    expect(provider.calls).toHaveLength(1);
  });

  it('does not queue a done erasure again on a repeated request', async () => {
    const person = await seedPerson();
    await erased(person);
    const before = w.queue.sent.length;

    await erase(person);

    expect(w.queue.sent.length).toBe(before);
  });
});

describe('GET /erasures/{id}', () => {
  it('answers 404 to another organization', async () => {
    const person = await seedPerson();
    const { body } = await erase(person);

    const response = await call('GET /erasures/{id}', w.other.keys.admin, { params: { id: body.erasureId } });

    expect(response.status).toBe(404);
  });
});

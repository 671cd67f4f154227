/**
 * Greenhouse anonymize (docs/privacy.md, "Propagation"): the client's `privacy` port against the fake's Harvest v3
 * `PATCH /v3/candidates/{id}/anonymize`: OAuth bearer, the fields body, a missing candidate, a missing scope.
 */
import { describe, expect, it } from 'vitest';
import { provider } from '../../../shared/providers/greenhouse/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { caught, clientWith } from './client-harness.js';

let fake: GreenhouseFake;
const fakes = fakeLifecycle(startGreenhouseFake, { jobs: 1, candidates: 5, rateLimit: false });

const anonymize = (candidateRemoteId: string) =>
  clientWith(provider, {
    credentials: { ...fake.credentials },
    settings: { baseUrl: fake.url, authUrl: fake.authUrl, requestTimeoutMs: 1_000 },
    clock: fake.clock,
  }).privacy!.anonymizeCandidate({ candidateRemoteId });

describe('greenhouse anonymize', () => {
  it('anonymizes the candidate at Greenhouse', async () => {
    fake = await fakes.start({});
    const candidate = fake.state.candidates[0]!;

    const result = await anonymize(String(candidate.id));

    expect(result.action).toBe('anonymized');
    expect(candidate).toMatchObject({ firstName: 'Anonymized', emails: [], phones: [] });
  });

  it('sends a PATCH with a bearer token and the fields to anonymize', async () => {
    fake = await fakes.start({});
    const id = fake.state.candidates[0]!.id;

    await anonymize(String(id));

    const request = fake.requests.find((r) => r.path === `/v3/candidates/${id}/anonymize`)!;
    expect(request.method).toBe('PATCH');
    expect(request.headers.authorization).toMatch(/^Bearer /);
    expect(JSON.parse(request.body).fields).toContain('full_name');
  });

  it('answers not_found for a candidate Greenhouse no longer has', async () => {
    fake = await fakes.start({});

    expect((await anonymize('424242')).action).toBe('not_found');
  });

  it('is refused without the anonymize scope', async () => {
    fake = await fakes.start({ submissions: { missingScopes: ['harvest:candidates:anonymize'] } });

    const error = await caught(anonymize(String(fake.state.candidates[0]!.id)));

    expect([error.kind, error.status]).toEqual(['refused', 403]);
  });

  it('counts every call', async () => {
    fake = await fakes.start({});
    const id = fake.state.candidates[1]!.id;

    await anonymize(String(id));
    await anonymize(String(id));

    expect(fake.privacy.calls).toEqual([id, id]);
  });
});

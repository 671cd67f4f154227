/**
 * R24 Erasure crash between steps (docs/privacy.md, "Erasure"). The erasure worker dies right after each step's
 * outcome is stored (its invocation never goes on); the message comes back once the delivery's lease has run out
 * and the redelivery finishes. A second delivery while the first still holds the lease leaves the erasure alone.
 * Pass: for every crash point the erasure ends done with each step recorded once, nothing of the person left in
 * any column or in the bucket, the raw page keeping the other person, and the provider asked once.
 */
import '../support/quiet-logs.js';
import { describe, expect, it } from 'vitest';
import type { ErasureStepName } from '../../shared/domain/privacy.js';
import { runErasure } from '../../shared/privacy/erasure-run.js';
import { CrashHook, withDeadline } from '../support/crash.js';
import { columnsHolding } from '../support/personal-data.js';
import { countingProvider, personMarkers, privacyWorld } from '../support/privacy-world.js';
import { describeOnPostgres, figures } from '../support/reliability.js';

const LEASE_MS = 60_000;
const POINTS: ErasureStepName[] = ['documents', 'raw_payloads', 'providers'];

describeOnPostgres('R24', 'erasure crash between steps', () => {
  const { w, call, workerDeps, seedPerson } = privacyWorld();
  const results: Record<string, string> = {};

  describe.each(POINTS)('a crash right after %s', (point) => {
    it('finishes on redelivery with the same result', async () => {
      const person = await seedPerson();
      const provider = countingProvider(async () => ({ action: 'anonymized' }));
      const requested = await call('POST /candidates/{id}/erase', w.graph.keys.admin, {
        params: { id: person.candidateId },
        body: { reason: 'R24', propagate: true },
      });
      const message = { organizationId: w.graph.organizationId, erasureId: requested.body.erasureId };
      const crash = new CrashHook();
      const deps = {
        ...workerDeps({ greenhouse: provider.module }),
        erasureLeaseMs: LEASE_MS,
        afterErasureStep: async (step: ErasureStepName) => {
          if (step === point) crash.arm();
          await crash.point();
        },
      };

      const first = await withDeadline(runErasure(deps, message), 5_000);
      const duplicate = await runErasure(workerDeps({ greenhouse: provider.module }), message);
      w.clock.advance(LEASE_MS + 1_000);
      const redelivered = await runErasure(workerDeps({ greenhouse: provider.module }), message);

      const view = await call('GET /erasures/{id}', w.graph.keys.admin, {
        params: { id: message.erasureId },
      });
      const leftover = await columnsHolding(w.db.owner, personMarkers(person));
      results[point] = `${first}/${duplicate}/${redelivered}`;
      expect([first, duplicate, redelivered]).toEqual(['timed out', 'busy', 'done']);
      expect(view.body.state).toBe('done');
      expect(view.body.steps.map((s: { name: string }) => s.name)).toEqual([
        'documents',
        'raw_payloads',
        'providers',
        'database',
      ]);
      expect(leftover).toEqual([]);
      expect(w.store.versionCount(person.documentKey)).toBe(0);
      expect(JSON.parse(w.store.text(person.rawKey)!)).toEqual([
        { id: 1, first_name: 'Other', emails: ['other@example.com'] },
      ]);
      expect(provider.calls).toEqual([person.remoteCandidateId]);
    });
  });

  it('reports its figures', () => {
    figures('R24', 'erasure crash between steps', results);
    expect(Object.keys(results)).toEqual(POINTS);
  });
});

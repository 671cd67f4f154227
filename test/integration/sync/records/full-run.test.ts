/**
 * A whole run through the sync worker with a provider offering the full ATS record: every object of
 * `capabilities.objects` is pulled in order with its own pass, an unchanged re-sync writes nothing, and a complete
 * full pass soft-deletes what the provider no longer lists.
 */
import { describe, expect, it } from 'vitest';
import { type SyncObjectType, syncObjectTypes } from '../../../../shared/domain/canonical.js';
import type { CanonicalOf, ProviderModule } from '../../../../shared/ports/provider.js';
import {
  remoteApplication,
  remoteCandidate,
  remoteInterview,
  remoteJob,
  remoteNote,
  remoteOffer,
  remoteReason,
  remoteScorecard,
} from '../../../support/ats-records.js';
import { createWorld, fileDatabase, runSync } from '../harness.js';

const objects: SyncObjectType[] = [
  'job',
  'candidate',
  'application',
  'rejection_reason',
  'interview',
  'scorecard',
  'offer',
  'note',
];

type Catalogue = { [T in SyncObjectType]: CanonicalOf<T>[] };

/** One page per object, straight from `catalogue`. */
function moduleOf(catalogue: Catalogue): ProviderModule {
  const capabilities = {
    objects,
    incremental: false,
    deletedRecords: false,
    webhooks: false,
    moveStage: false,
    reject: false,
    hire: false,
    analyticsPush: false,
    maxPageSize: 100,
  };
  return {
    name: 'greenhouse',
    capabilities,
    hubGeneratesWebhookSecret: false,
    createClient: () => ({
      provider: 'greenhouse',
      capabilities,
      listPage: async (objectType: SyncObjectType) => ({
        records: catalogue[objectType],
        raw: [],
        deletedRemoteIds: [],
        nextPageToken: null,
        nextCursor: null,
      }),
    }),
  } as unknown as ProviderModule;
}

const db = fileDatabase(() => undefined);

describe('a full run with the ATS record', () => {
  it('pulls every object, rewrites nothing the second time and deletes what disappeared', async () => {
    const catalogue: Catalogue = {
      job: [remoteJob()],
      candidate: [remoteCandidate()],
      application: [remoteApplication()],
      rejection_reason: [remoteReason()],
      interview: [remoteInterview(), remoteInterview({ remoteId: 'int-2' })],
      scorecard: [remoteScorecard()],
      offer: [remoteOffer()],
      note: [remoteNote()],
    };
    let now = Date.parse('2026-03-04T00:00:00Z');
    const clock = {
      now: () => new Date(now),
      advance: (ms: number) => {
        now += ms;
      },
    };
    const world = await createWorld({
      provider: 'greenhouse',
      module: moduleOf(catalogue),
      credentials: { apiKey: 'k' },
      settings: { syncObjects: [...syncObjectTypes] },
      clock,
      db: db(),
    });

    // one job, candidate, application, reason, scorecard, offer and note, and two interviews
    const first = await runSync(world, 'full');
    clock.advance(60_000);
    const second = await runSync(world, 'full');
    catalogue.interview = [remoteInterview()];
    clock.advance(60_000);
    const third = await runSync(world, 'full');

    expect(first.run).toMatchObject({ status: 'succeeded', records_created: 9, records_failed: 0 });
    expect(second.run).toMatchObject({ status: 'succeeded', records_created: 0, records_updated: 0 });
    expect(third.run).toMatchObject({ status: 'succeeded', records_deleted: 1 });
    const counts = await world.db.owner<{ t: string; n: number }[]>`
      select 'interviews' as t, count(*) filter (where deleted_at is null)::int as n from interviews
      union all select 'scorecards', count(*)::int from scorecards
      union all select 'offers', count(*)::int from offers
      union all select 'notes', count(*)::int from notes
      union all select 'reasons', count(*)::int from rejection_reasons`;
    expect(Object.fromEntries(counts.map((c) => [c.t, c.n]))).toEqual({
      interviews: 1,
      scorecards: 1,
      offers: 1,
      notes: 1,
      reasons: 1,
    });
  });
});

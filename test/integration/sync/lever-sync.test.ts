/**
 * Lever's quirks in the sync engine (docs/providers.md §3): incremental passes on `updated_at_start`, and OAuth
 * access-token expiry with rotating refresh tokens. The scenarios every provider shares are in contract/.
 */
import { describe, expect, it } from 'vitest';
import { providerCredentialsSecret } from '../../../shared/integrations/secret-names.js';
import { type LeverFake, type LeverFakeOptions, startLeverFake } from '../../fakes/lever/index.js';
import { leverConnection } from './connections.js';
import type { fastRetry, SyncWorld } from './harness.js';
import { createWorld, fileDatabase, liveCounts, runSync, updatesOnly, watchVersions } from './harness.js';

const HOUR = 3_600_000;
let fake: LeverFake;

const database = fileDatabase(() => fake?.stop());

async function world(
  options: LeverFakeOptions & {
    pageSize?: number;
    credentials?: Record<string, unknown>;
    retry?: typeof fastRetry;
  },
): Promise<SyncWorld> {
  const { pageSize, credentials, retry, ...fakeOptions } = options;
  fake = await startLeverFake({ postings: 4, ...fakeOptions });
  const connection = leverConnection(fake, { pageSize: pageSize ?? 100 });
  return createWorld({
    db: database(),
    ...connection,
    credentials: credentials ?? connection.credentials,
    options: { maxPagesPerInvocation: 1_000, ...(retry ? { retry } : {}) },
  });
}

/** What Lever holds: postings, distinct contacts, opportunities (each on a posting: one per contact × posting). */
function leverCounts() {
  return {
    jobs: fake.state.postings.length,
    candidates: new Set(fake.state.opportunities.map((o) => o.contact)).size,
    applications: fake.state.opportunities.length,
  };
}

async function applicationStages(w: SyncWorld): Promise<Map<string, string>> {
  const rows = await w.db.owner<{ remote_id: string; stage: string }[]>`
    select r.remote_id, s.name as stage from external_refs r
    join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${w.integrationId} and r.object_type = 'application' and a.deleted_at is null`;
  return new Map(rows.map((r) => [r.remote_id, r.stage]));
}

function otherStage(opportunityId: string) {
  const o = fake.state.opportunityById.get(opportunityId)!;
  return fake.state.stages.find((s) => s.id !== o.stageId && s.text !== 'Offer')!;
}

describe('lever incremental sync', () => {
  it('asks only for opportunities updated since the last pass and touches only the changed records', async () => {
    const w = await world({ contacts: 300, pageSize: 50 });
    const first = await runSync(w, 'full');
    const cursors = await w.db.owner<{ start: string }[]>`
      select cursor->>'updatedAtStart' as start from sync_cursors
      where integration_id = ${w.integrationId} and object_type in ('candidate', 'application') order by object_type desc`;
    const versions = await watchVersions(w);
    const requestsBefore = fake.requests.length;
    fake.clock.advance(2 * HOUR);
    // three single-opportunity contacts move stage
    const moved = [0, 1, 2].map((i) => fake.state.opportunities[i]!);
    for (const o of moved) fake.changeStage(o.id, otherStage(o.id).id);

    const { run } = await runSync(w, 'incremental');

    expect(first.run.status).toBe('succeeded');
    // 4 postings re-read whole (unchanged, not written); the 3 opportunities re-read once as contacts (their
    // updatedAt moved) and once as applications (their stage moved): 6 rows, nothing else
    expect(run).toMatchObject(updatesOnly(4 + 3 + 3, 6));
    expect(await versions.changed()).toBe(6);
    const stages = await applicationStages(w);
    for (const o of moved)
      expect(stages.get(o.id)).toBe(fake.state.stages.find((s) => s.id === o.stageId)!.text);
    // every opportunity request of the incremental run filtered on the stored cursor minus the 1 h overlap
    const incremental = fake.requests.slice(requestsBefore).filter((r) => r.path === '/v1/opportunities');
    expect(incremental).toHaveLength(2);
    expect(incremental.map((r) => r.query['updated_at_start'])).toEqual(
      cursors.map((c) => [String(Number(c.start) - HOUR)]),
    );
  });
});

describe('lever OAuth token expiry', () => {
  it('refreshes an expired access token and continues, persisting every rotated refresh token', async () => {
    const w = await world({
      contacts: 300,
      pageSize: 50,
      accessTokenLifetimeSeconds: 3_600,
      credentials: {
        clientId: 'lever-client',
        clientSecret: 'lever-client-secret',
        refreshToken: 'lever-refresh-0',
        // handed over with the authorization code and long expired: Lever answers 401
        accessToken: 'expired-access-token',
      },
    });
    let expired = false;
    w.deps.hooks = {
      afterPage: (e) => {
        // the fresh access token expires in the middle of the candidate pass
        if (e.objectType === 'candidate' && e.page === 2 && !expired) {
          expired = true;
          fake.clock.advance(2 * HOUR);
        }
      },
    };

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(await liveCounts(w)).toEqual(leverCounts());
    const refreshes = fake.requests.filter((r) => r.path === '/oauth/token');
    expect(refreshes.map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual([
      'refresh_token',
      'refresh_token',
    ]);
    // the handed-over token; a page fetched ahead may meet the mid-pass expiry too (one refresh serves both)
    expect(fake.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(fake.requests.filter((r) => r.status === 401).length).toBeLessThanOrEqual(2);
    const stored = await w.secrets.get<{ refreshToken: string }>(providerCredentialsSecret(w.integrationId));
    // the one refresh token Lever still accepts is the one stored; the original died at the first rotation
    expect(fake.validRefreshTokens()).toEqual([stored!.refreshToken]);
    expect(stored!.refreshToken).not.toBe('lever-refresh-0');
  });

  it('runs the next sync with the persisted refresh token', async () => {
    const w = await world({
      contacts: 60,
      pageSize: 50,
      credentials: {
        clientId: 'lever-client',
        clientSecret: 'lever-client-secret',
        refreshToken: 'lever-refresh-0',
      },
    });
    await runSync(w, 'full');
    fake.clock.advance(2 * HOUR);

    const { run } = await runSync(w, 'incremental');

    expect(run.status).toBe('succeeded');
    const refreshes = fake.requests.filter((r) => r.path === '/oauth/token');
    expect(refreshes.map((r) => r.status)).toEqual([200, 200]);
    const stored = await w.secrets.get<{ refreshToken: string }>(providerCredentialsSecret(w.integrationId));
    expect(fake.validRefreshTokens()).toEqual([stored!.refreshToken]);
  });
});

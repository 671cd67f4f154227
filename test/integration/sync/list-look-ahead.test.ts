/**
 * The first page of the next object type's list is requested while the last page of the previous list is
 * written (shared/sync/page-ahead.ts), and only used when the next pass asks for exactly that page. The
 * provider client is wrapped to see each list request in order with the hub's page events.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleSyncMessage } from '../../../functions/sync-worker/use-case.js';
import type { SyncObjectType } from '../../../shared/domain/canonical.js';
import type { ListPageRequest, ProviderModule } from '../../../shared/ports/provider.js';
import type { PageEvent } from '../../../shared/sync/dependencies.js';
import { type GreenhouseFake, startGreenhouseFake } from '../../fakes/greenhouse/index.js';
import { greenhouseConnection } from './connections.js';
import {
  createWorld,
  deliverUntilIdle,
  fileDatabase,
  liveCounts,
  requestRun,
  runSync,
  type SyncWorld,
} from './harness.js';

let fake: GreenhouseFake;
const database = fileDatabase(() => fake?.stop());

interface ListCall {
  objectType: SyncObjectType;
  request: ListPageRequest;
  nextPageToken?: string | null;
}

/** The provider module with every list request recorded (in order, with the writes) and counted while open. */
function observed(module: ProviderModule) {
  const calls: ListCall[] = [];
  const order: string[] = [];
  const open = { count: 0 };
  const served = new Map<SyncObjectType, number>();
  const waiting = new Set<() => void>();
  const wrapped: ProviderModule = {
    ...module,
    createClient: (context) => {
      const client = module.createClient(context);
      return {
        ...client,
        listPage: async (objectType, request) => {
          const call: ListCall = { objectType, request };
          calls.push(call);
          order.push(`request ${objectType} ${request.pageToken === null ? 'first' : 'next'}`);
          open.count += 1;
          try {
            const page = await client.listPage(objectType, request);
            call.nextPageToken = page.nextPageToken;
            return page;
          } finally {
            open.count -= 1;
            if (request.pageToken === null) served.set(objectType, (served.get(objectType) ?? 0) + 1);
            for (const wake of waiting) wake();
          }
        },
      };
    },
  };
  /** Resolves once `count` first pages of `objectType` came back, or after a bound when they do not. */
  const firstPagesServed = (objectType: SyncObjectType, count: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = () => {
        if ((served.get(objectType) ?? 0) < count) return;
        waiting.delete(wake);
        resolve();
      };
      waiting.add(wake);
      setTimeout(() => {
        waiting.delete(wake);
        resolve();
      }, 5_000);
      wake();
    });
  return { module: wrapped, calls, order, open, firstPagesServed };
}

async function world(candidates: number): Promise<{ w: SyncWorld; seen: ReturnType<typeof observed> }> {
  fake = await startGreenhouseFake({ candidates, jobs: 4, rateLimit: false });
  const connection = greenhouseConnection(fake, { perPage: 50 });
  const seen = observed(connection.module);
  const w = await createWorld({ db: database(), ...connection, module: seen.module });
  return { w, seen };
}

const lastCandidatePage = (e: PageEvent) => e.objectType === 'candidate' && e.last;
const applicationFirstPages = (calls: ListCall[]) =>
  calls.filter((c) => c.objectType === 'application' && c.request.pageToken === null);

describe('look-ahead across object types', () => {
  it('requests the first application page before the last candidate page is through', async () => {
    const { w, seen } = await world(120);
    w.deps.hooks = {
      afterPage: async (e) => {
        if (!lastCandidatePage(e)) return;
        // held open until the next list's first page is back (bounded): the request must not wait for this page
        await seen.firstPagesServed('application', 1);
        seen.order.push('candidate last page through');
      },
    };

    const { run } = await runSync(w, 'full');

    expect(run.status).toBe('succeeded');
    expect(seen.order.indexOf('request application first')).toBeGreaterThanOrEqual(0);
    expect(seen.order.indexOf('request application first')).toBeLessThan(
      seen.order.indexOf('candidate last page through'),
    );
    expect(applicationFirstPages(seen.calls)).toHaveLength(1);
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 120, applications: 120 });
  });

  it('drops the look-ahead when the next pass reads in another mode, and reads the list in full', async () => {
    const { w, seen } = await world(120);
    await runSync(w, 'full');
    fake.clock.advance(3_600_000);
    w.deps.hooks = {
      afterPage: async (e) => {
        if (!lastCandidatePage(e)) return;
        await seen.firstPagesServed('application', 2); // the full run's, then the look-ahead's
        // the stored cursor goes away after the look-ahead read it: the pass now reads in full
        await w.db.owner`update sync_cursors set cursor = '{}'::jsonb
          where integration_id = ${w.integrationId} and object_type = 'application'`;
      },
    };
    seen.calls.length = 0;

    const { run } = await runSync(w, 'incremental');

    expect(run.status).toBe('succeeded');
    expect(applicationFirstPages(seen.calls).map((c) => c.request.mode)).toEqual(['incremental', 'full']);
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 120, applications: 120 });
  });

  it('drops the look-ahead when the next pass resumes from a stored page token', async () => {
    const { w, seen } = await world(120);
    const { runId, message } = await requestRun(w, 'full');
    w.deps.hooks = {
      afterPage: async (e) => {
        if (!lastCandidatePage(e)) return;
        await seen.firstPagesServed('application', 1);
        // a pass of this run now stands after its first page: the next pass resumes from page two
        const [ahead] = applicationFirstPages(seen.calls);
        await w.db
          .owner`insert into sync_cursors (organization_id, integration_id, object_type, cursor, pass_id,
            pass_run_id, pass_mode, page_token, pages_done, pass_started_at, pass_restarts, updated_at)
          values (${w.organizationId}, ${w.integrationId}, 'application', '{}'::jsonb, ${randomUUID()}, ${runId},
            'full', ${ahead!.nextPageToken!}, 1, ${fake.clock.now()}, 0, ${fake.clock.now()})`;
      },
    };

    await deliverUntilIdle(w, message);

    const applications = seen.calls.filter((c) => c.objectType === 'application');
    expect(applications[0]!.request.pageToken).toBeNull();
    expect(applications[1]!.request.pageToken).toBe(applications[0]!.nextPageToken);
    // the first page fetched ahead was never written: the 50 applications it held are not in the database
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 120, applications: 70 });
  });

  it('leaves nothing running when the budget is spent at the list boundary, and the next piece resumes', async () => {
    const { w, seen } = await world(120);
    let remaining = 600_000;
    w.deps.hooks = {
      afterPage: async (e) => {
        if (!lastCandidatePage(e)) return;
        await seen.firstPagesServed('application', 1);
        remaining = 1_000; // under the reserve: the piece stops before the next list's first page
      },
    };
    const { runId, message } = await requestRun(w, 'full');

    const outcome = await handleSyncMessage(w.deps, message, { remainingMs: () => remaining });

    expect(outcome).toBe('continued');
    expect(seen.open.count).toBe(0);
    expect(applicationFirstPages(seen.calls)).toHaveLength(1);
    w.deps.hooks = undefined;
    remaining = 600_000;
    const [continuation] = w.queue.drain().filter((m) => m.type === 'sync');
    const outcomes = await deliverUntilIdle(w, continuation!, { remainingMs: () => remaining });
    expect(outcomes).toEqual(['succeeded']);
    expect(applicationFirstPages(seen.calls)).toHaveLength(2);
    const [run] = await w.db.owner<{ status: string }[]>`select status from sync_runs where id = ${runId}`;
    expect(run!.status).toBe('succeeded');
    expect(await liveCounts(w)).toEqual({ jobs: 4, candidates: 120, applications: 120 });
  });
});

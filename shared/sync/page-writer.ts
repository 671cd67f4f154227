import { forgetSeen } from '../db/repositories/sync-cursors.js';
import { reconcileUnseen, softDeleteByRemoteIds } from '../db/repositories/sync-deletions.js';
import type { SyncScope } from '../db/repositories/sync-jobs.js';
import { closePage, openPage } from '../db/repositories/sync-page.js';
import { type Tx, withTenant } from '../db/tenant.js';
import type { SyncObjectType } from '../domain/canonical.js';
import type { ListPage } from '../ports/provider.js';
import { applyRecords } from './apply-records.js';
import type { SyncDependencies } from './dependencies.js';
import { LeaseLostError } from './errors.js';
import { rawPayloadKey } from './raw-payloads.js';

export interface PassPosition {
  passId: string;
  mode: 'full' | 'incremental';
  pageToken: string | null;
  pagesDone: number;
  startedAt: Date;
  restarts: number;
}

export interface PageCounts {
  records: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
}

/**
 * Everything one page changes, in ONE transaction: the lease check (locks the run row), the checkpoint
 * (compare-and-set on the pass position, so a crash resumes right after the last stored page and a page is
 * never counted twice), the upserts, the provider's deletions, the seen ids of a full pass, and, when this
 * page completes a full pass, the reconciliation of everything the pass did not see. The side rows take two
 * statements (openPage, closePage) around the page's own writes.
 */
export async function writePage<T extends SyncObjectType>(
  deps: SyncDependencies,
  input: {
    scope: SyncScope & { syncRunId: string };
    leaseToken: string;
    objectType: T;
    pass: PassPosition;
    page: ListPage<T>;
    rateLimit: { waits: number; waitMs: number };
  },
): Promise<PageCounts> {
  const { scope, objectType, pass, page } = input;
  const last = page.nextPageToken === null;
  const inTransaction = async (tx: Tx): Promise<PageCounts> => {
    const opened = await openPage(tx, {
      runId: scope.syncRunId,
      leaseToken: input.leaseToken,
      checkpoint: {
        integrationId: scope.integrationId,
        objectType,
        passId: pass.passId,
        expectedPagesDone: pass.pagesDone,
        nextPageToken: page.nextPageToken,
        completion: last ? { runId: scope.syncRunId, nextCursor: page.nextCursor } : null,
        now: scope.now,
      },
      seen:
        pass.mode === 'full'
          ? {
              organizationId: scope.organizationId,
              integrationId: scope.integrationId,
              passId: pass.passId,
              objectType,
              page: pass.pagesDone + 1,
              remoteIds: page.records.map((r) => r.remoteId),
            }
          : null,
      // which people the page's raw copy names, for erasure and retention (docs/privacy.md)
      rawPage: {
        ...scope,
        key: rawPayloadKey({ ...scope, objectType, page: pass.pagesDone + 1 }),
        objectType,
        records: page.records,
      },
    });
    if (!opened.leased) throw new LeaseLostError();
    if (!opened.advanced) throw new LeaseLostError('the checkpoint moved under this piece');
    const outcome = await applyRecords(tx, scope, objectType, page.records);
    const deletion = { integrationId: scope.integrationId, syncRunId: scope.syncRunId, now: scope.now };
    let deleted = await softDeleteByRemoteIds(tx, objectType, page.deletedRemoteIds, {
      ...deletion,
      reason: 'deleted at the provider',
    });
    if (pass.mode === 'full' && last) {
      deleted += await reconcileUnseen(tx, objectType, {
        ...deletion,
        reason: 'not found in a complete full sync',
        passId: pass.passId,
        passStartedAt: pass.startedAt,
        provider: scope.provider,
      });
      await forgetSeen(tx, pass.passId);
    }
    await closePage(tx, {
      scope,
      log: outcome.log,
      progress: {
        processed: page.records.length,
        created: outcome.created,
        updated: outcome.updated,
        deleted,
        failed: outcome.failed,
        pages: 1,
        rateLimitWaits: input.rateLimit.waits,
        rateLimitWaitMs: input.rateLimit.waitMs,
      },
      leaseUntil: new Date(scope.now.getTime() + deps.options.leaseMs),
    });
    return {
      records: page.records.length,
      created: outcome.created,
      updated: outcome.updated,
      deleted,
      failed: outcome.failed,
    };
  };
  // no JIT: compiling a page's resolve took longer than running it (docs/performance-results.md, B2)
  return withTenant(deps.sql, scope.organizationId, 'worker', inTransaction, { jit: false });
}

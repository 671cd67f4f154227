import { advancePass, forgetSeen, recordSeen } from '../db/repositories/sync-cursors.js';
import { reconcileUnseen, softDeleteByRemoteIds } from '../db/repositories/sync-deletions.js';
import { insertImportLog } from '../db/repositories/sync-import-log.js';
import type { SyncScope } from '../db/repositories/sync-jobs.js';
import { addRunProgress, holdsLease } from '../db/repositories/sync-runs.js';
import { withTenant } from '../db/tenant.js';
import type { SyncObjectType } from '../domain/canonical.js';
import type { ListPage } from '../ports/provider.js';
import { indexRawPage } from '../privacy/raw-pages.js';
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
 * page completes a full pass, the reconciliation of everything the pass did not see.
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
  return withTenant(deps.sql, scope.organizationId, 'worker', async (tx) => {
    if (!(await holdsLease(tx, scope.syncRunId, input.leaseToken))) throw new LeaseLostError();
    const advanced = await advancePass(tx, {
      integrationId: scope.integrationId,
      objectType,
      passId: pass.passId,
      expectedPagesDone: pass.pagesDone,
      nextPageToken: page.nextPageToken,
      completion: last ? { runId: scope.syncRunId, nextCursor: page.nextCursor } : null,
      now: scope.now,
    });
    if (!advanced) throw new LeaseLostError('the checkpoint moved under this piece');
    const outcome = await applyRecords(tx, scope, objectType, page.records);
    // which people the page's raw copy names, for erasure and retention (docs/privacy.md)
    await indexRawPage(tx, {
      ...scope,
      key: rawPayloadKey({ ...scope, objectType, page: pass.pagesDone + 1 }),
      objectType,
      records: page.records,
    });
    const deletion = { integrationId: scope.integrationId, syncRunId: scope.syncRunId, now: scope.now };
    let deleted = await softDeleteByRemoteIds(tx, objectType, page.deletedRemoteIds, {
      ...deletion,
      reason: 'deleted at the provider',
    });
    if (pass.mode === 'full') {
      await recordSeen(tx, {
        organizationId: scope.organizationId,
        integrationId: scope.integrationId,
        passId: pass.passId,
        objectType,
        page: pass.pagesDone + 1,
        remoteIds: page.records.map((r) => r.remoteId),
      });
      if (last) {
        deleted += await reconcileUnseen(tx, objectType, {
          ...deletion,
          reason: 'not found in a complete full sync',
          passId: pass.passId,
          passStartedAt: pass.startedAt,
          provider: scope.provider,
        });
        await forgetSeen(tx, pass.passId);
      }
    }
    await insertImportLog(tx, scope, outcome.log);
    const leaseUntil = new Date(scope.now.getTime() + deps.options.leaseMs);
    await addRunProgress(
      tx,
      scope.syncRunId,
      {
        processed: page.records.length,
        created: outcome.created,
        updated: outcome.updated,
        deleted,
        failed: outcome.failed,
        pages: 1,
        rateLimitWaits: input.rateLimit.waits,
        rateLimitWaitMs: input.rateLimit.waitMs,
      },
      leaseUntil,
    );
    return {
      records: page.records.length,
      created: outcome.created,
      updated: outcome.updated,
      deleted,
      failed: outcome.failed,
    };
  });
}

/**
 * One object type's pass of a sync run (jobs, candidates or applications): starts or resumes the pass, reads
 * its pages (the next one fetched while this one is written), stores and writes each page with its
 * checkpoint, and restarts the pass when the provider refuses a cursor or page token (docs/providers.md §0.8).
 */
import { randomUUID } from 'node:crypto';
import {
  type CursorRow,
  readCursor,
  refreshStatistics,
  startPass,
  storedCursor,
} from '../db/repositories/sync-cursors.js';
import type { SyncObjectType } from '../domain/canonical.js';
import { logger } from '../observability/logger.js';
import { ProviderError, type SyncCursor } from '../ports/provider.js';
import { budgetSpent, type Drive, roomForAnotherPage, tenant } from './drive.js';
import { LeaseLostError } from './errors.js';
import { type PageRequest, type PagesAhead, passStart } from './page-ahead.js';
import { type PassPosition, writePage } from './page-writer.js';
import type { ProviderSession } from './provider-session.js';
import { rawPayloadKey, storeRawPage } from './raw-payloads.js';

/** First refresh after this many new rows in a piece, then every time the count has quadrupled. */
const ANALYZE_FIRST_AT = 1_000;

async function beginPass(
  drive: Drive,
  objectType: SyncObjectType,
  mode: 'full' | 'incremental',
  options: { dropCursor: boolean; restarts: number; startedAt?: Date },
): Promise<PassPosition> {
  const { deps, ref } = drive;
  const passId = randomUUID();
  const now = deps.clock.now();
  const startedAt = options.startedAt ?? now;
  await tenant(deps, ref.organizationId, async (tx) => {
    const [held] =
      await tx`select 1 from sync_runs where id = ${ref.syncRunId} and lease_token = ${drive.token} for update`;
    if (!held) throw new LeaseLostError();
    await startPass(tx, {
      organizationId: ref.organizationId,
      integrationId: ref.integrationId,
      objectType,
      passId,
      runId: ref.syncRunId,
      mode,
      now,
      startedAt,
      dropCursor: options.dropCursor,
      restarts: options.restarts,
    });
  });
  return { passId, mode, pageToken: null, pagesDone: 0, startedAt, restarts: options.restarts };
}

function resumePosition(row: CursorRow): PassPosition {
  return {
    passId: row.pass_id!,
    mode: row.pass_mode ?? 'full',
    pageToken: row.page_token,
    pagesDone: row.pages_done,
    startedAt: row.pass_started_at ?? new Date(0),
    restarts: row.pass_restarts,
  };
}

/**
 * Runs (or resumes) this run's pass of one object type; false when the budget ran out first. When the pass
 * completes, the first page of the next list may still be ahead in `pages`, for the next pass.
 */
export async function syncObject(
  drive: Drive,
  session: ProviderSession,
  pages: PagesAhead,
  objectType: SyncObjectType,
): Promise<boolean> {
  const { deps, ref } = drive;
  let passed = false;
  try {
    const row = await tenant(deps, ref.organizationId, (tx) => readCursor(tx, ref.integrationId, objectType));
    const start = passStart(drive, session, row);
    if (start.kind === 'done') return true;
    let cursor: SyncCursor | null = storedCursor(row);
    let pass =
      start.kind === 'resume'
        ? resumePosition(start.row)
        : await beginPass(drive, objectType, start.mode, {
            dropCursor: false,
            restarts: 0,
            startedAt: pages.passStartedAt(objectType, deps.clock.now()),
          });
    let created = 0;
    let analyzeAt = ANALYZE_FIRST_AT;
    const requestOf = (position: PassPosition): PageRequest => ({
      objectType,
      mode: position.mode,
      cursor: position.mode === 'incremental' ? cursor : null,
      pageToken: position.pageToken,
    });
    for (;;) {
      if (budgetSpent(drive)) return false;
      const started = Date.now();
      const before = { ...session.limiter.stats };
      const fetched = await pages.fetch(requestOf(pass));
      if (!fetched.ok) {
        const { error } = fetched;
        if (
          error instanceof ProviderError &&
          (error.kind === 'cursor_expired' || error.kind === 'sync_token_invalid')
        ) {
          if (pass.mode === 'incremental') {
            // the provider refused the stored cursor: forget it and read everything (docs/providers.md §0.8)
            logger.info('incremental cursor refused; falling back to a full pass', {
              syncRunId: ref.syncRunId,
              objectType,
            });
            cursor = null;
            pass = await beginPass(drive, objectType, 'full', {
              dropCursor: true,
              restarts: pass.restarts + 1,
            });
            continue;
          }
          if (pass.pageToken !== null && pass.restarts < deps.options.maxPassRestarts) {
            logger.info('page token expired; restarting the full pass', {
              syncRunId: ref.syncRunId,
              objectType,
            });
            pass = await beginPass(drive, objectType, 'full', {
              dropCursor: false,
              restarts: pass.restarts + 1,
            });
            continue;
          }
        }
        throw error;
      }
      const { page } = fetched;
      // the next request goes out while this page is written (same pacing, same limiter): a paced sync then
      // waits for the provider's window, not for the database; at a list's end it is the next list's first page
      if (roomForAnotherPage(drive)) {
        if (page.nextPageToken !== null)
          pages.fetchAhead({ ...requestOf(pass), pageToken: page.nextPageToken });
        else pages.fetchNextList(objectType);
      }
      const now = deps.clock.now();
      const pageNumber = pass.pagesDone + 1;
      await storeRawPage(deps.objectStore, rawPayloadKey({ ...ref, objectType, page: pageNumber }), page.raw);
      const counts = await writePage(deps, {
        scope: {
          organizationId: ref.organizationId,
          integrationId: ref.integrationId,
          provider: drive.integration.provider,
          syncRunId: ref.syncRunId,
          now,
        },
        leaseToken: drive.token,
        objectType,
        pass,
        page,
        rateLimit: {
          waits: session.limiter.stats.waits - before.waits,
          waitMs: session.limiter.stats.waitMs - before.waitMs,
        },
      });
      drive.pagesThisPiece += 1;
      drive.slowestPageMs = Math.max(drive.slowestPageMs, Date.now() - started);
      created += counts.created;
      if (created >= analyzeAt) {
        // a bulk import outgrew the planner's statistics: refresh them so each lookup keeps probing its index
        analyzeAt = created * 4;
        await tenant(deps, ref.organizationId, (tx) => refreshStatistics(tx, objectType));
      }
      const last = page.nextPageToken === null;
      await deps.hooks?.afterPage?.({
        syncRunId: ref.syncRunId,
        objectType,
        page: pageNumber,
        ...counts,
        last,
      });
      if (last) {
        passed = true;
        return true;
      }
      pass = { ...pass, pageToken: page.nextPageToken, pagesDone: pass.pagesDone + 1 };
    }
  } finally {
    // a request still under way finishes inside this invocation (its limiter and breaker bookkeeping
    // included); only a completed pass leaves the next list's first page ahead, for the next pass to take
    if (!passed) await pages.settle();
  }
}

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
import { type ListPage, ProviderError, type SyncCursor } from '../ports/provider.js';
import { budgetSpent, type Drive, roomForAnotherPage, tenant } from './drive.js';
import { LeaseLostError } from './errors.js';
import { type PassPosition, writePage } from './page-writer.js';
import type { ProviderSession } from './provider-session.js';
import { rawPayloadKey, storeRawPage } from './raw-payloads.js';

/** First refresh after this many new rows in a piece, then every time the count has quadrupled. */
const ANALYZE_FIRST_AT = 1_000;

type Fetched = { ok: true; page: ListPage } | { ok: false; error: unknown };

async function beginPass(
  drive: Drive,
  objectType: SyncObjectType,
  mode: 'full' | 'incremental',
  options: { dropCursor: boolean; restarts: number },
): Promise<PassPosition> {
  const { deps, ref } = drive;
  const passId = randomUUID();
  const now = deps.clock.now();
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
      dropCursor: options.dropCursor,
      restarts: options.restarts,
    });
  });
  return { passId, mode, pageToken: null, pagesDone: 0, startedAt: now, restarts: options.restarts };
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

/** Runs (or resumes) this run's pass of one object type; false when the budget ran out first. */
export async function syncObject(
  drive: Drive,
  session: ProviderSession,
  objectType: SyncObjectType,
): Promise<boolean> {
  const { deps, ref, run } = drive;
  const row = await tenant(deps, ref.organizationId, (tx) => readCursor(tx, ref.integrationId, objectType));
  if (row && row.last_completed_run_id === run.id && row.pass_run_id === null) return true;
  let cursor: SyncCursor | null = storedCursor(row);
  let pass: PassPosition;
  if (row && row.pass_run_id === run.id && row.pass_id) {
    pass = resumePosition(row);
  } else {
    const incremental =
      run.mode === 'incremental' && session.client.capabilities.incremental && cursor !== null;
    pass = await beginPass(drive, objectType, incremental ? 'incremental' : 'full', {
      dropCursor: false,
      restarts: 0,
    });
  }

  let created = 0;
  let analyzeAt = ANALYZE_FIRST_AT;
  const fetchPage = (position: PassPosition, since: SyncCursor | null): Promise<Fetched> =>
    session
      .call((client) =>
        client.listPage(objectType, {
          mode: position.mode,
          cursor: position.mode === 'incremental' ? since : null,
          pageToken: position.pageToken,
          ...(deps.options.pageSize ? { pageSize: deps.options.pageSize } : {}),
        }),
      )
      .then(
        (page): Fetched => ({ ok: true, page }),
        (error: unknown): Fetched => ({ ok: false, error }),
      );
  // The next page is requested while this one is written (same pacing, same limiter): a paced sync then spends
  // its time waiting for the provider's window, not for the database. Never left running past this pass.
  let prefetched: { mode: PassPosition['mode']; pageToken: string; result: Promise<Fetched> } | undefined;
  try {
    for (;;) {
      if (budgetSpent(drive)) return false;
      const started = Date.now();
      const before = { ...session.limiter.stats };
      const ahead = prefetched;
      prefetched = undefined;
      let fetched: Fetched;
      if (ahead && ahead.mode === pass.mode && ahead.pageToken === pass.pageToken)
        fetched = await ahead.result;
      else {
        await ahead?.result; // a pass that restarted drops what was fetched ahead
        fetched = await fetchPage(pass, cursor);
      }
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
      if (page.nextPageToken !== null && roomForAnotherPage(drive)) {
        const next = { ...pass, pageToken: page.nextPageToken };
        prefetched = { mode: next.mode, pageToken: page.nextPageToken, result: fetchPage(next, cursor) };
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
      if (last) return true;
      pass = { ...pass, pageToken: page.nextPageToken, pagesDone: pass.pagesDone + 1 };
    }
  } finally {
    // a request still under way finishes inside this invocation (its limiter and breaker bookkeeping included)
    await prefetched?.result;
  }
}

import { randomUUID } from 'node:crypto';
import {
  type CursorRow,
  readCursor,
  refreshStatistics,
  startPass,
  storedCursor,
} from '../db/repositories/sync-cursors.js';
import { markProcessed } from '../db/repositories/sync-inbox.js';
import {
  acquireRunLease,
  completeRun,
  failRun,
  handOverLease,
  releaseLease,
  type SyncIntegrationRow,
  type SyncRunRow,
} from '../db/repositories/sync-runs.js';
import { type Tx, withTenant } from '../db/tenant.js';
import type { SyncObjectType } from '../domain/canonical.js';
import { logger } from '../observability/logger.js';
import { type ListPage, ProviderError, type SyncCursor } from '../ports/provider.js';
import { type RunRef, sendContinuation } from './continuation.js';
import type { SyncDependencies, WorkBudget } from './dependencies.js';
import { BreakerOpenError, IntegrationSetupError, LeaseLostError } from './errors.js';
import { type PassPosition, writePage } from './page-writer.js';
import { ProviderSession } from './provider-session.js';
import { rawPayloadKey, storeRawPage } from './raw-payloads.js';

export const SYNC_CONSUMER = 'sync-worker';
const OBJECT_ORDER: readonly SyncObjectType[] = ['job', 'candidate', 'application'];

export type DriveEntry =
  /** The run's `sync.requested` outbox message (recorded in the inbox). */
  | { kind: 'start'; outboxId: string }
  /** A continuation piece, presenting the lease token it was handed (null: take over an expired lease). */
  | { kind: 'continue'; leaseToken: string | null };

export type DriveOutcome =
  | 'succeeded'
  | 'partial'
  | 'failed'
  /** Handed to a continuation message (budget used up). */
  | 'continued'
  /** Parked: another run of the integration is active, or the breaker is open. */
  | 'deferred'
  /** Nothing to do: finished, or driven by another piece. */
  | 'skipped';

interface Drive {
  deps: SyncDependencies;
  run: SyncRunRow;
  ref: RunRef;
  integration: SyncIntegrationRow;
  token: string;
  budget: WorkBudget;
  pagesThisPiece: number;
  slowestPageMs: number;
}

/** First refresh after this many new rows in a piece, then every time the count has quadrupled. */
const ANALYZE_FIRST_AT = 1_000;

const tenant = <T>(deps: SyncDependencies, organizationId: string, fn: (tx: Tx) => Promise<T>) =>
  withTenant(deps.sql, organizationId, 'worker', fn);

const shortError = (error: unknown): string =>
  error instanceof ProviderError
    ? `${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`.slice(0, 300)
    : error instanceof Error
      ? `${error.name}: ${error.message}`.slice(0, 300)
      : 'unknown error';

/**
 * Drives one sync run for as long as this piece's budget allows: per object type (jobs, candidates,
 * applications), a full or incremental pass of pages, each page written and checkpointed in one transaction.
 * When the budget is spent the lease is handed to a continuation message; when the run is done it is
 * completed with its events. Retryable provider failures give the lease back and throw, so SQS redelivers
 * and the next piece resumes from the last stored page.
 */
export async function driveSync(
  deps: SyncDependencies,
  target: RunRef,
  entry: DriveEntry,
  budget: WorkBudget,
): Promise<DriveOutcome> {
  const token = randomUUID();
  const now = deps.clock.now();
  const lease = await tenant(deps, target.organizationId, async (tx) => {
    if (entry.kind === 'start') await markProcessed(tx, SYNC_CONSUMER, `outbox:${entry.outboxId}`);
    return acquireRunLease(tx, {
      runId: target.syncRunId,
      integrationId: target.integrationId,
      presentedToken: entry.kind === 'continue' ? entry.leaseToken : null,
      newToken: token,
      now,
      leaseMs: deps.options.leaseMs,
    });
  });
  if (lease.kind === 'finished' || lease.kind === 'owned') return 'skipped';
  const ref: RunRef = { ...target, mode: lease.run.mode };
  if (lease.kind === 'busy') {
    const delay = deps.options.busyRetrySeconds;
    const parked = await tenant(deps, target.organizationId, (tx) =>
      handOverLease(tx, {
        runId: target.syncRunId,
        currentToken: entry.kind === 'continue' ? entry.leaseToken : null,
        nextToken: token,
        until: new Date(now.getTime() + delay * 1000 + deps.options.leaseMs),
      }),
    );
    if (!parked) return 'skipped';
    await sendContinuation(deps, ref, token, undefined, delay);
    return 'deferred';
  }

  const drive: Drive = {
    deps,
    run: lease.run,
    ref,
    integration: lease.integration,
    token,
    budget,
    pagesThisPiece: 0,
    slowestPageMs: 0,
  };
  try {
    return await driveAcquired(drive);
  } catch (error) {
    if (error instanceof LeaseLostError) return 'skipped';
    await tenant(deps, target.organizationId, (tx) =>
      releaseLease(tx, { runId: target.syncRunId, token, now: deps.clock.now() }),
    ).catch(() => undefined);
    throw error;
  }
}

async function fail(drive: Drive, message: string): Promise<DriveOutcome> {
  const { deps, ref } = drive;
  await tenant(deps, ref.organizationId, (tx) =>
    failRun(tx, {
      runId: ref.syncRunId,
      token: drive.token,
      provider: drive.integration.provider,
      now: deps.clock.now(),
      error: message,
    }),
  );
  logger.warn('sync run failed', {
    syncRunId: ref.syncRunId,
    integrationId: ref.integrationId,
    error: message,
  });
  return 'failed';
}

/** Hands the lease over and sends the next piece; the message carries the new token. */
async function handOver(
  drive: Drive,
  objectType: SyncObjectType | undefined,
  delaySeconds: number,
): Promise<void> {
  const { deps, ref } = drive;
  const next = randomUUID();
  const until = new Date(deps.clock.now().getTime() + delaySeconds * 1000 + deps.options.leaseMs);
  const ok = await tenant(deps, ref.organizationId, (tx) =>
    handOverLease(tx, { runId: ref.syncRunId, currentToken: drive.token, nextToken: next, until }),
  );
  if (!ok) throw new LeaseLostError();
  drive.token = next;
  try {
    await sendContinuation(deps, ref, next, objectType, delaySeconds);
  } catch (error) {
    // nobody will present `next`: give it up so the redelivered message takes over at once
    await tenant(deps, ref.organizationId, (tx) =>
      releaseLease(tx, { runId: ref.syncRunId, token: next, now: deps.clock.now() }),
    );
    throw error;
  }
}

/** Whether one more page would still fit this piece once the current one is written (see budgetSpent). */
function roomForAnotherPage(drive: Drive): boolean {
  const { options } = drive.deps;
  if (drive.pagesThisPiece + 1 >= options.maxPagesPerInvocation) return false;
  return drive.budget.remainingMs() >= options.reserveMs + 3 * drive.slowestPageMs;
}

type Fetched = { ok: true; page: ListPage } | { ok: false; error: unknown };

function budgetSpent(drive: Drive): boolean {
  const { options } = drive.deps;
  if (drive.pagesThisPiece >= options.maxPagesPerInvocation) return true;
  return (
    drive.budget.remainingMs() < options.reserveMs + (drive.pagesThisPiece > 0 ? 2 * drive.slowestPageMs : 0)
  );
}

async function driveAcquired(drive: Drive): Promise<DriveOutcome> {
  const { deps, integration } = drive;
  if (!integration.enabled) return fail(drive, 'integration disabled');
  let session: ProviderSession;
  try {
    session = await ProviderSession.open(deps, integration);
  } catch (error) {
    if (error instanceof IntegrationSetupError || error instanceof ProviderError)
      return fail(drive, shortError(error));
    throw error;
  }
  const objects = OBJECT_ORDER.filter((o) => session.client.capabilities.objects.includes(o));
  try {
    for (const objectType of objects) {
      const finished = await syncObject(drive, session, objectType);
      if (!finished) {
        await handOver(drive, objectType, 0);
        return 'continued';
      }
    }
  } catch (error) {
    if (error instanceof BreakerOpenError) {
      const seconds = Math.max(1, Math.ceil((error.openUntil.getTime() - deps.clock.now().getTime()) / 1000));
      await handOver(drive, undefined, Math.min(900, seconds));
      return 'deferred';
    }
    if (error instanceof ProviderError && error.kind !== 'transient' && error.kind !== 'rate_limited') {
      return fail(drive, shortError(error));
    }
    throw error;
  }
  const done = await tenant(deps, drive.ref.organizationId, (tx) =>
    completeRun(tx, {
      runId: drive.ref.syncRunId,
      token: drive.token,
      provider: integration.provider,
      now: deps.clock.now(),
    }),
  );
  if (!done) return 'skipped';
  return done.status;
}

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
async function syncObject(
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
            // the provider refused the stored cursor: forget it and read everything (providers.md §0.8)
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

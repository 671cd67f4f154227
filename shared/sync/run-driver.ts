import { randomUUID } from 'node:crypto';
import { markProcessed } from '../db/repositories/sync-inbox.js';
import {
  acquireRunLease,
  completeRun,
  failRun,
  handOverLease,
  releaseLease,
} from '../db/repositories/sync-runs.js';
import { type SyncObjectType, syncObjectTypes } from '../domain/canonical.js';
import { logger } from '../observability/logger.js';
import { ProviderError } from '../ports/provider.js';
import { objectsToSync } from '../providers/common/sync-settings.js';
import { type RunRef, sendContinuation } from './continuation.js';
import type { SyncDependencies, WorkBudget } from './dependencies.js';
import { type Drive, tenant } from './drive.js';
import { BreakerOpenError, IntegrationSetupError, LeaseLostError } from './errors.js';
import { syncObject } from './object-pass.js';
import { PagesAhead } from './page-ahead.js';
import { ProviderSession } from './provider-session.js';

export const SYNC_CONSUMER = 'sync-worker';
/** Parents before what hangs off them: the full ATS record resolves its applications and candidates by ref. */
const OBJECT_ORDER: readonly SyncObjectType[] = syncObjectTypes;

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
  const offered = OBJECT_ORDER.filter((o) => session.client.capabilities.objects.includes(o));
  const objects = objectsToSync(offered, integration.settings);
  const pages = new PagesAhead(drive, session, objects);
  try {
    for (const objectType of objects) {
      const finished = await syncObject(drive, session, pages, objectType);
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
  } finally {
    // each pass settles what it fetched ahead unless the next pass takes it: nothing outlives the invocation
    await pages.settle();
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

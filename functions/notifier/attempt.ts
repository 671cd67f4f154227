import { withTenant } from '../../shared/db/tenant.js';
import { postJson } from '../../shared/notifications/http-client.js';
import {
  type AttemptRecord,
  type ClaimedDelivery,
  claimDelivery,
  disableSubscription,
  failPendingOfSubscription,
  recordAttempt,
} from '../../shared/notifications/repository.js';
import {
  type AttemptVerdict,
  hopDelaySeconds,
  judgeOutcome,
  retryDelaySeconds,
} from '../../shared/notifications/retry.js';
import type { WakeTarget } from '../../shared/notifications/wake.js';
import { logger } from '../../shared/observability/logger.js';
import { buildRequest, RequestSetupError } from './request.js';
import type { NotifierDependencies, StepResult } from './use-case.js';
import { DUE_SLACK_MS, sendOrRelease } from './wake-up.js';

/** An attempt owns its delivery this long: more than the function's 30 s timeout, so it never overlaps. */
const LEASE_MS = 60_000;

/** Claims one due delivery, sends it and records the verdict (delivered, retry later, failed). */
export async function attempt(
  deps: NotifierDependencies,
  organizationId: string,
  deliveryId: string,
  target: WakeTarget,
): Promise<StepResult> {
  const startedAt = deps.clock.now();
  const claim = await withTenant(deps.sql, organizationId, 'worker', (tx) =>
    claimDelivery(tx, deliveryId, {
      now: startedAt,
      dueBy: new Date(startedAt.getTime() + DUE_SLACK_MS),
      lockedUntil: new Date(startedAt.getTime() + LEASE_MS),
    }),
  );
  if (!claim) return 'skipped';
  let verdict: AttemptVerdict;
  if (!claim.enabled) {
    verdict = { kind: 'gone', statusCode: 0, error: 'subscription disabled' };
  } else {
    try {
      const request = await buildRequest(deps, organizationId, claim);
      const outcome = await postJson(request, {
        allowLoopback: deps.config.allowLoopback,
        timeoutMs: deps.config.requestTimeoutMs,
        ...(deps.resolve ? { resolve: deps.resolve } : {}),
      });
      verdict = judgeOutcome(outcome, deps.clock.now(), deps.config.requestTimeoutMs);
    } catch (error) {
      verdict = {
        kind: 'retry',
        statusCode: null,
        error:
          error instanceof RequestSetupError ? error.message : 'internal error while preparing the request',
        retryAfterSeconds: undefined,
      };
      if (!(error instanceof RequestSetupError))
        logger.error('notify: request preparation failed', { deliveryId, errorName: (error as Error).name });
    }
  }
  return finish(deps, organizationId, claim, verdict, target);
}

async function finish(
  deps: NotifierDependencies,
  organizationId: string,
  claim: ClaimedDelivery,
  verdict: AttemptVerdict,
  target: WakeTarget,
): Promise<StepResult> {
  const finishedAt = deps.clock.now();
  const lease = { id: claim.id, lockedUntil: claim.locked_until };
  let record: AttemptRecord;
  let result: StepResult;
  if (verdict.kind === 'delivered') {
    record = { status: 'delivered', statusCode: verdict.statusCode };
    result = 'delivered';
  } else if (verdict.kind === 'gone') {
    record = { status: 'failed', statusCode: verdict.statusCode || null, error: verdict.error };
    result = 'failed';
  } else {
    const delay = retryDelaySeconds(
      claim.attempts - claim.schedule_offset,
      verdict.retryAfterSeconds,
      deps.random,
    );
    if (delay === null) {
      record = {
        status: 'failed',
        statusCode: verdict.statusCode,
        error: `${verdict.error}; retries exhausted`,
      };
      result = 'failed';
    } else {
      const nextAttemptAt = new Date(finishedAt.getTime() + delay * 1000);
      const hop = hopDelaySeconds(finishedAt, nextAttemptAt);
      record = {
        status: 'pending',
        statusCode: verdict.statusCode,
        error: verdict.error,
        nextAttemptAt,
        wakeAt: new Date(finishedAt.getTime() + hop * 1000),
      };
      result = 'retry_scheduled';
    }
  }
  const written = await withTenant(deps.sql, organizationId, 'worker', async (tx) => {
    const ok = await recordAttempt(tx, lease, record, finishedAt);
    if (ok && verdict.kind === 'gone' && claim.enabled) {
      await disableSubscription(tx, claim.subscription_id, 'endpoint_gone', finishedAt);
      await failPendingOfSubscription(
        tx,
        claim.subscription_id,
        'subscription disabled after 410 Gone',
        finishedAt,
      );
    }
    return ok;
  });
  logger.info('notification attempt', {
    deliveryId: claim.id,
    subscriptionId: claim.subscription_id,
    kind: claim.kind,
    eventType: claim.event_type,
    attempt: claim.attempts,
    statusCode: verdict.statusCode,
    result,
  });
  if (!written) {
    logger.warn('notify: attempt result not recorded; the delivery was taken over', { deliveryId: claim.id });
    return 'skipped';
  }
  if (verdict.kind === 'gone' && claim.enabled) {
    logger.warn('subscription disabled: endpoint answered 410 Gone', {
      subscriptionId: claim.subscription_id,
    });
  }
  if (record.status === 'failed' && verdict.kind === 'retry') {
    logger.warn('notification delivery failed for good', {
      deliveryId: claim.id,
      subscriptionId: claim.subscription_id,
    });
  }
  if (record.status === 'pending') {
    await sendOrRelease(deps, target, hopDelaySeconds(finishedAt, record.wakeAt), record.wakeAt);
  }
  return result;
}

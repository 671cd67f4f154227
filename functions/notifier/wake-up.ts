import { withTenant } from '../../shared/db/tenant.js';
import { claimWake, releaseWake } from '../../shared/notifications/repository.js';
import { sendWakeMessages, type WakeTarget } from '../../shared/notifications/wake.js';
import type { NotifierDependencies, StepResult } from './use-case.js';

/** A delivery due within this much is attempted now (SQS delays and clocks are not exact to the ms). */
export const DUE_SLACK_MS = 2_000;

/** The queue refused a wake-up: the message fails, so SQS brings it back (the sweep is the backstop). */
export class WakeUpNotSentError extends Error {
  constructor(readonly deliveryIds: string[]) {
    super('wake-up message not accepted by the queue');
    this.name = 'WakeUpNotSentError';
  }
}

/** Sends the delayed message that brings this delivery back, unless one is already on its way. */
export async function wake(
  deps: NotifierDependencies,
  target: WakeTarget,
  now: Date,
  delaySeconds: number,
): Promise<StepResult> {
  const wakeAt = new Date(now.getTime() + delaySeconds * 1000);
  const claimed = await withTenant(deps.sql, target.organizationId, 'worker', (tx) =>
    claimWake(tx, target.deliveryId, { now, reachedBy: new Date(now.getTime() + DUE_SLACK_MS), wakeAt }),
  );
  if (!claimed) return 'waiting';
  await sendOrRelease(deps, target, delaySeconds, wakeAt);
  return 'woken_later';
}

export async function sendOrRelease(
  deps: NotifierDependencies,
  target: WakeTarget,
  delaySeconds: number,
  wakeAt: Date,
) {
  const failed = await sendWakeMessages(deps.queue, [{ target, delaySeconds }]);
  if (failed.length === 0) return;
  await withTenant(deps.sql, target.organizationId, 'worker', (tx) =>
    releaseWake(tx, target.deliveryId, wakeAt),
  ).catch(() => {});
  // the record fails and SQS brings this message back; the sweep is the backstop
  throw new WakeUpNotSentError(failed);
}

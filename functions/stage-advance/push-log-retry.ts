/**
 * POST /push-log/{id}/retry (docs/api.md, "Operations"): a failed push of the push log, of any kind, is pending
 * again and its event goes to the sync worker at once. A submission is the write-back's own retry
 * (POST /applications/{id}/push); a status, note or tag push is re-armed in its row and re-run from its original
 * outbox event, so the worker's lease and the note lookup before a repeated create still hold.
 */
import type { PushRetried } from '../../shared/api/console.js';
import { rearmFailedPush, submissionPushState } from '../../shared/db/repositories/push-retry.js';
import { withCaller } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import { publishSoon } from '../../shared/outbox/publisher.js';
import { PUSH_CONSUMER } from '../../shared/sync/status-push.js';
import { type PushRetryDependencies, retryPush } from './use-case.js';

type Kind = PushRetried['kind'];

const notFailed = (kind: Kind, status: string) =>
  new DomainError('PUSH_NOT_FAILED', `the ${kind} push is ${status}, not failed`, { status });

export async function retryPushLogEntry(
  deps: PushRetryDependencies,
  principal: Principal,
  id: string,
): Promise<PushRetried> {
  const [kind, rowId] = id.split(':') as [Kind, string];
  if (kind === 'submission') {
    const state = await withCaller(deps.sql, principal, (tx) => submissionPushState(tx, rowId));
    if (state === undefined) throw notFound('push');
    // the write-back's retry also takes a submission still waiting (docs/write-back.md)
    if (state !== 'failed' && state !== 'pending')
      throw notFailed(kind, state === 'pushed' ? 'succeeded' : state);
    await retryPush(deps, principal, rowId);
    return { id, kind, status: 'pending' };
  }
  const rearmed = await withCaller(deps.sql, principal, (tx) =>
    rearmFailedPush(tx, { kind, rowId, now: deps.clock.now(), statusConsumer: PUSH_CONSUMER }),
  );
  if (!rearmed) throw notFound('push');
  if (rearmed.status !== 'failed') throw notFailed(kind, rearmed.status);
  await publishSoon(deps.sql, deps.queues, {
    organizationId: principal.organizationId,
    aggregateId: rearmed.aggregateId,
  });
  return { id, kind, status: 'pending' };
}

/**
 * Erasure requests, their progress, and the organization's retention settings (docs/privacy.md). The erasure itself
 * runs in erasure-worker; this records it once per candidate and queues it.
 */
import type { Sql } from 'postgres';
import type { EraseBody, RetentionBody } from '../../shared/api/privacy.js';
import type { QueueName } from '../../shared/config/resources.js';
import { withTenant } from '../../shared/db/tenant.js';
import { notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { Queue } from '../../shared/ports/queue.js';
import { type ErasureRow, findErasure, requestErasure } from '../../shared/privacy/erasure-repository.js';
import { enqueueErasure } from '../../shared/privacy/messages.js';
import { readRetention, writeRetention } from '../../shared/privacy/retention-settings.js';

export interface PrivacyDependencies {
  sql: Sql;
  queues: Readonly<Partial<Record<QueueName, Queue>>>;
  objectStore: ObjectStore;
  clock: Clock;
}

const asAdmin = <T>(
  deps: PrivacyDependencies,
  principal: Principal,
  fn: Parameters<typeof withTenant<T>>[3],
) => withTenant(deps.sql, principal.organizationId, principal.role, fn, { actorId: principal.keyId });

/** Records the erasure (the first request's, for a repeated one) and queues it until it is done. */
export async function eraseCandidate(
  deps: PrivacyDependencies,
  principal: Principal,
  candidateId: string,
  body: EraseBody,
): Promise<{ erasureId: string }> {
  const requested = await asAdmin(deps, principal, (tx) =>
    requestErasure(tx, {
      candidateId,
      keyId: principal.keyId,
      reason: body.reason,
      propagate: body.propagate,
      now: deps.clock.now(),
    }),
  );
  if (!requested) throw notFound('candidate');
  const { erasure } = requested;
  // a repeated request of an unfinished erasure queues it again: the worker's lease keeps two deliveries apart
  if (erasure.state !== 'done') {
    await enqueueErasure(deps.queues.privacy, {
      organizationId: principal.organizationId,
      erasureId: erasure.id,
    });
  }
  return { erasureId: erasure.id };
}

export function erasureView(row: ErasureRow) {
  return {
    id: row.id,
    candidateId: row.candidate_id,
    state: row.state,
    propagate: row.propagate,
    steps: row.steps,
    reappearances: row.reappearances,
    requestedAt: row.requested_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export async function getErasure(deps: PrivacyDependencies, principal: Principal, id: string) {
  const row = await asAdmin(deps, principal, (tx) => findErasure(tx, id));
  if (!row) throw notFound('erasure');
  return erasureView(row);
}

export function getRetention(deps: PrivacyDependencies, principal: Principal) {
  return asAdmin(deps, principal, (tx) => readRetention(tx));
}

export function putRetention(deps: PrivacyDependencies, principal: Principal, body: RetentionBody) {
  return asAdmin(deps, principal, (tx) => writeRetention(tx, body, deps.clock.now()));
}

import type { Sql } from 'postgres';
import type { StageMoveBody, StatusChangeBody } from '../../shared/api/applications.js';
import { iso } from '../../shared/api/views.js';
import type { QueueName } from '../../shared/config/resources.js';
import {
  type ApplicationState,
  applyChange,
  type ChangedApplication,
  findApplicationState,
  rejectionReasonExists,
  stageChangedPayload,
  statusChangedPayload,
} from '../../shared/db/repositories/applications.js';
import { requeueFailedPush } from '../../shared/db/repositories/submission-pushes.js';
import { type Tx, withCaller } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import {
  type Actor,
  type Decision,
  decideStageMove,
  decideStatusChange,
  findStage,
  type StageRef,
} from '../../shared/domain/pipeline.js';
import type { Principal } from '../../shared/http/types.js';
import { publishSoon } from '../../shared/outbox/publisher.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Queue } from '../../shared/ports/queue.js';

export interface StageAdvanceDependencies {
  sql: Sql;
  queues: Readonly<Partial<Record<QueueName, Queue>>>;
}

export interface PushRetryDependencies extends StageAdvanceDependencies {
  clock: Clock;
}

export interface TransitionResult {
  application: {
    id: string;
    jobId: string;
    candidateId: string;
    stage: string;
    status: string;
    source: string;
    version: number;
    createdAt: string;
  };
  transition: { from: string | null; to: string; at: string; by: string; note: string | null };
}

function enforce<T>(decision: Decision<T>): T {
  if (!decision.ok) throw new DomainError(decision.code, decision.reason);
  return decision.value;
}

async function loadVisible(tx: Tx, principal: Principal, id: string): Promise<ApplicationState> {
  const state = await findApplicationState(tx, id);
  // the portal sees only what its organization's portal submitted
  if (!state || (principal.role === 'portal' && state.source !== 'portal')) throw notFound('application');
  // an agency moves its own submissions with its portal key; a platform only reads (docs/parties.md)
  if (state.party === 'observer' || (state.party === 'submitter' && principal.role !== 'portal')) {
    throw notFound('application');
  }
  return state;
}

function view(changed: ChangedApplication, stage: StageRef) {
  return {
    id: changed.id,
    jobId: changed.job_id,
    candidateId: changed.candidate_id,
    stage: stage.name,
    status: changed.status,
    source: changed.source,
    version: changed.version,
    createdAt: iso(changed.created_at),
  };
}

export async function moveStage(
  deps: StageAdvanceDependencies,
  principal: Principal,
  applicationId: string,
  body: StageMoveBody,
): Promise<TransitionResult> {
  const actor: Actor = principal.role;
  const result = await withCaller(deps.sql, principal, async (tx) => {
    const state = await loadVisible(tx, principal, applicationId);
    if (body.expectedStage !== undefined && !findStage([state.stage], body.expectedStage)) {
      throw new DomainError('STAGE_CONFLICT', 'the application is no longer in the expected stage', {
        currentStage: state.stage.name,
      });
    }
    const target = findStage(state.stages, body.toStage);
    if (!target) {
      throw new DomainError('VALIDATION_FAILED', 'unknown stage', {
        issues: [{ path: 'body.toStage', message: 'not a stage of this application’s job' }],
      });
    }
    const outcome = enforce(decideStageMove(actor, state, target));
    const events = ['application.stage_changed'];
    if (actor === 'portal' && target.kind === 'client_endorsement') events.push('application.handoff');
    const by = { actorRole: principal.role, source: principal.role === 'portal' ? 'portal' : 'ats' };
    const changed = await applyChange(tx, {
      applicationId,
      expectedStageId: state.stage.id,
      expectedVersion: state.version,
      toStageId: target.id,
      toStatus: outcome.status,
      rejectionReasonId: null,
      ...by,
      actor: principal.keyId,
      note: body.note ?? null,
      eventTypes: events,
      eventPayload: stageChangedPayload(state, target, outcome.status, by),
    });
    if (!changed) throw new DomainError('STAGE_CONFLICT', 'a concurrent change won');
    return {
      application: view(changed, target),
      transition: {
        from: state.stage.name,
        to: target.name,
        at: iso(changed.updated_at),
        by: principal.role,
        note: body.note ?? null,
      },
    };
  });
  await publishSoon(deps.sql, deps.queues, {
    organizationId: principal.organizationId,
    aggregateId: applicationId,
  });
  return result;
}

export async function changeStatus(
  deps: StageAdvanceDependencies,
  principal: Principal,
  applicationId: string,
  body: StatusChangeBody,
): Promise<TransitionResult> {
  const result = await withCaller(deps.sql, principal, async (tx) => {
    const state = await loadVisible(tx, principal, applicationId);
    const status = enforce(decideStatusChange(principal.role, state, body.status));
    if (body.reasonId && !(await rejectionReasonExists(tx, body.reasonId))) {
      throw new DomainError('VALIDATION_FAILED', 'unknown rejection reason', {
        issues: [{ path: 'body.reasonId', message: 'no such rejection reason in this organization' }],
      });
    }
    const by = { actorRole: principal.role, source: 'ats' };
    const changed = await applyChange(tx, {
      applicationId,
      expectedStageId: state.stage.id,
      expectedVersion: state.version,
      toStageId: state.stage.id,
      toStatus: status,
      rejectionReasonId: body.reasonId ?? null,
      ...by,
      actor: principal.keyId,
      note: body.note ?? null,
      eventTypes: ['application.status_changed'],
      eventPayload: statusChangedPayload(state, status, body.reasonId ?? null, by),
    });
    if (!changed) throw new DomainError('STAGE_CONFLICT', 'a concurrent change won');
    return {
      application: view(changed, state.stage),
      transition: {
        from: state.status,
        to: status,
        at: iso(changed.updated_at),
        by: principal.role,
        note: body.note ?? null,
      },
    };
  });
  await publishSoon(deps.sql, deps.queues, {
    organizationId: principal.organizationId,
    aggregateId: applicationId,
  });
  return result;
}

/**
 * POST /applications/{id}/push: a failed (or waiting) push is pending again with a fresh budget, and its request is
 * relayed to the sync worker at once; the worker's lease keeps a concurrent attempt from running it twice.
 */
export async function retryPush(deps: PushRetryDependencies, principal: Principal, applicationId: string) {
  await withCaller(deps.sql, principal, async (tx) => {
    await loadVisible(tx, principal, applicationId);
    const requeued = await requeueFailedPush(tx, { applicationId, now: deps.clock.now() });
    if (!requeued) {
      throw new DomainError(
        'PUSH_NOT_APPLICABLE',
        'nothing to push: no push for this application, or already pushed',
      );
    }
  });
  await publishSoon(deps.sql, deps.queues, {
    organizationId: principal.organizationId,
    aggregateId: applicationId,
  });
  return { applicationId, state: 'pending' as const };
}

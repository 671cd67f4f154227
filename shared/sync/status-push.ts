import { insertImportLog } from '../db/repositories/sync-import-log.js';
import { markProcessed, wasProcessed } from '../db/repositories/sync-inbox.js';
import {
  claimPush,
  enabledIntegrations,
  finishPush,
  noteRefusedPush,
  type PushIntegration,
  pushRefs,
} from '../db/repositories/sync-push.js';
import { withTenant } from '../db/tenant.js';
import type { OutboxMessage } from '../messages/queue-messages.js';
import { logger } from '../observability/logger.js';
import { ProviderError, type WriteResult } from '../ports/provider.js';
import type { SyncDependencies } from './dependencies.js';
import { BreakerOpenError, IntegrationSetupError, RetryLaterError } from './errors.js';
import { ProviderSession } from './provider-session.js';

export const PUSH_CONSUMER = 'status-push';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLAIM_TTL_MS = 5 * 60_000;

type Operation =
  | { op: 'move'; toStageId: string; fromStageId: string | null }
  | { op: 'hire'; fromStageId: string | null }
  | { op: 'reject'; withdrawn: boolean; reasonId: string | null; stageId: string | null };

export type PushStatus = 'succeeded' | 'refused' | 'failed' | 'skipped' | 'pending';

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const uuid = (value: unknown): string | null => {
  const s = str(value);
  return s && UUID.test(s) ? s : null;
};

/** What a hub change asks of a provider; null for changes that are never pushed. */
export function operationOf(message: OutboxMessage): Operation | null {
  const p = message.payload;
  if (message.eventType === 'application.stage_changed') {
    const toStageId = uuid(p['toStageId']);
    if (!toStageId) return null;
    if (p['status'] === 'hired') return { op: 'hire', fromStageId: uuid(p['fromStageId']) };
    return { op: 'move', toStageId, fromStageId: uuid(p['fromStageId']) };
  }
  if (message.eventType === 'application.status_changed') {
    if (p['status'] !== 'rejected' && p['status'] !== 'withdrawn') return null;
    return {
      op: 'reject',
      withdrawn: p['status'] === 'withdrawn',
      reasonId: uuid(p['reasonId']),
      stageId: uuid(p['stageId']),
    };
  }
  return null;
}

/** A refused move whose guard found the application in the target stage already. */
function alreadyAtTarget(operation: Operation, result: WriteResult, toStageRemoteId: string | null): boolean {
  return (
    operation.op === 'move' &&
    !result.ok &&
    result.kind === 'refused' &&
    toStageRemoteId !== null &&
    result.currentStageRemoteId === toStageRemoteId
  );
}

async function supports(
  integration: PushIntegration,
  deps: SyncDependencies,
  operation: Operation,
): Promise<boolean> {
  const caps = (await deps.providers(integration.provider))?.capabilities;
  if (!caps) return false;
  return operation.op === 'move' ? caps.moveStage : operation.op === 'hire' ? caps.hire : caps.reject;
}

/**
 * Pushes one hub-made stage or status change to every enabled integration of the organization whose provider
 * supports it, skipping the provider the change came from (no echo). One status_push_log row per integration ×
 * outbox id: a final row is never pushed again. A refused write is recorded as `refused`, logged and surfaced on
 * the integration; a retryable failure leaves the row `pending` and throws RetryLaterError so SQS redelivers.
 */
export async function pushStatusChange(
  deps: SyncDependencies,
  message: OutboxMessage,
): Promise<Record<string, PushStatus>> {
  const operation = operationOf(message);
  const applicationId = uuid(message.payload['applicationId']) ?? message.aggregateId;
  const org = message.organizationId;
  const results: Record<string, PushStatus> = {};
  if (!operation) return results;
  const integrations = await withTenant(deps.sql, org, 'worker', async (tx) =>
    (await wasProcessed(tx, PUSH_CONSUMER, `outbox:${message.outboxId}`)) ? [] : enabledIntegrations(tx),
  );
  let retry: string | null = null;
  for (const integration of integrations) {
    const now = deps.clock.now();
    const claim = await withTenant(deps.sql, org, 'worker', (tx) =>
      claimPush(tx, {
        integrationId: integration.id,
        applicationId,
        outboxId: message.outboxId,
        now,
        staleBefore: new Date(now.getTime() - CLAIM_TTL_MS),
      }),
    );
    if (claim.kind === 'busy') {
      retry ??= 'another attempt is in progress';
      continue;
    }
    if (claim.kind === 'done') continue;
    const finish = (
      status: PushStatus,
      error: string | null,
      response: Record<string, unknown> | null = null,
    ) =>
      withTenant(deps.sql, org, 'worker', async (tx) => {
        await finishPush(tx, {
          integrationId: integration.id,
          outboxId: message.outboxId,
          status,
          error,
          response,
          now: deps.clock.now(),
        });
        if (status === 'refused') {
          await noteRefusedPush(tx, {
            integrationId: integration.id,
            applicationId,
            outboxId: message.outboxId,
            message: error ?? 'refused',
            now: deps.clock.now(),
          });
          await insertImportLog(tx, { integrationId: integration.id, syncRunId: null }, [
            {
              objectType: 'application',
              remoteId: null,
              action: 'skipped',
              message: `status push of outbox ${message.outboxId} refused: ${error ?? ''}`,
            },
          ]);
        }
        results[integration.id] = status;
      });
    if (str(message.payload['source']) === integration.provider) {
      await finish('skipped', 'the change came from this provider');
      continue;
    }
    if (!(await supports(integration, deps, operation))) {
      await finish('skipped', `${integration.provider} does not support ${operation.op}`);
      continue;
    }
    const refs = await withTenant(deps.sql, org, 'worker', (tx) =>
      pushRefs(tx, {
        integrationId: integration.id,
        applicationId,
        toStageId: operation.op === 'move' ? operation.toStageId : null,
        fromStageId: operation.op === 'reject' ? operation.stageId : operation.fromStageId,
        reasonId: operation.op === 'reject' ? operation.reasonId : null,
      }),
    );
    if (!refs.application_remote_id) {
      await finish('skipped', 'application is not linked to this integration');
      continue;
    }
    if (operation.op === 'move' && !refs.to_stage_remote_id) {
      await finish('skipped', 'no provider stage mapped to the target stage');
      continue;
    }
    const applicationRemoteId = refs.application_remote_id;
    let result: WriteResult;
    try {
      const session = await ProviderSession.open(deps, { ...integration, organization_id: org });
      result = await session.call((client) => {
        if (operation.op === 'move') {
          return client.moveStage({
            applicationRemoteId,
            jobRemoteId: refs.job_remote_id,
            fromStageRemoteId: refs.from_stage_remote_id,
            toStageRemoteId: refs.to_stage_remote_id!,
            candidateRemoteId: refs.candidate_remote_id,
          });
        }
        if (operation.op === 'hire')
          return client.hire({ applicationRemoteId, fromStageRemoteId: refs.from_stage_remote_id });
        return client.reject({
          applicationRemoteId,
          reasonRemoteId: refs.reason_remote_id,
          note: null,
          withdrawn: operation.withdrawn,
        });
      });
    } catch (error) {
      if (
        error instanceof BreakerOpenError ||
        (error instanceof ProviderError && (error.kind === 'transient' || error.kind === 'rate_limited'))
      ) {
        await finish(
          'pending',
          error instanceof ProviderError ? `${error.kind}: ${error.message}` : error.message,
        );
        retry ??= error.message;
        continue;
      }
      if (error instanceof ProviderError && error.kind === 'refused') {
        await finish('refused', error.message);
        continue;
      }
      if (error instanceof ProviderError || error instanceof IntegrationSetupError) {
        await finish('failed', error.message);
        continue;
      }
      throw error;
    }
    if (result.ok) await finish('succeeded', null, result.detail ?? {});
    else if (alreadyAtTarget(operation, result, refs.to_stage_remote_id)) {
      // a retry (after a timeout) of a move that had landed: the guard refuses, the provider is where we want it
      await finish('succeeded', null, { alreadyInTargetStage: true });
    } else if (result.kind === 'refused')
      await finish('refused', result.message, result.status ? { status: result.status } : null);
    else await finish('skipped', result.message);
  }
  if (retry) {
    logger.info('status push will be retried', { outboxId: message.outboxId });
    throw new RetryLaterError(`status push pending: ${retry}`);
  }
  await withTenant(deps.sql, org, 'worker', (tx) =>
    markProcessed(tx, PUSH_CONSUMER, `outbox:${message.outboxId}`),
  );
  return results;
}

import { softDeleteByRemoteIds } from '../db/repositories/sync-deletions.js';
import { type ImportLogEntry, insertImportLog } from '../db/repositories/sync-import-log.js';
import { markProcessed } from '../db/repositories/sync-inbox.js';
import type { SyncScope } from '../db/repositories/sync-jobs.js';
import {
  finishDelivery,
  localIdOf,
  lockDelivery,
  moveApplicationsToCandidate,
  stageOfApplicationJob,
  type WebhookIntegration,
  webhookIntegration,
} from '../db/repositories/sync-webhooks.js';
import { type Tx, withTenant } from '../db/tenant.js';
import type { CanonicalWebhookEvent } from '../domain/canonical.js';
import type { WebhookMessage } from '../messages/queue-messages.js';
import { logger } from '../observability/logger.js';
import { applyApplications, applyCandidates, applyRecords } from './apply-records.js';
import type { SyncDependencies } from './dependencies.js';
import { applyProviderChange, type ChangeOutcome, type ProviderChange } from './provider-change.js';
import { needsReadBack, type ReadBack, readBack, withReadBack } from './webhook-reread.js';

export const WEBHOOK_CONSUMER = 'webhook-apply';

export type DeliveryOutcome = 'applied' | 'ignored' | 'failed' | 'duplicate' | 'missing';

type EventOutcome = { applied: boolean; log: ImportLogEntry[] };

const noop: EventOutcome = { applied: false, log: [] };

function logChange(objectType: string, remoteId: string, outcome: ChangeOutcome): EventOutcome {
  if (outcome.outcome === 'applied') return { applied: true, log: [] };
  if (outcome.outcome === 'unchanged') return noop;
  return { applied: false, log: [{ objectType, remoteId, action: 'skipped', message: outcome.reason }] };
}

const timestamp = (value: string): Date | null => {
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
};

const skippedApplication = (remoteId: string, message: string): EventOutcome => ({
  applied: false,
  log: [{ objectType: 'application', remoteId, action: 'skipped', message }],
});

/** The hub-side change a stage or status event asks for; undefined when the stage is not on the application's job. */
async function changeOf(
  tx: Tx,
  scope: SyncScope,
  applicationId: string,
  event: Extract<CanonicalWebhookEvent, { kind: 'application.stage_changed' | 'application.status_changed' }>,
): Promise<ProviderChange | undefined> {
  if (event.kind === 'application.status_changed')
    return event.status === 'active' ? { kind: 'reopen' } : { kind: 'status', status: event.status };
  // Greenhouse sends no previous stage: the hub's own current stage is the "from" (applyChange's expected stage)
  const toStageId = await stageOfApplicationJob(tx, {
    integrationId: scope.integrationId,
    applicationId,
    stageRemoteId: event.toStage.remoteId,
    stageName: event.toStage.name,
  });
  return toStageId ? { kind: 'stage', toStageId } : undefined;
}

async function applyEvent(tx: Tx, scope: SyncScope, event: CanonicalWebhookEvent): Promise<EventOutcome> {
  const deletion = { integrationId: scope.integrationId, syncRunId: null, now: scope.now };
  switch (event.kind) {
    case 'ping':
    case 'ignored':
      return noop;
    case 'application.stage_changed':
    case 'application.status_changed': {
      const applicationId = await localIdOf(
        tx,
        scope.integrationId,
        'application',
        event.applicationRemoteId,
      );
      if (!applicationId) return skippedApplication(event.applicationRemoteId, 'application not synced yet');
      const change = await changeOf(tx, scope, applicationId, event);
      if (!change) return skippedApplication(event.applicationRemoteId, 'stage not found on the job');
      const outcome = await applyProviderChange(tx, {
        applicationId,
        change,
        provider: scope.provider,
        sourceTimestamp: timestamp(event.occurredAt),
      });
      return logChange('application', event.applicationRemoteId, outcome);
    }
    case 'application.upserted': {
      const log: ImportLogEntry[] = [];
      let applied = false;
      if (event.candidate) {
        const c = await applyCandidates(tx, scope, [event.candidate]);
        applied ||= c.created + c.updated > 0;
        log.push(...c.log);
      }
      const application = {
        ...event.application,
        remoteUpdatedAt: event.application.remoteUpdatedAt ?? event.occurredAt,
      };
      const a = await applyApplications(tx, scope, [application]);
      log.push(...a.log);
      return { applied: applied || a.created + a.updated > 0, log };
    }
    case 'candidate.upserted': {
      const c = await applyCandidates(tx, scope, [
        { ...event.candidate, remoteUpdatedAt: event.candidate.remoteUpdatedAt ?? event.occurredAt },
      ]);
      return { applied: c.created + c.updated > 0, log: c.log };
    }
    case 'application.deleted': {
      const n = await softDeleteByRemoteIds(tx, 'application', [event.applicationRemoteId], {
        ...deletion,
        reason: 'delete webhook',
      });
      return { applied: n > 0, log: [] };
    }
    case 'record.upserted': {
      const outcome = await applyRecords(tx, scope, event.object.objectType, [
        { ...event.object.record, remoteUpdatedAt: event.object.record.remoteUpdatedAt ?? event.occurredAt },
      ] as never);
      return { applied: outcome.created + outcome.updated > 0, log: outcome.log };
    }
    case 'record.deleted': {
      // the event's time guards the delete like an upsert: a row the provider changed later stays
      const n = await softDeleteByRemoteIds(tx, event.objectType, [event.remoteId], {
        ...deletion,
        reason: 'delete webhook',
        eventAt: timestamp(event.occurredAt),
      });
      return { applied: n > 0, log: [] };
    }
    case 'record.reread':
      // replaced by what was read back before the transaction (withReadBack); never reaches here
      return noop;
    case 'candidate.deleted': {
      const n = await softDeleteByRemoteIds(tx, 'candidate', [event.candidateRemoteId], {
        ...deletion,
        reason: 'delete webhook',
      });
      return { applied: n > 0, log: [] };
    }
    case 'candidate.merged': {
      const survivor = await localIdOf(
        tx,
        scope.integrationId,
        'candidate',
        event.survivingCandidateRemoteId,
      );
      const merged: string[] = [];
      for (const remoteId of event.mergedCandidateRemoteIds) {
        const local = await localIdOf(tx, scope.integrationId, 'candidate', remoteId);
        if (local && local !== survivor) merged.push(local);
      }
      let n = 0;
      if (survivor && merged.length > 0)
        n += await moveApplicationsToCandidate(tx, {
          fromCandidateIds: merged,
          toCandidateId: survivor,
          now: scope.now,
        });
      n += await softDeleteByRemoteIds(tx, 'application', event.deletedApplicationRemoteIds, {
        ...deletion,
        reason: 'merge webhook',
      });
      n += await softDeleteByRemoteIds(
        tx,
        'candidate',
        event.mergedCandidateRemoteIds.filter((id) => id !== event.survivingCandidateRemoteId),
        { ...deletion, reason: 'merged into another candidate' },
      );
      return { applied: n > 0, log: [] };
    }
  }
}

/** The delivery's canonical events; null when its body cannot be parsed. */
async function parseDelivery(
  deps: Pick<SyncDependencies, 'providers'>,
  delivery: { provider: string; payload: string },
): Promise<CanonicalWebhookEvent[] | null> {
  const verifier = (await deps.providers(delivery.provider))?.webhookVerifier;
  if (!verifier) return null;
  try {
    return verifier.parse(Buffer.from(delivery.payload, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Applies one recorded webhook delivery at most once: the delivery row is locked, its status must still be
 * `received`, and the inbox key is written in the same transaction as every effect. Events are applied with
 * the out-of-order guard and the ATS rules; a skipped change is logged, never thrown. An unparseable body is
 * marked `failed` (permanent: not retried). A delivery that names records without their content has them read
 * back from the provider first (shared/sync/webhook-reread.ts), then applied in the same single transaction.
 */
export async function applyWebhookDelivery(
  deps: SyncDependencies,
  message: WebhookMessage,
): Promise<DeliveryOutcome> {
  let read: ReadBack | undefined;
  for (;;) {
    const outcome = await applyOnce(deps, message, read);
    if (typeof outcome === 'string') return outcome;
    // the delivery names records without their content: read them back outside any transaction, then apply
    read = await readBack(deps, outcome.integration, outcome.events);
  }
}

type ReadBackNeeded = { integration: WebhookIntegration; events: CanonicalWebhookEvent[] };

/** One attempt; asks for a read-back (writing nothing) when the delivery needs one that was not done yet. */
async function applyOnce(
  deps: Pick<SyncDependencies, 'sql' | 'providers' | 'clock'>,
  message: WebhookMessage,
  read: ReadBack | undefined,
): Promise<DeliveryOutcome | ReadBackNeeded> {
  return withTenant(deps.sql, message.organizationId, 'worker', async (tx) => {
    const delivery = await lockDelivery(tx, message.integrationId, message.deliveryRowId);
    if (!delivery) return 'missing';
    if (delivery.status !== 'received') return 'duplicate';
    const parsed = await parseDelivery(deps, delivery);
    if (parsed && !read && needsReadBack(parsed)) {
      const integration = await webhookIntegration(tx, message.integrationId);
      if (integration) return { integration, events: parsed };
    }
    if (!(await markProcessed(tx, WEBHOOK_CONSUMER, `delivery:${delivery.id}`))) return 'duplicate';
    const now = deps.clock.now();
    const scope: SyncScope = {
      organizationId: message.organizationId,
      integrationId: message.integrationId,
      provider: delivery.provider,
      syncRunId: null,
      now,
    };
    if (!parsed) {
      await insertImportLog(tx, scope, [
        {
          objectType: 'webhook',
          remoteId: null,
          action: 'failed',
          message: `delivery ${delivery.id} could not be parsed`,
        },
      ]);
      await finishDelivery(tx, delivery.id, 'failed', now);
      logger.warn('webhook delivery unparseable', {
        deliveryRowId: delivery.id,
        integrationId: message.integrationId,
      });
      return 'failed';
    }
    let applied = false;
    const { events, log } = withReadBack(parsed, read ?? new Map());
    for (const event of events) {
      const outcome = await applyEvent(tx, scope, event);
      applied ||= outcome.applied;
      log.push(...outcome.log);
    }
    await insertImportLog(tx, scope, log);
    const status = applied ? 'applied' : 'ignored';
    await finishDelivery(tx, delivery.id, status, now);
    return status;
  });
}

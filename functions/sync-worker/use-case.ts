import type { QueueName } from '../../shared/config/resources.js';
import { syncRequested } from '../../shared/messages/events.js';
import type { HubMessage, OutboxMessage } from '../../shared/messages/queue-messages.js';
import { logger } from '../../shared/observability/logger.js';
import { publishSoon } from '../../shared/outbox/publisher.js';
import type { Queue } from '../../shared/ports/queue.js';
import type { SyncDependencies, WorkBudget } from '../../shared/sync/dependencies.js';
import { pushAgain } from '../../shared/sync/push-retry.js';
import { pushRecord, RECORD_PUSH_EVENTS } from '../../shared/sync/record-push.js';
import { type DriveOutcome, driveSync } from '../../shared/sync/run-driver.js';
import { pushStatusChange } from '../../shared/sync/status-push.js';
import { pushSubmission } from '../../shared/sync/submission-push.js';
import { applyWebhookDelivery } from '../../shared/sync/webhook-apply.js';

export interface SyncWorkerDependencies extends SyncDependencies {
  /** For publishing a finished run's events at once; the scheduler relays whatever this misses. */
  queues?: Readonly<Partial<Record<QueueName, Queue>>>;
}

async function startRun(
  deps: SyncWorkerDependencies,
  message: OutboxMessage,
  budget: WorkBudget,
): Promise<DriveOutcome> {
  const payload = syncRequested.safeParse(message.payload);
  if (!payload.success) {
    logger.error('sync.requested without a valid payload; dropped', { outboxId: message.outboxId });
    return 'skipped';
  }
  return driveSync(
    deps,
    { organizationId: message.organizationId, ...payload.data },
    { kind: 'start', outboxId: message.outboxId },
    budget,
  );
}

/** Events that (re)start the write-back of a portal submission: created, resume scanned, retry asked. */
const SUBMISSION_PUSH_EVENTS = new Set([
  'application.created',
  'document.scanned',
  'application.push_requested',
]);

/**
 * One message of the sync queue: a sync request starts (or resumes) its run, a continuation carries a run
 * further, a stage or status change, a hub note or a tag change is pushed to the providers, a portal submission
 * is written back, a webhook delivery is applied. Each effect is guarded by an inbox row or a lease written in
 * the effect's own transaction; a throw means "redeliver".
 */
export async function handleSyncMessage(
  deps: SyncWorkerDependencies,
  message: HubMessage,
  budget: WorkBudget,
): Promise<string> {
  switch (message.type) {
    case 'outbox': {
      if (message.eventType === 'sync.requested') {
        const outcome = await startRun(deps, message, budget);
        if (outcome === 'succeeded' || outcome === 'partial' || outcome === 'failed') {
          await publishSoon(deps.sql, deps.queues, {
            organizationId: message.organizationId,
            aggregateId: message.aggregateId,
          });
        }
        return outcome;
      }
      if (
        message.eventType === 'application.stage_changed' ||
        message.eventType === 'application.status_changed'
      ) {
        await pushStatusChange(deps, message);
        return 'pushed';
      }
      if (SUBMISSION_PUSH_EVENTS.has(message.eventType)) {
        const outcome = await pushSubmission(deps, {
          organizationId: message.organizationId,
          applicationId: message.aggregateId,
        });
        // application.pushed / push_failed reach the subscribers at once; other outcomes wrote no event
        if (outcome === 'pushed' || outcome === 'failed') {
          await publishSoon(deps.sql, deps.queues, {
            organizationId: message.organizationId,
            aggregateId: message.aggregateId,
          });
        }
        return outcome;
      }
      if (RECORD_PUSH_EVENTS.has(message.eventType)) {
        await pushRecord(deps, message);
        return 'pushed';
      }
      if (message.eventType === 'push.retry_requested') return pushAgain(deps, message);
      return 'ignored';
    }
    case 'sync': {
      const outcome = await driveSync(
        deps,
        {
          organizationId: message.organizationId,
          integrationId: message.integrationId,
          syncRunId: message.syncRunId,
          mode: message.mode,
        },
        { kind: 'continue', leaseToken: message.pageToken ?? null },
        budget,
      );
      if (outcome === 'succeeded' || outcome === 'partial' || outcome === 'failed') {
        await publishSoon(deps.sql, deps.queues, {
          organizationId: message.organizationId,
          aggregateId: message.integrationId,
        });
      }
      return outcome;
    }
    case 'webhook':
      return applyWebhookDelivery(deps, message);
  }
}

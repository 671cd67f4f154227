import { randomUUID } from 'node:crypto';
import type { SyncObjectType } from '../domain/canonical.js';
import type { SyncMessage } from '../messages/queue-messages.js';
import type { SyncDependencies } from './dependencies.js';
import { RetryLaterError } from './errors.js';

export interface RunRef {
  organizationId: string;
  integrationId: string;
  syncRunId: string;
  mode: 'full' | 'incremental';
}

/**
 * Sends the next bounded piece of a run. `pageToken` carries the lease token this piece handed over (the
 * position itself lives in sync_cursors); `objectType` says which object was in progress.
 */
export async function sendContinuation(
  deps: Pick<SyncDependencies, 'syncQueue'>,
  run: RunRef,
  leaseToken: string,
  objectType: SyncObjectType | undefined,
  delaySeconds = 0,
): Promise<void> {
  if (!deps.syncQueue) throw new RetryLaterError('no sync queue to continue on');
  const message: SyncMessage = {
    type: 'sync',
    organizationId: run.organizationId,
    integrationId: run.integrationId,
    syncRunId: run.syncRunId,
    mode: run.mode,
    ...(objectType ? { objectType } : {}),
    pageToken: leaseToken,
  };
  const id = `c${randomUUID().replaceAll('-', '')}`;
  const result = await deps.syncQueue.sendBatch([
    {
      id,
      body: JSON.stringify(message),
      ...(delaySeconds > 0 ? { delaySeconds: Math.min(900, Math.ceil(delaySeconds)) } : {}),
    },
  ]);
  if (!result.successful.includes(id)) throw new RetryLaterError('continuation not accepted by the queue');
}

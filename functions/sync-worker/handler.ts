import { hubMessage } from '../../shared/messages/queue-messages.js';
import { findProvider } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { realSleep } from '../../shared/sync/dependencies.js';
import { syncOptions } from '../../shared/sync/options.js';
import { sqsHandler } from '../../shared/triggers/sqs-stack.js';
import { handleSyncMessage, type SyncWorkerDependencies } from './use-case.js';

const a = adapters();
const options = syncOptions();

/** Resolved per message from the (memoised, lazily connecting) adapters: building them does no I/O. */
function dependencies(): SyncWorkerDependencies {
  return {
    sql: a.sql(),
    objectStore: a.objectStore(),
    syncQueue: a.queues().sync,
    queues: a.queues(),
    secrets: a.secrets(),
    providers: findProvider,
    clock: a.clock,
    sleep: realSleep,
    options,
  };
}

export const handler = sqsHandler({
  name: 'sync-worker',
  schema: hubMessage,
  handle: async (message, { lambda }) => {
    await handleSyncMessage(dependencies(), message, {
      remainingMs: () => lambda.getRemainingTimeInMillis(),
    });
  },
});

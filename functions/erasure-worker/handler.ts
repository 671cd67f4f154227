import { runErasure } from '../../shared/privacy/erasure-run.js';
import { erasureMessage } from '../../shared/privacy/messages.js';
import { findProvider } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { realSleep } from '../../shared/sync/dependencies.js';
import { syncOptions } from '../../shared/sync/options.js';
import { sqsHandler } from '../../shared/triggers/sqs-stack.js';

const a = adapters();
const options = syncOptions();

export const handler = sqsHandler({
  name: 'erasure-worker',
  schema: erasureMessage,
  handle: async (message) => {
    await runErasure(
      {
        sql: a.sql(),
        objectStore: a.objectStore(),
        syncQueue: undefined,
        secrets: a.secrets(),
        providers: findProvider,
        clock: a.clock,
        sleep: realSleep,
        options,
      },
      message,
    );
  },
});

import { hubMessage } from '../../shared/messages/queue-messages.js';
import { notificationConfig } from '../../shared/notifications/config.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { sqsHandler } from '../../shared/triggers/sqs-stack.js';
import { handleNotifyMessage } from './use-case.js';

const deps = adapters();
const config = notificationConfig();

/**
 * The notify queue: outbox events to fan out and deliver, and wake-up messages for retries. Messages run
 * side by side (their HTTP attempts are independent); each one hands work that would not fit in the
 * invocation's remaining time to a wake-up message instead of starting it.
 */
export const handler = sqsHandler({
  name: 'notifier',
  schema: hubMessage,
  parallel: true,
  handle: async (message, { lambda }) => {
    await handleNotifyMessage(
      { sql: deps.sql(), secrets: deps.secrets(), queue: deps.queues().notify, clock: deps.clock, config },
      message,
      { remainingMs: () => lambda.getRemainingTimeInMillis() },
    );
  },
});

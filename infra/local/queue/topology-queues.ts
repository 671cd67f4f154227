import {
  type FunctionSpec,
  type QueueName,
  type QueueTrigger,
  queues as topologyQueues,
  visibilityTimeoutSeconds,
} from '../../topology.js';
import type { ConsumerOptions, SqsHandler } from './event-source-mapping.js';
import { LocalQueue, type LocalQueueOptions } from './local-queue.js';

/** The queue trigger of a topology function. */
export function queueTriggerOf(fn: FunctionSpec): QueueTrigger {
  const trigger = fn.triggers.find((t): t is QueueTrigger => t.type === 'queue');
  if (!trigger) throw new Error(`function ${fn.name} has no queue trigger`);
  return trigger;
}

/** Consumer options for a topology function from its queue trigger, timeout and memory. */
export function consumerOptionsFor(
  fn: FunctionSpec,
  handler: SqsHandler,
  extra: Pick<ConsumerOptions, 'contextFor' | 'onBatch'> = {},
): ConsumerOptions {
  const trigger = queueTriggerOf(fn);
  return {
    handler,
    batchSize: trigger.batchSize,
    maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
    maxConcurrency: trigger.maxConcurrency,
    functionName: fn.name,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
    ...extra,
  };
}

/** One LocalQueue (with its dead-letter queue) per topology queue, visibility timeouts per §1.2. */
export function createLocalQueues(
  options: Omit<
    LocalQueueOptions,
    'name' | 'visibilityTimeoutSeconds' | 'maxReceiveCount' | 'deadLetterQueue'
  > = {},
): Record<QueueName, LocalQueue> {
  const result = {} as Record<QueueName, LocalQueue>;
  for (const spec of topologyQueues) {
    result[spec.name] = new LocalQueue({
      ...options,
      name: spec.name,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(spec.name),
      maxReceiveCount: spec.maxReceiveCount,
    });
  }
  return result;
}

import { Duration, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { StageConfig } from '../config/stages.js';
import {
  eventRuleName,
  eventTriggers,
  type QueueName,
  queues as queueSpecs,
  visibilityTimeoutSeconds,
} from '../topology.js';
import { acknowledgeGuard } from './guard.js';
import { pascal } from './ids.js';
import { acknowledge } from './nag.js';

export interface HubQueue {
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
}

/**
 * The work queues of the topology, each with its redrive dead-letter queue, and the failed-invocations
 * queue (dead letters of schedules, EventBridge rule targets and asynchronous invocations). All encrypted
 * with the messaging key. Adds its resources straight to `scope` (no construct node of its own, so logical
 * IDs are those the stack always had).
 */
export function addHubQueues(
  scope: Stack,
  config: StageConfig,
  messagingKey: kms.Key,
): { queues: Record<QueueName, HubQueue>; failedInvocations: sqs.Queue } {
  const queueProps = {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: messagingKey,
    dataKeyReuse: Duration.hours(1),
    enforceSSL: true,
    removalPolicy: config.removalPolicy,
  };
  const queues = {} as Record<QueueName, HubQueue>;
  for (const spec of queueSpecs) {
    const deadLetterQueue = new sqs.Queue(scope, `${pascal(spec.name)}DeadLetterQueue`, {
      ...queueProps,
      retentionPeriod: Duration.days(14),
    });
    const queue = new sqs.Queue(scope, `${pascal(spec.name)}Queue`, {
      ...queueProps,
      // ≥ 6 × the consumer's timeout + its batching window (docs/reliability.md §1.2), computed by the topology
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(spec.name)),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
    });
    acknowledge(
      deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      `Dead-letter queue of the ${spec.name} queue (its redrive target); a DLQ has no DLQ of its own.`,
    );
    acknowledgeGuard(deadLetterQueue, 'CT.SQS.PR.1');
    queues[spec.name] = { queue, deadLetterQueue };
  }

  const failedInvocations = new sqs.Queue(scope, 'FailedInvocationsQueue', {
    ...queueProps,
    retentionPeriod: Duration.days(14),
  });
  // EventBridge rule targets (stateless stack) send undeliverable events here: a resource policy naming the
  // rules by ARN (their names are fixed by the topology, so no reference back to the stateless stack), and
  // the service may use the messaging key for this account only.
  const ruleArns = eventTriggers().map(({ fn, trigger }) =>
    scope.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: eventRuleName(config.name, fn, trigger),
    }),
  );
  if (ruleArns.length > 0) {
    failedInvocations.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowHubEventRulesToDeadLetter',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [failedInvocations.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArns } },
      }),
    );
    messagingKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToUseTheKeyForDeadLetters',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': scope.account } },
      }),
    );
  }
  acknowledge(
    failedInvocations,
    'AwsSolutions-SQS3',
    'This queue is itself a dead-letter queue: the DLQ of the EventBridge Scheduler and rule targets and of ' +
      'the asynchronously invoked (scheduled, event-driven) functions. Those are not SQS redrive sources, so the rule cannot see it.',
  );
  acknowledge(
    failedInvocations,
    'Serverless-SQSRedrivePolicy',
    'Dead-letter queue of the schedules, the event rules and of asynchronous invocations; a DLQ has no DLQ of its own.',
  );
  acknowledgeGuard(failedInvocations, 'CT.SQS.PR.1');
  return { queues, failedInvocations };
}

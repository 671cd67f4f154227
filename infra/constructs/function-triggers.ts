import { Duration, type Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { StageConfig } from '../config/stages.js';
import type { StatefulStack } from '../stacks/stateful-stack.js';
import {
  bucketLayout,
  type EventTrigger,
  eventRuleName,
  type FunctionSpec,
  type HttpTrigger,
  invokedAsynchronously,
} from '../topology.js';
import { acknowledgeGuard } from './guard.js';
import type { HubFunction } from './hub-function.js';
import { pascal } from './ids.js';
import { acknowledge } from './nag.js';

export interface FunctionTriggersContext {
  config: StageConfig;
  stateful: StatefulStack;
  api: apigw.HttpApi;
  /** The role EventBridge Scheduler assumes to invoke scheduled functions. */
  schedulerRole: iam.Role;
}

/**
 * Wires every trigger of a topology entry to `fn`: HTTP API routes, SQS event sources, EventBridge rules and
 * Scheduler schedules, then acknowledges the nag findings that follow from those trigger kinds.
 */
export function addTopologyTriggers(
  scope: Stack,
  fn: HubFunction,
  spec: FunctionSpec,
  ctx: FunctionTriggersContext,
): void {
  const { stateful } = ctx;
  const id = pascal(spec.name);
  const integration = new HttpLambdaIntegration(`${id}Integration`, fn.fn, {
    payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
  });
  for (const trigger of spec.triggers) {
    if (trigger.type === 'http') {
      const [route] = ctx.api.addRoutes({
        path: trigger.path,
        methods: [apigw.HttpMethod[trigger.method]],
        integration,
      });
      if (route) {
        acknowledge(route, 'AwsSolutions-APIG4', routeAuthReason(trigger));
        // the route's Lambda permission is a child of the route
        acknowledgeGuard(route, 'CT.APIGATEWAY.PR.5', 'CT.LAMBDA.PR.2');
      }
    } else if (trigger.type === 'queue') {
      const queue = stateful.queues[trigger.queue].queue;
      fn.fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: trigger.batchSize,
          maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    } else if (trigger.type === 'event') {
      addEventRule(scope, spec, fn, trigger, ctx);
    } else {
      new scheduler.Schedule(scope, `${id}${pascal(trigger.name)}Schedule`, {
        description: `${spec.name}: ${trigger.name}`,
        schedule: scheduler.ScheduleExpression.expression(trigger.expression),
        target: new LambdaInvoke(fn.fn, {
          input: scheduler.ScheduleTargetInput.fromObject(trigger.input),
          role: ctx.schedulerRole,
          deadLetterQueue: stateful.failedInvocations,
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
        }),
      });
    }
  }

  const mappings = fn.fn.node.findAll().filter((c) => c instanceof lambda.EventSourceMapping);
  for (const mapping of mappings) {
    acknowledge(
      mapping,
      'Serverless-LambdaEventSourceMappingDestination',
      'SQS event source mappings cannot have an on-failure destination (Kinesis/DynamoDB/Kafka only); ' +
        "failed messages go to the queue's dead-letter queue via the redrive policy (maxReceiveCount).",
    );
  }
  if (!invokedAsynchronously(spec)) {
    acknowledge(
      fn.fn,
      'Serverless-LambdaDLQ',
      'Never invoked asynchronously: API Gateway invokes it synchronously (the caller sees the error) or an ' +
        'SQS event source mapping does (failures return to the queue and its redrive DLQ). A function DLQ would stay empty.',
    );
  }
}

/**
 * An EventBridge rule on the default bus for an event trigger: GuardDuty's scan result for objects of the
 * hub bucket under the trigger's prefix, delivered to the function with a retry policy and, when delivery
 * keeps failing, to the failed-invocations queue (its resource policy names this rule, see the stateful
 * stack). The rule's name is fixed by `eventRuleName`.
 */
function addEventRule(
  scope: Stack,
  spec: FunctionSpec,
  fn: HubFunction,
  trigger: EventTrigger,
  ctx: FunctionTriggersContext,
): events.Rule {
  const { config, stateful } = ctx;
  const lambdaTarget = new eventTargets.LambdaFunction(fn.fn, {
    retryAttempts: trigger.retryAttempts,
    maxEventAge: Duration.seconds(trigger.maxEventAgeSeconds),
  });
  // The DLQ is set here rather than through the target's `deadLetterQueue`, which would add the queue policy
  // statement to the stateful stack with a reference to this rule (a cycle between the stacks).
  const target: events.IRuleTarget = {
    bind: (rule, targetId) => ({
      ...lambdaTarget.bind(rule, targetId),
      deadLetterConfig: { arn: stateful.failedInvocations.queueArn },
    }),
  };
  return new events.Rule(scope, `${pascal(spec.name)}${pascal(trigger.name)}Rule`, {
    ruleName: eventRuleName(config.name, spec, trigger),
    description: `${spec.name}: ${trigger.detailType} for ${bucketLayout[trigger.prefix]} of the hub bucket`,
    eventPattern: {
      source: [trigger.source],
      detailType: [trigger.detailType],
      detail: {
        s3ObjectDetails: {
          bucketName: [stateful.bucket.bucketName],
          objectKey: events.Match.prefix(bucketLayout[trigger.prefix]),
        },
      },
    },
    targets: [target],
  });
}

/** APIG4: the gateway authorizes no route; each reason follows from the route's `auth` in the topology. */
function routeAuthReason(trigger: HttpTrigger): string {
  const reasons: Record<HttpTrigger['auth'], string> = {
    signature:
      'No gateway authorizer by design: the provider HMAC signature is verified over the raw body in the ' +
      'function before anything else happens (docs/reliability.md §5).',
    bearer:
      'API key checked by the function auth middleware: the key is hashed and looked up in the database ' +
      '(docs/api.md), which a gateway authorizer could only duplicate.',
    none: 'Public by design (health check, OpenAPI document): no data behind it.',
  };
  return `${trigger.method} ${trigger.path}: ${reasons[trigger.auth]}`;
}

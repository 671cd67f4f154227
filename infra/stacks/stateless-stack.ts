import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { applyFeatureFlagDefaults } from '../config/feature-flags.js';
import { type StageConfig, secretScopePaths } from '../config/stages.js';
import { DatabaseMigrations } from '../constructs/database-migrations.js';
import { HubFunction, METRICS_NAMESPACE } from '../constructs/hub-function.js';
import { acknowledge } from '../constructs/nag.js';
import {
  bucketLayout,
  type EventTrigger,
  eventRuleName,
  type FunctionSpec,
  type HttpTrigger,
  invokedAsynchronously,
  type QueueName,
  queues as queueSpecs,
  type SecretScope,
  functions as topologyFunctions,
} from '../topology.js';
import { APP_DB_USER, DATABASE_NAME, PROXY_PORT, type StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulStack;
}

/** Exact IAM actions per kind of access (reliability.md §9.3, without the wildcard actions of grantRead/grantPut). */
export const ACCESS_ACTIONS = {
  bucketWrite: ['s3:PutObject'],
  bucketWriteKey: ['kms:GenerateDataKey', 'kms:Decrypt'],
  // GetObjectVersion: document-scan reads the version GuardDuty scanned
  bucketRead: ['s3:GetObject', 's3:GetObjectVersion'],
  bucketReadKey: ['kms:Decrypt'],
  queueSend: ['sqs:SendMessage'],
  queueSendKey: ['kms:GenerateDataKey', 'kms:Decrypt'],
  secretRead: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
  secretReadKey: ['kms:Decrypt'],
  secretWrite: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'],
  secretWriteKey: ['kms:GenerateDataKey', 'kms:Decrypt'],
} as const;

/** `SYNC_QUEUE_URL`, `NOTIFY_QUEUE_URL`: the names shared/config/env.ts reads. */
export const queueUrlVariable = (name: QueueName) => `${name.toUpperCase()}_QUEUE_URL`;

/**
 * The code: every function of the topology (through the house construct), its triggers (HTTP API routes,
 * SQS event sources, EventBridge Scheduler schedules) and its permissions, all read from the topology entry;
 * the deploy-time migrations; alarms and the dashboard.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<string, HubFunction>;
  readonly api: apigw.HttpApi;
  readonly migrations: DatabaseMigrations;
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    applyFeatureFlagDefaults(this);
    const { config, stateful } = props;

    // ---------------------------------------------------------------- HTTP API (payload v2)
    this.api = new apigw.HttpApi(this, 'Api', {
      description: `ATS integration hub (${config.name})`,
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    new apigw.HttpStage(this, 'ApiDefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.api.throttlingRateLimit, burstLimit: config.api.throttlingBurstLimit },
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // JSON, no query strings or bodies (no personal data in logs)
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    const publicBaseUrl = config.api.publicBaseUrl ?? this.api.apiEndpoint;

    // ---------------------------------------------------------------- deploy-time migrations
    this.migrations = new DatabaseMigrations(this, 'Migrations', {
      config,
      vpc: stateful.vpc,
      vpcSubnets: stateful.functionSubnets,
      endpointSecurityGroup: stateful.endpointSecurityGroup,
      cluster: stateful.cluster,
      secretsKey: stateful.secretsKey,
      databaseName: DATABASE_NAME,
    });

    // ---------------------------------------------------------------- functions from the topology
    const environment: Record<string, string> = {
      DATABASE_APP_URL: `postgres://${APP_DB_USER}@${stateful.proxy.endpoint}:${PROXY_PORT}/${DATABASE_NAME}?sslmode=verify-full`,
      DATABASE_APP_USER: APP_DB_USER,
      DATABASE_IAM_AUTH: 'true',
      // RDS Proxy multiplexes: named prepared statements are session state (performance.md §2.2)
      DATABASE_PREPARE: 'false',
      BUCKET_NAME: stateful.bucket.bucketName,
      ...Object.fromEntries(
        queueSpecs.map((q) => [queueUrlVariable(q.name), stateful.queues[q.name].queue.queueUrl]),
      ),
      SECRETS_PREFIX: config.secretsPrefix,
      // secrets the hub creates at runtime must be encrypted with this key (pass it as KmsKeyId)
      SECRETS_KMS_KEY_ID: stateful.secretsKey.keyArn,
      PUBLIC_BASE_URL: publicBaseUrl,
    };
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: `ATS hub (${config.name}): EventBridge Scheduler invokes the scheduled functions`,
    });
    // the scheduler's dead-letter queue is KMS-encrypted
    stateful.messagingKey.grants.actions(schedulerRole, 'kms:GenerateDataKey', 'kms:Decrypt');

    this.functions = {};
    for (const spec of topologyFunctions) {
      this.functions[spec.name] = this.addTopologyFunction(spec, {
        config,
        stateful,
        environment,
        schedulerRole,
      });
    }

    acknowledge(
      schedulerRole,
      'AwsSolutions-IAM5',
      '"<function ARN>:*" covers the versions and aliases of each scheduled function, nothing else.',
      [/^Resource::<[A-Za-z0-9]+\.Arn>:\*$/],
    );

    // ---------------------------------------------------------------- alarms and dashboard
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `ATS hub ${config.name} alarms`,
      masterKey: stateful.messagingKey,
      enforceSSL: true,
    });
    this.dashboard = this.addMonitoring(config, stateful);

    new CfnOutput(this, 'ApiUrl', { value: publicBaseUrl, description: 'PUBLIC_BASE_URL of the hub' });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'subscribe on-call here',
    });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  private addTopologyFunction(
    spec: FunctionSpec,
    ctx: {
      config: StageConfig;
      stateful: StatefulStack;
      environment: Record<string, string>;
      schedulerRole: iam.Role;
    },
  ): HubFunction {
    const { config, stateful } = ctx;
    const { access } = spec;
    const id = pascal(spec.name);
    // schedules and EventBridge rules invoke asynchronously: failures after Lambda's retries need a DLQ
    const asynchronous = invokedAsynchronously(spec);
    const usesBucket = access.bucket.read.length + access.bucket.write.length > 0;
    // Outbound HTTPS beyond the interface endpoints, derived from `access`: S3 is reached through the gateway
    // endpoint (public S3 addresses), and the hub's secrets exist to talk to the outside (provider API keys,
    // webhook signing keys of subscriptions), so a function holding any may call out (through NAT when the
    // stage has it). Everything else reaches only the endpoints and, with `database`, the proxy.
    const holdsSecrets = access.secrets.read.length + access.secrets.write.length > 0;

    const fn = new HubFunction(this, id, {
      spec,
      config,
      vpc: stateful.vpc,
      vpcSubnets: stateful.functionSubnets,
      endpointSecurityGroup: stateful.endpointSecurityGroup,
      publicHttpsEgress: usesBucket || holdsSecrets,
      environment: ctx.environment,
      // only asynchronous invocations (schedules, event rules) can land in a function's DLQ
      deadLetterQueue: asynchronous
        ? { queue: stateful.failedInvocations, key: stateful.messagingKey }
        : undefined,
    });

    // ------------------------------------------------ access: exactly what the topology entry declares
    if (access.database) {
      stateful.proxy.grantConnect(fn, APP_DB_USER);
      fn.connections.allowTo(stateful.proxy, ec2.Port.tcp(PROXY_PORT), `${spec.name} to RDS Proxy`);
      // the schema (and hub_app) exist before the code that uses them is updated
      fn.node.addDependency(this.migrations.resource);
    }
    for (const prefix of access.bucket.write) {
      stateful.bucket.grants.actionsOnObjectKeys(
        fn,
        `${bucketLayout[prefix]}*`,
        ...ACCESS_ACTIONS.bucketWrite,
        ...ACCESS_ACTIONS.bucketWriteKey,
      );
    }
    for (const prefix of access.bucket.read) {
      stateful.bucket.grants.actionsOnObjectKeys(
        fn,
        `${bucketLayout[prefix]}*`,
        ...ACCESS_ACTIONS.bucketRead,
        ...ACCESS_ACTIONS.bucketReadKey,
      );
    }
    for (const queue of access.queues.send) {
      stateful.queues[queue].queue.grants.actions(fn, [...ACCESS_ACTIONS.queueSend], {
        keyActions: [...ACCESS_ACTIONS.queueSendKey],
      });
    }
    for (const scopeName of access.secrets.read) {
      iam.Grant.addToPrincipal({
        grantee: fn,
        actions: [...ACCESS_ACTIONS.secretRead],
        resourceArns: [this.secretArnPattern(config, scopeName)],
      });
      stateful.secretsKey.grants.actions(fn, ...ACCESS_ACTIONS.secretReadKey);
    }
    for (const scopeName of access.secrets.write) {
      iam.Grant.addToPrincipal({
        grantee: fn,
        actions: [...ACCESS_ACTIONS.secretWrite],
        resourceArns: [this.secretArnPattern(config, scopeName)],
      });
      stateful.secretsKey.grants.actions(fn, ...ACCESS_ACTIONS.secretWriteKey);
    }

    const iam5: string[] = [];
    if (usesBucket) iam5.push('bucket key prefixes from the topology bucketLayout (e.g. "resumes/*")');
    if (access.secrets.read.length + access.secrets.write.length > 0) {
      iam5.push(
        `secret name prefixes (${config.secretsPrefix}/integrations/*, /webhooks/*): one secret per ` +
          'integration is created at runtime, so the grant is the prefix',
      );
    }
    if (iam5.length > 0) {
      acknowledge(fn.role, 'AwsSolutions-IAM5', `Wildcards limited to ${iam5.join('; ')}.`, [
        /^Resource::.*\/(resumes|raw|exports)\/\*$/,
        /^Resource::arn:.*:secretsmanager:.*:secret:hub\/[a-z]+\/(integrations|webhooks)\/\*$/,
      ]);
    }

    // ------------------------------------------------ triggers
    const integration = new HttpLambdaIntegration(`${id}Integration`, fn.fn, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    for (const trigger of spec.triggers) {
      if (trigger.type === 'http') {
        const [route] = this.api.addRoutes({
          path: trigger.path,
          methods: [apigw.HttpMethod[trigger.method]],
          integration,
        });
        if (route) acknowledge(route, 'AwsSolutions-APIG4', routeAuthReason(trigger));
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
        this.addEventRule(spec, fn, trigger, ctx);
      } else {
        new scheduler.Schedule(this, `${id}${pascal(trigger.name)}Schedule`, {
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

    // ------------------------------------------------ suppressions that follow from the trigger kinds
    const mappings = fn.fn.node.findAll().filter((c) => c instanceof lambda.EventSourceMapping);
    for (const mapping of mappings) {
      acknowledge(
        mapping,
        'Serverless-LambdaEventSourceMappingDestination',
        'SQS event source mappings cannot have an on-failure destination (Kinesis/DynamoDB/Kafka only); ' +
          "failed messages go to the queue's dead-letter queue via the redrive policy (maxReceiveCount).",
      );
    }
    if (!asynchronous) {
      acknowledge(
        fn.fn,
        'Serverless-LambdaDLQ',
        'Never invoked asynchronously: API Gateway invokes it synchronously (the caller sees the error) or an ' +
          'SQS event source mapping does (failures return to the queue and its redrive DLQ). A function DLQ would stay empty.',
      );
    }
    return fn;
  }

  /**
   * An EventBridge rule on the default bus for an event trigger: GuardDuty's scan result for objects of the
   * hub bucket under the trigger's prefix, delivered to the function with a retry policy and, when delivery
   * keeps failing, to the failed-invocations queue (its resource policy names this rule, see the stateful
   * stack). The rule's name is fixed by `eventRuleName`.
   */
  private addEventRule(
    spec: FunctionSpec,
    fn: HubFunction,
    trigger: EventTrigger,
    ctx: { config: StageConfig; stateful: StatefulStack },
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
    return new events.Rule(this, `${pascal(spec.name)}${pascal(trigger.name)}Rule`, {
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

  /** `arn:…:secretsmanager:<region>:<account>:secret:<prefix>/<scope path>*` (the name plus its random suffix). */
  private secretArnPattern(config: StageConfig, scopeName: SecretScope): string {
    return this.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${config.secretsPrefix}/${secretScopePaths[scopeName]}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private addMonitoring(config: StageConfig, stateful: StatefulStack): cloudwatch.Dashboard {
    const action = new SnsAction(this.alarmTopic);
    const fiveMinutes = Duration.minutes(5);
    const alarm = (id: string, props: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, id, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...props,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    const all = Object.values(this.functions);
    for (const fn of all) {
      const id = pascal(fn.spec.name);
      alarm(`${id}ErrorsAlarm`, {
        alarmDescription: `${fn.spec.name}: function errors`,
        metric: fn.fn.metricErrors({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        threshold: config.alarms.functionErrors,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${id}ThrottlesAlarm`, {
        alarmDescription: `${fn.spec.name}: throttled invocations`,
        metric: fn.fn.metricThrottles({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        threshold: config.alarms.functionThrottles,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    const deadLetterQueues: { name: string; queue: sqs.IQueue }[] = [
      ...queueSpecs.map((q) => ({ name: `${q.name} DLQ`, queue: stateful.queues[q.name].deadLetterQueue })),
      { name: 'failed invocations (schedules, async)', queue: stateful.failedInvocations },
    ];
    for (const [i, dlq] of deadLetterQueues.entries()) {
      alarm(`DeadLetterQueue${i}DepthAlarm`, {
        alarmDescription: `${dlq.name}: messages waiting (reliability.md §1.3: fix the cause, then redrive)`,
        metric: dlq.queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    for (const q of queueSpecs) {
      alarm(`${pascal(q.name)}QueueOldestMessageAlarm`, {
        alarmDescription: `${q.name} queue: oldest message older than ${config.alarms.oldestMessageAgeSeconds} s`,
        metric: stateful.queues[q.name].queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: config.alarms.oldestMessageAgeSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 5,
      });
    }
    alarm('Api5xxAlarm', {
      alarmDescription: 'HTTP API: 5xx responses',
      metric: this.api.metricServerError({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
      threshold: config.alarms.api5xx,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    const fnMetric = (fn: HubFunction, m: (f: lambda.Function) => cloudwatch.IMetric) => m(fn.fn);
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ATS hub (${config.name})\nAlarms go to the SNS topic in the stack outputs. docs/deploy.md explains each widget.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [this.api.metricCount({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM })],
        right: [
          this.api.metricClientError({ period: fiveMinutes }),
          this.api.metricServerError({ period: fiveMinutes }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency p50 / p95 (ms)',
        left: [
          this.api.metricLatency({ period: fiveMinutes, statistic: 'p50' }),
          this.api.metricLatency({ period: fiveMinutes, statistic: 'p95' }),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        left: all.map((fn) =>
          fnMetric(fn, (f) => f.metricErrors({ period: fiveMinutes, label: fn.spec.name })),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles',
        left: all.map((fn) =>
          fnMetric(fn, (f) => f.metricThrottles({ period: fiveMinutes, label: fn.spec.name })),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration p95 (ms)',
        left: all.map((fn) =>
          fnMetric(fn, (f) =>
            f.metricDuration({ period: fiveMinutes, statistic: 'p95', label: fn.spec.name }),
          ),
        ),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queue depth (visible)',
        left: queueSpecs.map((q) =>
          stateful.queues[q.name].queue.metricApproximateNumberOfMessagesVisible({ label: q.name }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of oldest message (s)',
        left: queueSpecs.map((q) =>
          stateful.queues[q.name].queue.metricApproximateAgeOfOldestMessage({ label: q.name }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (must be 0)',
        left: deadLetterQueues.map((d) =>
          d.queue.metricApproximateNumberOfMessagesVisible({ label: d.name }),
        ),
        width: 8,
      }),
    );
    const proxyMetric = (metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap: { ProxyName: stateful.proxy.dbProxyName },
        period: fiveMinutes,
        statistic: cloudwatch.Stats.MAXIMUM,
        label,
      });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Database: proxy connections and pinning',
        left: [
          proxyMetric('ClientConnections', 'client connections'),
          proxyMetric('DatabaseConnections', 'database connections'),
          proxyMetric('DatabaseConnectionsCurrentlySessionPinned', 'pinned (should stay ~0)'),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Database: capacity (ACU) and CPU',
        left: [
          stateful.cluster.metric('ServerlessDatabaseCapacity', {
            period: fiveMinutes,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ],
        right: [stateful.cluster.metricCPUUtilization({ period: fiveMinutes })],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Hub business metrics (Powertools EMF, namespace ${METRICS_NAMESPACE}) by service`,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},service}', 'Sum', 300)`,
            label: '',
            period: fiveMinutes,
          }),
        ],
        width: 24,
      }),
    );
    return dashboard;
  }
}

/** APIG4: the gateway authorizes no route; each reason follows from the route's `auth` in the topology. */
function routeAuthReason(trigger: HttpTrigger): string {
  const reasons: Record<HttpTrigger['auth'], string> = {
    signature:
      'No gateway authorizer by design: the provider HMAC signature is verified over the raw body in the ' +
      'function before anything else happens (reliability.md §5).',
    bearer:
      'API key checked by the function auth middleware: the key is hashed and looked up in the database ' +
      '(api.md), which a gateway authorizer could only duplicate.',
    none: 'Public by design (health check, OpenAPI document): no data behind it.',
  };
  return `${trigger.method} ${trigger.path}: ${reasons[trigger.auth]}`;
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

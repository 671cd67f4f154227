import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { applyFeatureFlagDefaults } from '../config/feature-flags.js';
import type { StageConfig } from '../config/stages.js';
import { DatabaseMigrations } from '../constructs/database-migrations.js';
import { type FunctionAccessContext, grantTopologyAccess } from '../constructs/function-access.js';
import { addTopologyTriggers, type FunctionTriggersContext } from '../constructs/function-triggers.js';
import { addHttpApi } from '../constructs/http-api.js';
import { HubFunction } from '../constructs/hub-function.js';
import { pascal } from '../constructs/ids.js';
import { HubMonitoring } from '../constructs/monitoring.js';
import { acknowledge } from '../constructs/nag.js';
import {
  type FunctionSpec,
  invokedAsynchronously,
  type QueueName,
  queues as queueSpecs,
  functions as topologyFunctions,
} from '../topology.js';
import { APP_DB_USER, DATABASE_NAME, PROXY_PORT, type StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulStack;
}

/**
 * The shell step CDK runs after esbuild for a function that serves static files (the console): the topology's
 * build script writes them next to the bundle, so they ship in the same zip and need no bucket or CDN.
 */
export const buildAssets =
  (assets: NonNullable<FunctionSpec['assets']>) =>
  (inputDir: string, outputDir: string): string[] => [
    `cd "${inputDir}" && node --import tsx "${assets.build}" "${outputDir}/${assets.folder}"`,
  ];

/** `SYNC_QUEUE_URL`, `NOTIFY_QUEUE_URL`: the names shared/config/env.ts reads. */
export const queueUrlVariable = (name: QueueName) => `${name.toUpperCase()}_QUEUE_URL`;

/**
 * The code: every function of the topology (through the house construct), its triggers (HTTP API routes,
 * SQS event sources, EventBridge Scheduler schedules) and its permissions, all read from the topology entry;
 * the deploy-time migrations; alarms and the dashboard. The jobs live in ../constructs (http-api,
 * function-access, function-triggers, monitoring); they add their resources to this stack directly.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<string, HubFunction>;
  readonly api: apigw.HttpApi;
  readonly migrations: DatabaseMigrations;
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    applyFeatureFlagDefaults(this);
    const { config, stateful } = props;

    this.api = addHttpApi(this, config);
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
      // RDS Proxy multiplexes: named prepared statements are session state (docs/performance.md §2.2)
      DATABASE_PREPARE: 'false',
      BUCKET_NAME: stateful.bucket.bucketName,
      ...Object.fromEntries(
        queueSpecs.map((q) => [queueUrlVariable(q.name), stateful.queues[q.name].queue.queueUrl]),
      ),
      SECRETS_PREFIX: config.secretsPrefix,
      // secrets the hub creates at runtime must be encrypted with this key (pass it as KmsKeyId)
      SECRETS_KMS_KEY_ID: stateful.secretsKey.keyArn,
      PUBLIC_BASE_URL: publicBaseUrl,
      ...(config.api.connectRedirectOrigins?.length
        ? { CONNECT_REDIRECT_ALLOWLIST: config.api.connectRedirectOrigins.join(',') }
        : {}),
    };
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: `ATS hub (${config.name}): EventBridge Scheduler invokes the scheduled functions`,
    });
    // the scheduler's dead-letter queue is KMS-encrypted
    stateful.messagingKey.grants.actions(schedulerRole, 'kms:GenerateDataKey', 'kms:Decrypt');

    const access: FunctionAccessContext = { config, stateful, migrations: this.migrations.resource };
    const triggers: FunctionTriggersContext = { config, stateful, api: this.api, schedulerRole };
    this.functions = {};
    for (const spec of topologyFunctions) {
      const fn = this.addTopologyFunction(spec, config, stateful, environment);
      grantTopologyAccess(this, fn, spec, access);
      addTopologyTriggers(this, fn, spec, triggers);
      this.functions[spec.name] = fn;
    }

    acknowledge(
      schedulerRole,
      'AwsSolutions-IAM5',
      '"<function ARN>:*" covers the versions and aliases of each scheduled function, nothing else.',
      [/^Resource::<[A-Za-z0-9]+\.Arn>:\*$/],
    );

    // ---------------------------------------------------------------- alarms and dashboard
    const monitoring = new HubMonitoring(this, {
      config,
      stateful,
      api: this.api,
      functions: Object.values(this.functions),
    });
    this.alarmTopic = monitoring.alarmTopic;
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;

    new CfnOutput(this, 'ApiUrl', { value: publicBaseUrl, description: 'PUBLIC_BASE_URL of the hub' });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'subscribe on-call here',
    });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  private addTopologyFunction(
    spec: FunctionSpec,
    config: StageConfig,
    stateful: StatefulStack,
    environment: Record<string, string>,
  ): HubFunction {
    const { access } = spec;
    // schedules and EventBridge rules invoke asynchronously: failures after Lambda's retries need a DLQ
    const asynchronous = invokedAsynchronously(spec);
    const usesBucket = access.bucket.read.length + access.bucket.write.length > 0;
    // Outbound HTTPS beyond the interface endpoints, derived from `access`: S3 is reached through the gateway
    // endpoint (public S3 addresses), and the hub's secrets exist to talk to the outside (provider API keys,
    // webhook signing keys of subscriptions), so a function holding any may call out (through NAT when the
    // stage has it). Everything else reaches only the endpoints and, with `database`, the proxy.
    const holdsSecrets = access.secrets.read.length + access.secrets.write.length > 0;
    return new HubFunction(this, pascal(spec.name), {
      spec,
      config,
      vpc: stateful.vpc,
      vpcSubnets: stateful.functionSubnets,
      endpointSecurityGroup: stateful.endpointSecurityGroup,
      publicHttpsEgress: usesBucket || holdsSecrets,
      environment,
      // only asynchronous invocations (schedules, event rules) can land in a function's DLQ
      deadLetterQueue: asynchronous
        ? { queue: stateful.failedInvocations, key: stateful.messagingKey }
        : undefined,
      afterBundling: spec.assets ? buildAssets(spec.assets) : undefined,
    });
  }
}

import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stages } from '../../infra/config/stages.js';
import { migrationsHash } from '../../infra/constructs/database-migrations.js';
import { METRICS_NAMESPACE } from '../../infra/constructs/hub-function.js';
import {
  bucketLayout,
  eventRuleName,
  eventTriggers,
  functions,
  httpRoutes,
  queues,
  type Trigger,
} from '../../infra/topology.js';
import { key, logicalIdIn, synthHub } from './support.js';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;

const fnLogicalId = (name: string) => {
  const hub = synthHub();
  const fn = hub.stateless.functions[name];
  if (!fn) throw new Error(`no function ${name}`);
  return logicalIdIn(hub.stateless, fn.fn);
};

const resourcesOfType = (t: ReturnType<typeof synthHub>['statelessTemplate'], type: string) =>
  Object.values(t.toJSON().Resources as Resources).filter((r) => r.Type === type);

/** Every trigger of the given type in the topology, with its function. */
function triggersOfType<K extends Trigger['type']>(type: K) {
  return functions.flatMap((fn) =>
    fn.triggers
      .filter((tr): tr is Extract<Trigger, { type: K }> => tr.type === type)
      .map((trigger) => ({ fn, trigger })),
  );
}

describe('stateless stack: functions', () => {
  it('creates every topology function through the house construct: Node 22, arm64, tracing, timeout, memory', () => {
    const hub = synthHub();
    const resources = hub.statelessTemplate.toJSON().Resources as Resources;
    expect(Object.keys(hub.stateless.functions).sort()).toEqual(functions.map((f) => f.name).sort());
    for (const spec of functions) {
      const props = resources[fnLogicalId(spec.name)]?.Properties;
      expect(props, spec.name).toBeDefined();
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: spec.timeoutSeconds,
        MemorySize: spec.memoryMb,
        Description: spec.description,
      });
      expect(key(props?.VpcConfig)).toContain('isolatedSubnet');
    }
  });

  it('gives every function (and db-migrate) its own log group with the stage retention', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const hub = synthHub(stage);
      const resources = hub.statelessTemplate.toJSON().Resources as Resources;
      const all = [...Object.values(hub.stateless.functions), hub.stateless.migrations.function];
      for (const fn of all) {
        const fnId = logicalIdIn(hub.stateless, fn.fn);
        const logId = logicalIdIn(hub.stateless, fn.logGroup);
        expect(resources[fnId]?.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logId } });
        expect(resources[logId]?.Properties.RetentionInDays).toBe(stages[stage].logRetention);
      }
    }
  });

  it('sets the environment the code reads (shared/config/env.ts) and the Powertools variables', () => {
    const hub = synthHub();
    const resources = hub.statelessTemplate.toJSON().Resources as Resources;
    for (const spec of functions) {
      const environment = resources[fnLogicalId(spec.name)]?.Properties.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      const env = environment?.Variables ?? {};
      expect(env).toMatchObject({
        STAGE: 'dev',
        POWERTOOLS_SERVICE_NAME: spec.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: stages.dev.lambda.logLevel,
        DATABASE_APP_USER: 'hub_app',
        DATABASE_IAM_AUTH: 'true',
        DATABASE_PREPARE: 'false',
        SECRETS_PREFIX: stages.dev.secretsPrefix,
      });
      // the runtime URL points at the proxy, user hub_app, TLS verified
      expect(key(env.DATABASE_APP_URL)).toContain('postgres://hub_app@');
      expect(key(env.DATABASE_APP_URL)).toContain('Proxy');
      expect(key(env.DATABASE_APP_URL)).toContain(':5432/hub?sslmode=verify-full');
      for (const variable of [
        'BUCKET_NAME',
        'SYNC_QUEUE_URL',
        'NOTIFY_QUEUE_URL',
        'PUBLIC_BASE_URL',
        'SECRETS_KMS_KEY_ID',
      ]) {
        expect(env[variable], `${spec.name} ${variable}`).toBeDefined();
      }
      expect(key(env.PUBLIC_BASE_URL)).toContain('ApiEndpoint');
      expect(env.NODE_OPTIONS).toBeUndefined();
    }
  });

  it('opens egress only to what each function may touch: endpoints, the proxy, and HTTPS out when it needs it', () => {
    const hub = synthHub();
    const t = hub.statelessTemplate.toJSON().Resources as Resources;
    const egress = Object.values(t).filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress');
    for (const spec of functions) {
      const fn = hub.stateless.functions[spec.name];
      if (!fn) throw new Error(`no function ${spec.name}`);
      const sgId = logicalIdIn(hub.stateless, fn.securityGroup);
      const sg = t[sgId]?.Properties as { SecurityGroupEgress?: { CidrIp?: string; FromPort?: number }[] };
      const inline = sg.SecurityGroupEgress ?? [];
      const mine = egress.filter((e) => key(e.Properties.GroupId).includes(sgId)).map((e) => e.Properties);
      const { access } = spec;
      const wantsOut =
        access.bucket.read.length +
          access.bucket.write.length +
          access.secrets.read.length +
          access.secrets.write.length >
        0;
      expect(
        inline.some((r) => r.CidrIp === '0.0.0.0/0' && r.FromPort === 443),
        spec.name,
      ).toBe(wantsOut);
      expect(
        inline.some((r) => r.CidrIp === '0.0.0.0/0' && r.FromPort !== 443),
        spec.name,
      ).toBe(false);
      expect(
        mine.some(
          (r) => key(r.DestinationSecurityGroupId).includes('EndpointSecurityGroup') && r.FromPort === 443,
        ),
      ).toBe(true);
      expect(
        mine.some(
          (r) => key(r.DestinationSecurityGroupId).includes('ProxySecurityGroup') && r.FromPort === 5432,
        ),
        spec.name,
      ).toBe(access.database);
    }
  });

  it('applies reserved concurrency from the stage configuration', () => {
    const hub = synthHub('prod');
    const resources = hub.statelessTemplate.toJSON().Resources as Resources;
    for (const spec of functions) {
      const fn = hub.stateless.functions[spec.name];
      if (!fn) throw new Error(`no function ${spec.name}`);
      const id = logicalIdIn(hub.stateless, fn.fn);
      expect(resources[id]?.Properties.ReservedConcurrentExecutions, spec.name).toBe(
        stages.prod.lambda.reservedConcurrency[spec.name],
      );
    }
  });
});

describe('stateless stack: triggers', () => {
  it('routes every http trigger of the topology to its function (HTTP API, payload 2.0), and nothing else', () => {
    const { statelessTemplate: t } = synthHub();
    const resources = t.toJSON().Resources as Resources;
    const routes = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      httpRoutes()
        .map(({ trigger }) => `${trigger.method} ${trigger.path}`)
        .sort(),
    );
    for (const { fn, trigger } of httpRoutes()) {
      const route = routes.find((r) => r.Properties.RouteKey === `${trigger.method} ${trigger.path}`);
      const target = key(route?.Properties.Target);
      const integrationId = /integrations\/",\{"Ref":"([^"]+)"/.exec(target)?.[1] ?? '';
      const integration = resources[integrationId];
      expect(integration?.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [fnLogicalId(fn.name), 'Arn'] },
      });
    }
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
  });

  it('logs API access as JSON and applies default throttling', () => {
    const { statelessTemplate: t } = synthHub();
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      DefaultRouteSettings: {
        ThrottlingRateLimit: stages.dev.api.throttlingRateLimit,
        ThrottlingBurstLimit: stages.dev.api.throttlingBurstLimit,
        DetailedMetricsEnabled: true,
      },
    });
  });

  it('creates one EventBridge Scheduler schedule per schedule trigger with its input, a retry policy and a DLQ', () => {
    const { statelessTemplate: t } = synthHub();
    const schedules = resourcesOfType(t, 'AWS::Scheduler::Schedule');
    const expected = triggersOfType('schedule');
    expect(schedules.length).toBe(expected.length);
    for (const { fn, trigger } of expected) {
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: trigger.expression,
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [fnLogicalId(fn.name), 'Arn'] },
          Input: JSON.stringify(trigger.input),
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
          DeadLetterConfig: { Arn: { 'Fn::ImportValue': Match.stringLikeRegexp('FailedInvocationsQueue') } },
          RoleArn: Match.anyValue(),
        },
      });
      // the asynchronous invocation itself can fail too: the function's own DLQ is the same queue
      const props = (t.toJSON().Resources as Resources)[fnLogicalId(fn.name)]?.Properties;
      expect(key(props?.DeadLetterConfig)).toContain('FailedInvocationsQueue');
    }
  });

  it('creates one EventBridge rule per event trigger: GuardDuty scan results of the hub bucket under its prefix, on the default bus', () => {
    const hub = synthHub();
    const t = hub.statelessTemplate;
    const rules = Object.entries(t.toJSON().Resources as Resources).filter(
      ([, r]) => r.Type === 'AWS::Events::Rule',
    );
    expect(eventTriggers().map(({ fn }) => fn.name)).toContain('document-scan');
    expect(rules.length).toBe(eventTriggers().length);
    for (const { fn, trigger } of eventTriggers()) {
      const [ruleId, rule] =
        rules.find(([, r]) => r.Properties.Name === eventRuleName('dev', fn, trigger)) ?? [];
      expect(rule, fn.name).toBeDefined();
      expect(rule?.Properties.EventBusName, 'default bus').toBeUndefined();
      expect(rule?.Properties.State).toBe('ENABLED');
      expect(rule?.Properties.EventPattern).toEqual({
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Malware Protection Object Scan Result'],
        detail: {
          s3ObjectDetails: {
            // the hub bucket only (its name is exported by the stateful stack), keys under the prefix only
            bucketName: [{ 'Fn::ImportValue': expect.stringMatching(/ExportsOutputRefData/) }],
            objectKey: [{ prefix: bucketLayout[trigger.prefix] }],
          },
        },
      });
      // one target: the function, with a retry policy and the failed-invocations queue as its DLQ
      expect(rule?.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: { 'Fn::GetAtt': [fnLogicalId(fn.name), 'Arn'] },
          RetryPolicy: {
            MaximumRetryAttempts: trigger.retryAttempts,
            MaximumEventAgeInSeconds: trigger.maxEventAgeSeconds,
          },
          DeadLetterConfig: { Arn: { 'Fn::ImportValue': expect.stringMatching(/FailedInvocationsQueue/) } },
        },
      ]);
      // EventBridge may invoke the function for this rule only
      t.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [fnLogicalId(fn.name), 'Arn'] },
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });
      // EventBridge invokes asynchronously: failures after Lambda's own retries go to the same queue
      const props = (t.toJSON().Resources as Resources)[fnLogicalId(fn.name)]?.Properties;
      expect(key(props?.DeadLetterConfig)).toContain('FailedInvocationsQueue');
    }
  });

  it('maps every queue trigger with ReportBatchItemFailures, batch size, window and max concurrency', () => {
    const { statelessTemplate: t } = synthHub();
    const mappings = resourcesOfType(t, 'AWS::Lambda::EventSourceMapping');
    const expected = triggersOfType('queue');
    expect(mappings.length).toBe(expected.length);
    for (const { fn, trigger } of expected) {
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnLogicalId(fn.name) },
        EventSourceArn: {
          'Fn::ImportValue': Match.stringLikeRegexp(
            `${trigger.queue[0]?.toUpperCase()}${trigger.queue.slice(1)}Queue`,
          ),
        },
        BatchSize: trigger.batchSize,
        MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: trigger.maxConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });
});

describe('stateless stack: migrations at deploy time', () => {
  it('runs db-migrate through a custom resource whose properties carry the migrations hash', () => {
    const hub = synthHub();
    const t = hub.statelessTemplate;
    t.hasResourceProperties('Custom::HubMigrations', { MigrationsHash: migrationsHash(), Database: 'hub' });
    expect(migrationsHash()).toMatch(/^[0-9a-f]{64}$/);
    const migrate = hub.stateless.migrations.function;
    const id = logicalIdIn(hub.stateless, migrate.fn);
    const props = (t.toJSON().Resources as Resources)[id]?.Properties;
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
    const env = (props?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(env).toMatchObject({
      MIGRATIONS_DIR: '/var/task/migrations',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    });
    expect(key(env.DB_SECRET_ARN)).toContain('DatabaseSecret');
  });

  it('updates every function that needs the schema only after the migration ran', () => {
    const hub = synthHub();
    const resources = hub.statelessTemplate.toJSON().Resources as Resources;
    const cr = Object.entries(resources).find(([, r]) => r.Type === 'Custom::HubMigrations')?.[0];
    for (const spec of functions.filter((f) => f.access.database)) {
      expect(resources[fnLogicalId(spec.name)]?.DependsOn, spec.name).toContain(cr);
    }
  });
});

describe('stateless stack: alarms and dashboard', () => {
  const alarms = () =>
    Object.values(synthHub().statelessTemplate.toJSON().Resources as Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties);

  it('alarms on every DLQ as soon as one message is in it', () => {
    const depth = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    const dlqs = depth.map((a) => key(a.Dimensions));
    for (const q of queues) {
      const name = `${q.name[0]?.toUpperCase()}${q.name.slice(1)}DeadLetterQueue`;
      expect(
        dlqs.some((d) => d.includes(name)),
        name,
      ).toBe(true);
    }
    expect(dlqs.some((d) => d.includes('FailedInvocationsQueue'))).toBe(true);
    for (const a of depth) {
      expect(a).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Namespace: 'AWS/SQS',
      });
      expect(a.AlarmActions).toBeDefined();
    }
  });

  it('alarms on errors and throttles of every function and on the age of the oldest message of every queue', () => {
    const all = alarms();
    for (const spec of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(
          all.some((a) => a.MetricName === metric && key(a.Dimensions).includes(fnLogicalId(spec.name))),
          `${spec.name} ${metric}`,
        ).toBe(true);
      }
    }
    for (const q of queues) {
      const name = `${q.name[0]?.toUpperCase()}${q.name.slice(1)}Queue`;
      expect(
        all.some((a) => a.MetricName === 'ApproximateAgeOfOldestMessage' && key(a.Dimensions).includes(name)),
        name,
      ).toBe(true);
    }
  });

  it('sends alarms to an encrypted SNS topic and draws a dashboard with those metrics', () => {
    const { statelessTemplate: t } = synthHub();
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const dashboard = Object.values(t.toJSON().Resources as Resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Dashboard',
    );
    const body = key(dashboard?.Properties.DashboardBody);
    for (const metric of [
      'Errors',
      'Throttles',
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'DatabaseConnectionsCurrentlySessionPinned',
      'ServerlessDatabaseCapacity',
      '5xx',
      'DepthAlarm',
    ]) {
      expect(body, metric).toContain(metric);
    }
  });
});

import { ArnFormat, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { secretScopePaths, stages } from '../../infra/config/stages.js';
import { VPC_ENI_ACTIONS } from '../../infra/constructs/hub-function.js';
import { APP_DB_USER } from '../../infra/stacks/stateful-stack.js';
import { bucketLayout, type FunctionSpec, functions, invokedAsynchronously } from '../../infra/topology.js';
import { arr, key, logicalIdOf, policyOf, type SynthesizedHub, synthHub } from './support.js';

/**
 * The IAM policy of every function, derived here independently from its topology entry, must equal the
 * synthesized one exactly: same actions, same resources, nothing more. The rules written out below are the
 * whole contract between `access` in infra/topology.ts and IAM.
 */
function expectedPairs(hub: SynthesizedHub, spec: FunctionSpec): Set<string> {
  const { stateful, stateless } = hub;
  const fn = stateless.functions[spec.name];
  if (!fn) throw new Error(`no function ${spec.name}`);
  const r = (value: unknown) => key(stateless.resolve(value));
  const pairs = new Set<string>();
  const add = (actions: readonly string[], resource: string) => {
    for (const action of actions) pairs.add(`${action} ${resource}`);
  };

  // baseline of the house construct: its own log group, VPC ENIs, X-Ray
  add(['logs:CreateLogStream', 'logs:PutLogEvents'], r(fn.logGroup.logGroupArn));
  add(VPC_ENI_ACTIONS, key('*'));
  add(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], key('*'));

  const { access } = spec;
  if (access.database) {
    const proxyId = Stack.of(stateful).splitArn(
      stateful.proxy.dbProxyArn,
      ArnFormat.COLON_RESOURCE_NAME,
    ).resourceName;
    const dbUserArn = stateless.formatArn({
      service: 'rds-db',
      resource: 'dbuser',
      resourceName: `${proxyId}/${APP_DB_USER}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    add(['rds-db:connect'], r(dbUserArn));
  }
  for (const prefix of access.bucket.write) {
    add(['s3:PutObject'], r(`${stateful.bucket.bucketArn}/${bucketLayout[prefix]}*`));
    add(['kms:GenerateDataKey', 'kms:Decrypt'], r(stateful.storageKey.keyArn));
  }
  for (const prefix of access.bucket.read) {
    add(['s3:GetObject', 's3:GetObjectVersion'], r(`${stateful.bucket.bucketArn}/${bucketLayout[prefix]}*`));
    add(['kms:Decrypt'], r(stateful.storageKey.keyArn));
  }
  for (const prefix of access.bucket.erase ?? []) {
    add(
      ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      r(`${stateful.bucket.bucketArn}/${bucketLayout[prefix]}*`),
    );
  }
  if ((access.bucket.erase ?? []).length > 0) add(['s3:ListBucketVersions'], r(stateful.bucket.bucketArn));
  for (const queue of access.queues.send) {
    add(['sqs:SendMessage'], r(stateful.queues[queue].queue.queueArn));
    add(['kms:GenerateDataKey', 'kms:Decrypt'], r(stateful.messagingKey.keyArn));
  }
  const secretArn = (scope: keyof typeof secretScopePaths) =>
    r(
      stateless.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${stages.dev.secretsPrefix}/${secretScopePaths[scope]}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
  for (const scope of access.secrets.read) {
    add(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], secretArn(scope));
    add(['kms:Decrypt'], r(stateful.secretsKey.keyArn));
  }
  for (const scope of access.secrets.write) {
    add(['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'], secretArn(scope));
    add(['kms:GenerateDataKey', 'kms:Decrypt'], r(stateful.secretsKey.keyArn));
  }
  // triggers: an SQS event source consumes its queue; a function invoked asynchronously (schedule, event
  // rule) may send to its async DLQ
  for (const trigger of spec.triggers) {
    if (trigger.type === 'queue') {
      add(
        [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        r(stateful.queues[trigger.queue].queue.queueArn),
      );
      add(['kms:Decrypt'], r(stateful.messagingKey.keyArn));
    }
  }
  if (invokedAsynchronously(spec)) {
    add(['sqs:SendMessage'], r(stateful.failedInvocations.queueArn));
    add(['kms:GenerateDataKey', 'kms:Decrypt'], r(stateful.messagingKey.keyArn));
  }
  return pairs;
}

describe('least privilege: each function gets exactly what its topology entry declares', () => {
  const hub = synthHub();

  for (const spec of functions) {
    it(spec.name, () => {
      const fn = hub.stateless.functions[spec.name];
      if (!fn) throw new Error(`no function ${spec.name}`);
      const { statements, pairs } = policyOf(hub.statelessTemplate, logicalIdOf(hub, fn.role));
      expect([...pairs].sort()).toEqual([...expectedPairs(hub, spec)].sort());
      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        for (const action of arr(s.Action))
          expect(action, 'no wildcard actions').toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
    });
  }

  it("attaches no managed policy to any role of the hub (CDK's own default-SG custom resource aside)", () => {
    for (const stage of ['dev', 'prod'] as const) {
      const h = synthHub(stage);
      for (const t of [h.statefulTemplate, h.statelessTemplate]) {
        for (const [id, role] of Object.entries(t.findResources('AWS::IAM::Role')) as [
          string,
          { Properties: { ManagedPolicyArns?: unknown } },
        ][]) {
          // aws-cdk-lib's provider behind `restrictDefaultSecurityGroup` (removes the default SG's rules)
          if (id.startsWith('CustomVpcRestrictDefaultSGCustomResourceProviderRole')) continue;
          expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
        }
      }
    }
  });

  it('has no wildcard action in any IAM policy of either stack', () => {
    for (const t of [hub.statefulTemplate, hub.statelessTemplate]) {
      for (const policy of Object.values(t.findResources('AWS::IAM::Policy')) as {
        Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } };
      }[]) {
        for (const s of policy.Properties.PolicyDocument.Statement) {
          for (const action of arr(s.Action)) expect(action).not.toContain('*');
        }
      }
    }
  });

  it('lets only functions whose topology reads resumes read resume objects', () => {
    const readers = functions.filter((f) => f.access.bucket.read.includes('resumes')).map((f) => f.name);
    for (const spec of functions) {
      const fn = hub.stateless.functions[spec.name];
      if (!fn) throw new Error(`no function ${spec.name}`);
      const { pairs } = policyOf(hub.statelessTemplate, logicalIdOf(hub, fn.role));
      const readsResumes = [...pairs].some((p) => p.startsWith('s3:GetObject') && p.includes('/resumes/*'));
      expect(readsResumes, spec.name).toBe(readers.includes(spec.name));
    }
  });

  it('gives document-scan GetObject(Version) on resumes/* and nothing else of the bucket (no write, no list, no tags)', () => {
    const fn = hub.stateless.functions['document-scan'];
    if (!fn) throw new Error('no function document-scan');
    const { pairs } = policyOf(hub.statelessTemplate, logicalIdOf(hub, fn.role));
    const s3 = [...pairs].filter((p) => p.startsWith('s3:')).sort();
    expect(s3).toHaveLength(2);
    expect(s3[0]).toMatch(/^s3:GetObject .*\/resumes\/\*"/);
    expect(s3[1]).toMatch(/^s3:GetObjectVersion .*\/resumes\/\*"/);
    expect([...pairs].some((p) => p.startsWith('rds-db:connect'))).toBe(true);
  });

  it('gives db-migrate the owner secret and nothing of the runtime (no proxy, bucket, queue or hub secrets)', () => {
    const fn = hub.stateless.migrations.function;
    const { pairs } = policyOf(hub.statelessTemplate, logicalIdOf(hub, fn.role));
    const actions = new Set([...pairs].map((p) => p.split(' ')[0]));
    expect([...actions].sort()).toEqual(
      [
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:UnassignPrivateIpAddresses',
        'kms:Decrypt',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    const secretPairs = [...pairs].filter((p) => p.startsWith('secretsmanager:'));
    for (const p of secretPairs) expect(p).toContain('DatabaseSecret');
  });
});

import { ArnFormat, type CustomResource, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { type StageConfig, secretScopePaths } from '../config/stages.js';
import type { StatefulStack } from '../stacks/stateful-stack.js';
import { bucketLayout, type FunctionSpec, type SecretScope } from '../topology.js';
import { APP_DB_USER, PROXY_PORT } from './database.js';
import type { HubFunction } from './hub-function.js';
import { acknowledge } from './nag.js';

/** Exact IAM actions per kind of access (docs/reliability.md §9.3, without the wildcard actions of grantRead/grantPut). */
export const ACCESS_ACTIONS = {
  bucketWrite: ['s3:PutObject'],
  bucketWriteKey: ['kms:GenerateDataKey', 'kms:Decrypt'],
  // GetObjectVersion: document-scan reads the version GuardDuty scanned
  bucketRead: ['s3:GetObject', 's3:GetObjectVersion'],
  bucketReadKey: ['kms:Decrypt'],
  // erasure and retention delete every version (docs/privacy.md); listing a key's versions is a bucket action
  bucketErase: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
  bucketListVersions: ['s3:ListBucketVersions'],
  queueSend: ['sqs:SendMessage'],
  queueSendKey: ['kms:GenerateDataKey', 'kms:Decrypt'],
  secretRead: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
  secretReadKey: ['kms:Decrypt'],
  secretWrite: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'],
  secretWriteKey: ['kms:GenerateDataKey', 'kms:Decrypt'],
} as const;

export interface FunctionAccessContext {
  config: StageConfig;
  stateful: StatefulStack;
  /** The deploy-time migrations: a function using the database waits for them. */
  migrations: CustomResource;
}

/** Grants `fn` exactly what its topology entry's `access` declares, and nothing else. */
export function grantTopologyAccess(
  scope: Stack,
  fn: HubFunction,
  spec: FunctionSpec,
  ctx: FunctionAccessContext,
): void {
  const { config, stateful } = ctx;
  const { access } = spec;
  if (access.database) {
    stateful.proxy.grantConnect(fn, APP_DB_USER);
    fn.connections.allowTo(stateful.proxy, ec2.Port.tcp(PROXY_PORT), `${spec.name} to RDS Proxy`);
    // the schema (and hub_app) exist before the code that uses them is updated
    fn.node.addDependency(ctx.migrations);
  }
  const objectGrants = [
    {
      prefixes: access.bucket.write,
      actions: [...ACCESS_ACTIONS.bucketWrite, ...ACCESS_ACTIONS.bucketWriteKey],
    },
    {
      prefixes: access.bucket.read,
      actions: [...ACCESS_ACTIONS.bucketRead, ...ACCESS_ACTIONS.bucketReadKey],
    },
  ];
  for (const { prefixes, actions } of objectGrants) {
    for (const prefix of prefixes) {
      stateful.bucket.grants.actionsOnObjectKeys(fn, `${bucketLayout[prefix]}*`, ...actions);
    }
  }
  const erase = access.bucket.erase ?? [];
  for (const prefix of erase) {
    stateful.bucket.grants.actionsOnObjectKeys(fn, `${bucketLayout[prefix]}*`, ...ACCESS_ACTIONS.bucketErase);
  }
  if (erase.length > 0) {
    iam.Grant.addToPrincipal({
      grantee: fn,
      actions: [...ACCESS_ACTIONS.bucketListVersions],
      resourceArns: [stateful.bucket.bucketArn],
    });
  }
  for (const queue of access.queues.send) {
    stateful.queues[queue].queue.grants.actions(fn, [...ACCESS_ACTIONS.queueSend], {
      keyActions: [...ACCESS_ACTIONS.queueSendKey],
    });
  }
  const secretGrants = [
    {
      scopes: access.secrets.read,
      actions: ACCESS_ACTIONS.secretRead,
      keyActions: ACCESS_ACTIONS.secretReadKey,
    },
    {
      scopes: access.secrets.write,
      actions: ACCESS_ACTIONS.secretWrite,
      keyActions: ACCESS_ACTIONS.secretWriteKey,
    },
  ];
  for (const { scopes, actions, keyActions } of secretGrants) {
    for (const scopeName of scopes) {
      iam.Grant.addToPrincipal({
        grantee: fn,
        actions: [...actions],
        resourceArns: [secretArnPattern(scope, config, scopeName)],
      });
      stateful.secretsKey.grants.actions(fn, ...keyActions);
    }
  }

  const iam5: string[] = [];
  if (access.bucket.read.length + access.bucket.write.length > 0) {
    iam5.push('bucket key prefixes from the topology bucketLayout (e.g. "resumes/*")');
  }
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
}

/** `arn:…:secretsmanager:<region>:<account>:secret:<prefix>/<scope path>*` (the name plus its random suffix). */
function secretArnPattern(scope: Stack, config: StageConfig, scopeName: SecretScope): string {
  return scope.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${config.secretsPrefix}/${secretScopePaths[scopeName]}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

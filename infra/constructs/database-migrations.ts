import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResource } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { acknowledgeGuard } from './guard.js';
import { HubFunction, REPO_ROOT } from './hub-function.js';
import { acknowledge } from './nag.js';

/** Same file rule as `loadMigrations` in shared/db/migrate.ts. */
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;

/** Where the bundle carries the SQL files (Lambda unpacks the asset into /var/task). */
export const BUNDLED_MIGRATIONS_DIR = '/var/task/migrations';

/** sha256 over the names and contents of `migrations/*.sql`: a changed or added migration re-runs db-migrate. */
export function migrationsHash(dir = join(REPO_ROOT, 'migrations')): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(dir, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

export interface DatabaseMigrationsProps {
  config: StageConfig;
  vpc: ec2.IVpc;
  vpcSubnets: ec2.SubnetSelection;
  endpointSecurityGroup: ec2.ISecurityGroup;
  cluster: rds.DatabaseCluster;
  /** Key of the owner secret. */
  secretsKey: kms.IKey;
  databaseName: string;
}

/**
 * Deploy-time migrations: the db-migrate function (house construct) behind the custom-resource Provider
 * framework. It connects straight to the cluster writer as the owner, with the generated owner secret, and
 * applies `migrations/` (bundled next to the handler). The resource's `MigrationsHash` property changes with
 * any SQL file, so CloudFormation sends an Update and the migrations run again; functions that need the
 * schema depend on `resource`.
 */
export class DatabaseMigrations extends Construct {
  readonly function: HubFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DatabaseMigrationsProps) {
    super(scope, id);
    const { config, cluster } = props;
    const ownerSecret = cluster.secret;
    if (!ownerSecret) throw new Error('the cluster has no generated owner secret');

    this.function = new HubFunction(this, 'DbMigrate', {
      spec: {
        name: 'db-migrate',
        description: 'apply migrations/ at deploy time (CloudFormation custom resource)',
        entry: 'functions/db-migrate/handler.ts',
        timeoutSeconds: 300,
        memoryMb: 512,
      },
      config,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      endpointSecurityGroup: props.endpointSecurityGroup,
      publicHttpsEgress: false,
      environment: {
        DB_HOST: cluster.clusterEndpoint.hostname,
        DB_PORT: cluster.clusterEndpoint.port.toString(),
        DB_NAME: props.databaseName,
        DB_SECRET_ARN: ownerSecret.secretArn,
        MIGRATIONS_DIR: BUNDLED_MIGRATIONS_DIR,
        // Node 20+ runtimes no longer trust the RDS CA by default; the direct cluster connection verifies it
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      },
      afterBundling: (inputDir, outputDir) => [`cp -R "${inputDir}/migrations" "${outputDir}/migrations"`],
    });
    // explicit rather than secret.grantRead(): that one adds the role to the key policy of the other stack
    iam.Grant.addToPrincipal({
      grantee: this.function,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [ownerSecret.secretArn],
    });
    props.secretsKey.grant(this.function, 'kms:Decrypt');
    this.function.connections.allowToDefaultPort(cluster, 'db-migrate to Aurora (owner)');

    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const providerRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `db-migrate (${config.name}): custom-resource framework role`,
    });
    providerLogs.grantWrite(providerRole);
    providerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Tracing',
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
    );
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function.fn,
      logGroup: providerLogs,
      frameworkOnEventRole: providerRole,
    });
    // the framework function is CDK's; give it the house settings the Serverless pack asks for
    for (const child of provider.node.findAll()) {
      const cfn = child.node.defaultChild as lambda.CfnFunction | undefined;
      if (cfn?.cfnResourceType === 'AWS::Lambda::Function') {
        cfn.memorySize = 256;
        cfn.tracingConfig = { mode: 'Active' };
      }
    }

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::HubMigrations',
      properties: { MigrationsHash: migrationsHash(), Database: props.databaseName },
    });

    acknowledge(
      providerRole,
      'AwsSolutions-IAM5',
      'CDK provider framework: "<db-migrate ARN>:*" lets it invoke versions of that one function; ' +
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource scoping.',
      ['Resource::*', /^Resource::<.*DbMigrate.*\.Arn>:\*$/],
    );
    acknowledge(
      provider,
      'Serverless-LambdaDLQ',
      'CloudFormation custom-resource framework: a failed invocation fails the stack operation, which is ' +
        'the failure signal; there is nothing to redrive.',
    );
    const cdkRuntime =
      'CDK provider framework function; aws-cdk-lib chooses its runtime (the latest Node it knows).';
    acknowledge(provider, 'AwsSolutions-L1', cdkRuntime);
    acknowledgeGuard(provider, 'CT.LAMBDA.PR.3:framework');
    acknowledgeGuard(providerLogs, 'CT.CLOUDWATCH.PR.2', 'CT.CLOUDWATCH.PR.3');
    acknowledge(provider, 'Serverless-LambdaLatestVersion', cdkRuntime);
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'Invoked synchronously by the custom-resource framework; a failure fails the deployment, which is the ' +
        'failure signal. An asynchronous DLQ would never receive anything.',
    );
  }
}

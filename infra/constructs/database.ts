import { Duration, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { StageConfig } from '../config/stages.js';
import { acknowledgeGuard } from './guard.js';
import { acknowledge } from './nag.js';

/** Runtime database role (migrations/0002 creates it with `rds_iam`); the only user the functions connect as. */
export const APP_DB_USER = 'hub_app';
/** Owner of the schema; its generated credentials live in the cluster secret and are used by db-migrate only. */
export const OWNER_DB_USER = 'hub_owner';
export const DATABASE_NAME = 'hub';
/** RDS Proxy listens on the engine's default port whatever the cluster port is. */
export const PROXY_PORT = 5432;

/** Characters left out of generated owner passwords (they would need escaping in a connection URL). */
const EXCLUDED_PASSWORD_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\,=^';

export interface HubDatabaseProps {
  config: StageConfig;
  vpc: ec2.IVpc;
  /** Isolated subnets: the cluster, the proxy and the rotation function live there. */
  subnets: ec2.SubnetSelection;
  secretsKey: kms.IKey;
  databaseKey: kms.IKey;
  /** The Secrets Manager interface endpoint the rotation function calls. */
  secretsEndpoint: ec2.IInterfaceVpcEndpoint;
}

/**
 * Aurora PostgreSQL Serverless v2 with its log group, parameter group, rotated owner secret and the RDS Proxy
 * the functions connect through. Adds its resources straight to `scope` (no construct node of its own, so
 * logical IDs are those the stack always had).
 */
export function addHubDatabase(
  scope: Stack,
  props: HubDatabaseProps,
): { cluster: rds.DatabaseCluster; proxy: rds.DatabaseProxy } {
  const { config, vpc, subnets } = props;
  const dbSecurityGroup = new ec2.SecurityGroup(scope, 'DatabaseSecurityGroup', {
    vpc,
    description:
      'Aurora: reachable from the RDS Proxy, the migration function and the rotation function only',
    allowAllOutbound: false,
  });
  const proxySecurityGroup = new ec2.SecurityGroup(scope, 'ProxySecurityGroup', {
    vpc,
    description: 'RDS Proxy: reachable from the hub functions only',
    allowAllOutbound: false,
  });
  proxySecurityGroup.addEgressRule(dbSecurityGroup, ec2.Port.tcp(config.database.port), 'proxy to Aurora');

  const engine = rds.DatabaseClusterEngine.auroraPostgres({
    version: rds.AuroraPostgresEngineVersion.of(
      config.database.engineVersion,
      config.database.engineVersion.split('.')[0] ?? '16',
    ),
  });
  // A name derived from the stack (unique per stage, account and region): RDS names the log group after
  // it, and the log group is created first so that its retention applies from the first line.
  const clusterIdentifier = `${scope.stackName}-db`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const databaseLogs = new logs.LogGroup(scope, 'DatabaseLogs', {
    logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
    retention: config.logRetention,
    removalPolicy: config.removalPolicy,
  });
  acknowledgeGuard(databaseLogs, 'CT.CLOUDWATCH.PR.2', 'CT.CLOUDWATCH.PR.3');
  const cluster = new rds.DatabaseCluster(scope, 'Database', {
    engine,
    clusterIdentifier,
    credentials: rds.Credentials.fromGeneratedSecret(OWNER_DB_USER, {
      encryptionKey: props.secretsKey,
      excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
    }),
    defaultDatabaseName: DATABASE_NAME,
    port: config.database.port,
    writer: rds.ClusterInstance.serverlessV2('Writer', { autoMinorVersionUpgrade: true }),
    readers: Array.from({ length: config.database.readers }, (_, i) =>
      rds.ClusterInstance.serverlessV2(`Reader${i + 1}`, {
        scaleWithWriter: true,
        autoMinorVersionUpgrade: true,
      }),
    ),
    serverlessV2MinCapacity: config.database.minAcu,
    serverlessV2MaxCapacity: config.database.maxAcu,
    vpc,
    vpcSubnets: subnets,
    securityGroups: [dbSecurityGroup],
    storageEncrypted: true,
    storageEncryptionKey: props.databaseKey,
    iamAuthentication: true,
    deletionProtection: config.database.deletionProtection,
    backup: {
      retention: Duration.days(config.database.backupRetentionDays),
      preferredWindow: '03:00-04:00',
    },
    preferredMaintenanceWindow: 'Sun:04:30-Sun:05:30',
    copyTagsToSnapshot: true,
    cloudwatchLogsExports: ['postgresql'],
    parameterGroup: new rds.ParameterGroup(scope, 'DatabaseParameters', {
      engine,
      description: 'ATS hub: TLS only',
      parameters: { 'rds.force_ssl': '1' },
    }),
    removalPolicy: config.database.removalPolicy,
  });
  cluster.node.addDependency(databaseLogs);
  // the writer and reader instances are children of the cluster
  acknowledgeGuard(cluster, 'CT.RDS.PR.2');
  if (!config.database.deletionProtection) {
    acknowledge(
      cluster,
      'AwsSolutions-RDS10',
      `Stage ${config.name} is disposable and is torn down with "cdk destroy"; prod sets deletionProtection.`,
    );
    acknowledgeGuard(cluster, 'CT.RDS.PR.3');
  }
  // owner credentials rotate (AwsSolutions-SMG4); the rotation function reaches Secrets Manager through
  // the interface endpoint and the database through its own security group
  cluster.addRotationSingleUser({
    automaticallyAfter: Duration.days(config.database.ownerSecretRotationDays),
    vpcSubnets: subnets,
    endpoint: props.secretsEndpoint,
    excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
  });

  // RDS Proxy with end-to-end IAM authentication: clients present an IAM token (rds-db:connect on the
  // proxy's dbuser) and the proxy logs in to Aurora as the same user with IAM too, so the runtime role
  // hub_app has no password anywhere. TLS is required on the client side; Aurora forces it as well.
  const proxyRole = new iam.Role(scope, 'ProxyRole', {
    assumedBy: new iam.ServicePrincipal('rds.amazonaws.com'),
    description: 'RDS Proxy: IAM login to Aurora as hub_app',
  });
  const proxy = new rds.DatabaseProxy(scope, 'Proxy', {
    proxyTarget: rds.ProxyTarget.fromCluster(cluster),
    vpc,
    vpcSubnets: subnets,
    securityGroups: [proxySecurityGroup],
    defaultAuthScheme: rds.DefaultAuthScheme.IAM_AUTH,
    iamAuth: true,
    requireTLS: true,
    role: proxyRole,
    maxConnectionsPercent: config.database.proxyMaxConnectionsPercent,
    idleClientTimeout: Duration.minutes(30),
    borrowTimeout: Duration.seconds(30),
  });
  cluster.grantConnect(proxyRole, APP_DB_USER);
  return { cluster, proxy };
}

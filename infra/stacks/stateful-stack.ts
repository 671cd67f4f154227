import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { applyFeatureFlagDefaults } from '../config/feature-flags.js';
import type { StageConfig } from '../config/stages.js';
import { acknowledge } from '../constructs/nag.js';
import {
  bucketLayout,
  eventRuleName,
  eventTriggers,
  type QueueName,
  queues as queueSpecs,
  SCAN_STATUS_TAG,
  visibilityTimeoutSeconds,
} from '../topology.js';

/** Runtime database role (migrations/0002 creates it with `rds_iam`); the only user the functions connect as. */
export const APP_DB_USER = 'hub_app';
/** Owner of the schema; its generated credentials live in the cluster secret and are used by db-migrate only. */
export const OWNER_DB_USER = 'hub_owner';
export const DATABASE_NAME = 'hub';
/** RDS Proxy listens on the engine's default port whatever the cluster port is. */
export const PROXY_PORT = 5432;
/** Tag GuardDuty Malware Protection for S3 writes on every scanned object (defined with the topology). */
export { SCAN_STATUS_TAG };

export interface HubQueue {
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
}

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/**
 * Everything that holds data or must outlive a redeploy of the code: network, keys, the database and its
 * proxy, the bucket, the queues. Nothing here knows a function; the stateless stack grants itself access.
 */
export class StatefulStack extends Stack {
  readonly config: StageConfig;
  readonly vpc: ec2.Vpc;
  /** Subnets of every function ENI (isolated, or private-with-egress when the stage has NAT). */
  readonly functionSubnets: ec2.SubnetSelection;
  readonly endpointSecurityGroup: ec2.SecurityGroup;
  readonly storageKey: kms.Key;
  readonly messagingKey: kms.Key;
  readonly secretsKey: kms.Key;
  readonly databaseKey: kms.Key;
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly queues: Record<QueueName, HubQueue>;
  /** Dead-letter queue of the schedules, the EventBridge rule targets and of asynchronously invoked functions. */
  readonly failedInvocations: sqs.Queue;
  readonly cluster: rds.DatabaseCluster;
  readonly proxy: rds.DatabaseProxy;
  readonly malwareProtectionRole?: iam.Role;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    applyFeatureFlagDefaults(this);
    const { config } = props;
    this.config = config;

    // ---------------------------------------------------------------- keys (one per purpose, rotated: KMS5)
    const key = (keyId: string, description: string) =>
      new kms.Key(this, keyId, {
        description: `${description} (${config.name})`,
        enableKeyRotation: true,
        removalPolicy: config.removalPolicy,
        pendingWindow: Duration.days(config.name === 'prod' ? 30 : 7),
      });
    this.storageKey = key('StorageKey', 'ATS hub: bucket objects');
    this.messagingKey = key('MessagingKey', 'ATS hub: SQS queues and the alarm topic');
    this.secretsKey = key(
      'SecretsKey',
      'ATS hub: Secrets Manager secrets (owner credentials, providers, webhooks)',
    );
    this.databaseKey = key('DatabaseKey', 'ATS hub: Aurora storage');
    // CloudWatch alarms publish to the KMS-encrypted alarm topic (stateless stack) as the service itself
    this.messagingKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    // ---------------------------------------------------------------- access logs (S1 target, flow logs)
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging delivers only to SSE-S3 buckets
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(config.bucket.accessLogDays) }],
      removalPolicy: config.removalPolicy,
    });
    acknowledge(
      this.accessLogBucket,
      'AwsSolutions-S1',
      'This bucket is the server-access-log and VPC-flow-log destination; logging it into itself would loop.',
    );

    // ---------------------------------------------------------------- network
    // No NAT by default: the database and the function ENIs live in isolated subnets and reach AWS through
    // the endpoints below. Provider APIs (Greenhouse, Lever, Ashby, BambooHR, Workday) are on the internet,
    // so syncs and status pushes need egress: a stage turns it on with `network.natGateways > 0`, which adds
    // public + private-with-egress subnets for the functions (the database stays isolated). See docs/deploy.md.
    const withNat = config.network.natGateways > 0;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: config.network.maxAzs,
      natGateways: config.network.natGateways,
      subnetConfiguration: [
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
        ...(withNat
          ? [
              { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26 },
              { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
            ]
          : []),
      ],
    });
    this.vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toS3(this.accessLogBucket, 'vpc-flow-logs/'),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    const isolated: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    this.functionSubnets = withNat ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : isolated;

    this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface VPC endpoints: HTTPS from the hub functions only',
      allowAllOutbound: false,
    });
    const endpoint = (endpointId: string, service: ec2.InterfaceVpcEndpointAwsService) =>
      this.vpc.addInterfaceEndpoint(endpointId, {
        service,
        subnets: isolated,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
    endpoint('SqsEndpoint', ec2.InterfaceVpcEndpointAwsService.SQS);
    const secretsEndpoint = endpoint(
      'SecretsManagerEndpoint',
      ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    );
    endpoint('KmsEndpoint', ec2.InterfaceVpcEndpointAwsService.KMS);

    // ---------------------------------------------------------------- bucket: resumes/, raw/, exports/
    this.bucket = new s3.Bucket(this, 'Data', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.storageKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      removalPolicy: config.removalPolicy,
      cors: config.bucket.uploadCorsOrigins.length
        ? [
            {
              allowedMethods: [s3.HttpMethods.POST],
              allowedOrigins: config.bucket.uploadCorsOrigins,
              allowedHeaders: ['*'],
              maxAge: 300,
            },
          ]
        : undefined,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          // erasure (reliability.md §8): a deleted or replaced resume leaves a non-current version behind
          id: 'resumes',
          prefix: bucketLayout.resumes,
          noncurrentVersionExpiration: Duration.days(config.bucket.noncurrentVersionDays),
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'raw-payloads',
          prefix: bucketLayout.raw,
          expiration: Duration.days(config.bucket.rawPayloadDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'exports',
          prefix: bucketLayout.exports,
          expiration: Duration.days(config.bucket.exportDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });

    if (config.bucket.malwareProtection) {
      this.malwareProtectionRole = this.addMalwareProtection();
    }
    // A resume is readable only once GuardDuty tagged it clean (reliability.md §8): deny every principal
    // whatever its IAM policy says, except the scanner itself, which must read the object to scan it.
    // document-scan (the consumer of GuardDuty's scan-result event) is deliberately NOT excepted: it sniffs
    // the bytes only for a NO_THREATS_FOUND result, when the object already carries the clean tag and this
    // statement lets the read through; every other result decides the verdict without the bytes
    // (shared/documents/document-scan.ts). So nothing but GuardDuty ever reads an unscanned or infected
    // resume. The scanned version carries the clean tag, so a refused read of it means it is gone (S3 answers
    // 403 for a missing object without s3:ListBucket): recorded as deleted, not retried.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyResumeReadsUntilScannedClean',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects(`${bucketLayout.resumes}*`)],
        conditions: {
          StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: 'NO_THREATS_FOUND' },
          ...(this.malwareProtectionRole
            ? { ArnNotEquals: { 'aws:PrincipalArn': this.malwareProtectionRole.roleArn } }
            : {}),
        },
      }),
    );

    // ---------------------------------------------------------------- queues from the topology
    const queueProps = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.messagingKey,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      removalPolicy: config.removalPolicy,
    };
    const built = {} as Record<QueueName, HubQueue>;
    for (const spec of queueSpecs) {
      const deadLetterQueue = new sqs.Queue(this, `${pascal(spec.name)}DeadLetterQueue`, {
        ...queueProps,
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, `${pascal(spec.name)}Queue`, {
        ...queueProps,
        // ≥ 6 × the consumer's timeout + its batching window (reliability.md §1.2), computed by the topology
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(spec.name)),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
      acknowledge(
        deadLetterQueue,
        'Serverless-SQSRedrivePolicy',
        `Dead-letter queue of the ${spec.name} queue (its redrive target); a DLQ has no DLQ of its own.`,
      );
      built[spec.name] = { queue, deadLetterQueue };
    }
    this.queues = built;

    this.failedInvocations = new sqs.Queue(this, 'FailedInvocationsQueue', {
      ...queueProps,
      retentionPeriod: Duration.days(14),
    });
    // EventBridge rule targets (stateless stack) send undeliverable events here: a resource policy naming the
    // rules by ARN (their names are fixed by the topology, so no reference back to the stateless stack), and
    // the service may use the messaging key for this account only.
    const ruleArns = eventTriggers().map(({ fn, trigger }) =>
      this.formatArn({
        service: 'events',
        resource: 'rule',
        resourceName: eventRuleName(config.name, fn, trigger),
      }),
    );
    if (ruleArns.length > 0) {
      this.failedInvocations.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowHubEventRulesToDeadLetter',
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [this.failedInvocations.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': ruleArns } },
        }),
      );
      this.messagingKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowEventBridgeToUseTheKeyForDeadLetters',
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );
    }
    acknowledge(
      this.failedInvocations,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter queue: the DLQ of the EventBridge Scheduler and rule targets and of ' +
        'the asynchronously invoked (scheduled, event-driven) functions. Those are not SQS redrive sources, so the rule cannot see it.',
    );
    acknowledge(
      this.failedInvocations,
      'Serverless-SQSRedrivePolicy',
      'Dead-letter queue of the schedules, the event rules and of asynchronous invocations; a DLQ has no DLQ of its own.',
    );

    // ---------------------------------------------------------------- database
    const dbSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description:
        'Aurora: reachable from the RDS Proxy, the migration function and the rotation function only',
      allowAllOutbound: false,
    });
    const proxySecurityGroup = new ec2.SecurityGroup(this, 'ProxySecurityGroup', {
      vpc: this.vpc,
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
    const clusterIdentifier = `${this.stackName}-db`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const databaseLogs = new logs.LogGroup(this, 'DatabaseLogs', {
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.cluster = new rds.DatabaseCluster(this, 'Database', {
      engine,
      clusterIdentifier,
      credentials: rds.Credentials.fromGeneratedSecret(OWNER_DB_USER, {
        encryptionKey: this.secretsKey,
        excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\,=^',
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
      vpc: this.vpc,
      vpcSubnets: isolated,
      securityGroups: [dbSecurityGroup],
      storageEncrypted: true,
      storageEncryptionKey: this.databaseKey,
      iamAuthentication: true,
      deletionProtection: config.database.deletionProtection,
      backup: {
        retention: Duration.days(config.database.backupRetentionDays),
        preferredWindow: '03:00-04:00',
      },
      preferredMaintenanceWindow: 'Sun:04:30-Sun:05:30',
      copyTagsToSnapshot: true,
      cloudwatchLogsExports: ['postgresql'],
      parameterGroup: new rds.ParameterGroup(this, 'DatabaseParameters', {
        engine,
        description: 'ATS hub: TLS only',
        parameters: { 'rds.force_ssl': '1' },
      }),
      removalPolicy: config.database.removalPolicy,
    });
    this.cluster.node.addDependency(databaseLogs);
    if (!config.database.deletionProtection) {
      acknowledge(
        this.cluster,
        'AwsSolutions-RDS10',
        `Stage ${config.name} is disposable and is torn down with "cdk destroy"; prod sets deletionProtection.`,
      );
    }
    // owner credentials rotate (AwsSolutions-SMG4); the rotation function reaches Secrets Manager through
    // the interface endpoint and the database through its own security group
    this.cluster.addRotationSingleUser({
      automaticallyAfter: Duration.days(config.database.ownerSecretRotationDays),
      vpcSubnets: isolated,
      endpoint: secretsEndpoint,
      excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\,=^',
    });

    // RDS Proxy with end-to-end IAM authentication: clients present an IAM token (rds-db:connect on the
    // proxy's dbuser) and the proxy logs in to Aurora as the same user with IAM too, so the runtime role
    // hub_app has no password anywhere. TLS is required on the client side; Aurora forces it as well.
    const proxyRole = new iam.Role(this, 'ProxyRole', {
      assumedBy: new iam.ServicePrincipal('rds.amazonaws.com'),
      description: 'RDS Proxy: IAM login to Aurora as hub_app',
    });
    this.proxy = new rds.DatabaseProxy(this, 'Proxy', {
      proxyTarget: rds.ProxyTarget.fromCluster(this.cluster),
      vpc: this.vpc,
      vpcSubnets: isolated,
      securityGroups: [proxySecurityGroup],
      defaultAuthScheme: rds.DefaultAuthScheme.IAM_AUTH,
      iamAuth: true,
      requireTLS: true,
      role: proxyRole,
      maxConnectionsPercent: config.database.proxyMaxConnectionsPercent,
      idleClientTimeout: Duration.minutes(30),
      borrowTimeout: Duration.seconds(30),
    });
    this.cluster.grantConnect(proxyRole, APP_DB_USER);

    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'ClusterWriterEndpoint', {
      value: `${this.cluster.clusterEndpoint.hostname}:${config.database.port}`,
      description: 'owner connections only (db-migrate, keys:create); the functions use the proxy',
    });
    new CfnOutput(this, 'ProxyEndpoint', { value: this.proxy.endpoint });
    new CfnOutput(this, 'OwnerSecretArn', {
      value: this.cluster.secret?.secretArn ?? '',
      description: 'hub_owner credentials (rotated); DATABASE_URL for keys:create and the migrate CLI',
    });
    new CfnOutput(this, 'SecretsPrefix', { value: config.secretsPrefix });
  }

  /**
   * GuardDuty Malware Protection for S3 on `resumes/`: scans each new object and tags it with
   * `GuardDutyMalwareScanStatus`; works without a GuardDuty detector (then without findings). The role is
   * the one AWS documents for a protected bucket, narrowed to the resumes prefix.
   */
  private addMalwareProtection(): iam.Role {
    const role = new iam.Role(this, 'MalwareProtectionRole', {
      assumedBy: new iam.ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'GuardDuty Malware Protection for S3: scan and tag resumes',
    });
    const ruleArn = this.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: 'DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
    });
    const resumes = this.bucket.arnForObjects(`${bucketLayout.resumes}*`);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ManageTheManagedEventBridgeRule',
        actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
        resources: [ruleArn],
        conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'MonitorTheManagedEventBridgeRule',
        actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
        resources: [ruleArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TagScannedResumes',
        actions: [
          's3:PutObjectTagging',
          's3:GetObjectTagging',
          's3:PutObjectVersionTagging',
          's3:GetObjectVersionTagging',
        ],
        resources: [resumes],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EnableBucketEvents',
        actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PutValidationObject',
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('malware-protection-resource-validation-object')],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadResumesToScan',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [resumes],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptResumesToScan',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.storageKey.keyArn],
        conditions: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
      }),
    );
    const plan = new guardduty.CfnMalwareProtectionPlan(this, 'ResumeMalwareProtection', {
      role: role.roleArn,
      protectedResource: {
        s3Bucket: { bucketName: this.bucket.bucketName, objectPrefixes: [bucketLayout.resumes] },
      },
      actions: { tagging: { status: 'ENABLED' } },
    });
    plan.node.addDependency(role);
    acknowledge(
      role,
      'AwsSolutions-IAM5',
      'Policy documented by AWS for Malware Protection for S3: the managed EventBridge rule name is fixed by ' +
        'GuardDuty up to a generated suffix, and object permissions are limited to the resumes/ key prefix.',
      [
        /^Resource::arn:.*:events:.*:rule\/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3\*$/,
        /^Resource::<Data[0-9A-F]{8}\.Arn>\/resumes\/\*$/,
      ],
    );
    return role;
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

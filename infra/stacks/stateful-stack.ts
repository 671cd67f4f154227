import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { applyFeatureFlagDefaults } from '../config/feature-flags.js';
import type { StageConfig } from '../config/stages.js';
import { addHubDatabase } from '../constructs/database.js';
import { acknowledgeGuard } from '../constructs/guard.js';
import { addHubQueues, type HubQueue } from '../constructs/hub-queues.js';
import { addMalwareProtection } from '../constructs/malware-protection.js';
import { acknowledge } from '../constructs/nag.js';
import { bucketLayout, type QueueName, SCAN_STATUS_TAG } from '../topology.js';

/** Re-exported: the database names and ports live with the database, the queue shape with the queues. */
export { APP_DB_USER, DATABASE_NAME, OWNER_DB_USER, PROXY_PORT } from '../constructs/database.js';
export type { HubQueue } from '../constructs/hub-queues.js';
/** Tag GuardDuty Malware Protection for S3 writes on every scanned object (defined with the topology). */
export { SCAN_STATUS_TAG };

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
    const key = (keyId: string, description: string) => {
      const created = new kms.Key(this, keyId, {
        description: `${description} (${config.name})`,
        enableKeyRotation: true,
        removalPolicy: config.removalPolicy,
        pendingWindow: Duration.days(config.name === 'prod' ? 30 : 7),
      });
      // grants are for AWS services acting for a principal (RDS on the database key), never for a principal
      // to hand the key on (Control Tower CT.KMS.PR.3)
      created.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyGrantsExceptForAwsServices',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: {
            BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      );
      return created;
    };
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
    acknowledgeGuard(
      this.accessLogBucket,
      'CT.S3.PR.2',
      'CT.S3.PR.4',
      'CT.S3.PR.9',
      'CT.S3.PR.10',
      'CT.S3.PR.11',
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
              // only the NAT gateways live here, on Elastic IPs (CT.EC2.PR.11)
              { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26, mapPublicIpOnLaunch: false },
              { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
            ]
          : []),
      ],
    });
    // the lockdown of the VPC's default security group is a CDK custom resource with a function of its own
    const restrictDefaultSg = this.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrictDefaultSg) acknowledgeGuard(restrictDefaultSg, 'CT.LAMBDA.PR.3:framework');
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
          // erasure (docs/reliability.md §8): a deleted or replaced resume leaves a non-current version behind
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

    acknowledgeGuard(this.bucket, 'CT.S3.PR.4', 'CT.S3.PR.9');

    if (config.bucket.malwareProtection) {
      this.malwareProtectionRole = addMalwareProtection(this, this.bucket, this.storageKey);
    }
    // A resume is readable only once GuardDuty tagged it clean (docs/reliability.md §8): deny every principal
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

    const { queues, failedInvocations } = addHubQueues(this, config, this.messagingKey);
    this.queues = queues;
    this.failedInvocations = failedInvocations;

    const { cluster, proxy } = addHubDatabase(this, {
      config,
      vpc: this.vpc,
      subnets: isolated,
      secretsKey: this.secretsKey,
      databaseKey: this.databaseKey,
      secretsEndpoint,
    });
    this.cluster = cluster;
    this.proxy = proxy;

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
}

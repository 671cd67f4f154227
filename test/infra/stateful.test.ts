import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stages } from '../../infra/config/stages.js';
import { DATABASE_NAME, SCAN_STATUS_TAG } from '../../infra/stacks/stateful-stack.js';
import {
  bucketLayout,
  eventRuleName,
  eventTriggers,
  functions,
  queues,
  visibilityTimeoutSeconds,
} from '../../infra/topology.js';
import { key, logicalIdIn, synthHub } from './support.js';

describe('stateful stack: network', () => {
  it('has isolated subnets only and no NAT in dev', () => {
    const { statefulTemplate: t } = synthHub('dev');
    const subnets = Object.values(t.findResources('AWS::EC2::Subnet')) as {
      Properties: { MapPublicIpOnLaunch?: boolean; Tags: { Key: string; Value: string }[] };
    }[];
    expect(subnets.length).toBe(2);
    for (const s of subnets) {
      expect(s.Properties.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Isolated' });
      expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
    }
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
  });

  it('adds NAT and private-with-egress subnets for the functions in prod, database still isolated', () => {
    const hub = synthHub('prod');
    hub.statefulTemplate.resourceCountIs('AWS::EC2::NatGateway', stages.prod.network.natGateways);
    expect(hub.stateful.functionSubnets.subnetType).toBe('Private');
    const dbSubnets = hub.statefulTemplate.findResources('AWS::RDS::DBSubnetGroup');
    const ids = JSON.stringify(Object.values(dbSubnets)[0]);
    expect(ids).toContain('isolatedSubnet');
    expect(ids).not.toContain('egressSubnet');
  });

  it('logs VPC flows and has the S3 gateway and SQS / Secrets Manager / KMS interface endpoints', () => {
    const { statefulTemplate: t } = synthHub();
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 's3' });
    const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')) as {
      Properties: { ServiceName: unknown; VpcEndpointType?: string; PrivateDnsEnabled?: boolean };
    }[];
    const names = endpoints.map((e) => key(e.Properties.ServiceName));
    expect(names.some((n) => n.includes('.s3'))).toBe(true);
    for (const service of ['sqs', 'secretsmanager', 'kms']) {
      const endpoint = endpoints.find((e) => key(e.Properties.ServiceName).includes(`.${service}`));
      expect(endpoint?.Properties.VpcEndpointType, service).toBe('Interface');
      expect(endpoint?.Properties.PrivateDnsEnabled, service).toBe(true);
    }
  });

  it('opens no security group to 0.0.0.0/0 ingress', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const hub = synthHub(stage);
      for (const t of [hub.statefulTemplate, hub.statelessTemplate]) {
        const groups = Object.values(t.findResources('AWS::EC2::SecurityGroup')) as {
          Properties: { SecurityGroupIngress?: { CidrIp?: string }[] };
        }[];
        const rules = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')) as {
          Properties: { CidrIp?: string };
        }[];
        for (const rule of [
          ...groups.flatMap((g) => g.Properties.SecurityGroupIngress ?? []),
          ...rules.map((r) => r.Properties),
        ]) {
          expect(rule.CidrIp).not.toBe('0.0.0.0/0');
        }
      }
    }
  });
});

describe('stateful stack: Aurora and RDS Proxy', () => {
  it('is Aurora PostgreSQL Serverless v2, encrypted with a CMK, IAM auth, non-default port, backups', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const { statefulTemplate: t } = synthHub(stage);
      const config = stages[stage].database;
      t.hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        EngineVersion: Match.stringLikeRegexp('^1[56]\\.'),
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: config.deletionProtection,
        Port: config.port,
        DatabaseName: DATABASE_NAME,
        BackupRetentionPeriod: config.backupRetentionDays,
        ServerlessV2ScalingConfiguration: { MinCapacity: config.minAcu, MaxCapacity: config.maxAcu },
        MasterUsername: 'hub_owner',
      });
      expect(config.port).not.toBe(5432);
      t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
      t.resourceCountIs('AWS::RDS::DBInstance', 1 + config.readers);
    }
    expect(stages.prod.database.deletionProtection).toBe(true);
  });

  it('forces TLS in the database and keeps the owner secret on the secrets CMK, rotated', () => {
    const { statefulTemplate: t } = synthHub();
    t.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsKey'), 'Arn'] },
    });
    t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
  });

  it('puts an RDS Proxy in front: end-to-end IAM auth, TLS required, targets the cluster', () => {
    const { statefulTemplate: t } = synthHub();
    t.hasResourceProperties('AWS::RDS::DBProxy', {
      EngineFamily: 'POSTGRESQL',
      RequireTLS: true,
      DefaultAuthScheme: 'IAM_AUTH',
    });
    t.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
      DBClusterIdentifiers: [{ Ref: Match.stringLikeRegexp('^Database') }],
    });
    // the proxy role may log in to Aurora as hub_app
    const policies = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('/hub_app');
    expect(policies).toContain('rds-db:connect');
  });

  it('keeps CMKs rotating', () => {
    const { statefulTemplate: t } = synthHub();
    for (const k of Object.values(t.findResources('AWS::KMS::Key')) as {
      Properties: { EnableKeyRotation: boolean };
    }[]) {
      expect(k.Properties.EnableKeyRotation).toBe(true);
    }
  });
});

describe('stateful stack: the bucket', () => {
  const dataBucket = () => {
    const { statefulTemplate: t } = synthHub();
    const [id, bucket] =
      Object.entries(t.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('Data')) ?? [];
    if (!id || !bucket) throw new Error('no data bucket');
    return { t, id, props: (bucket as { Properties: Record<string, unknown> }).Properties };
  };

  it('blocks public access, encrypts with the storage CMK, is versioned and logs to the access-log bucket', () => {
    const { props } = dataBucket();
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(key(props.BucketEncryption)).toContain('aws:kms');
    expect(key(props.BucketEncryption)).toContain('StorageKey');
    expect(key(props.BucketEncryption)).toContain('"BucketKeyEnabled":true');
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(key(props.LoggingConfiguration)).toContain('AccessLogs');
  });

  it('has a lifecycle rule per prefix of the topology bucket layout', () => {
    const { props } = dataBucket();
    const rules = (props.LifecycleConfiguration as { Rules: { Prefix?: string; Status: string }[] }).Rules;
    for (const prefix of Object.values(bucketLayout)) {
      expect(
        rules.some((r) => r.Prefix === prefix && r.Status === 'Enabled'),
        prefix,
      ).toBe(true);
    }
    expect(rules.some((r) => key(r).includes('AbortIncompleteMultipartUpload'))).toBe(true);
  });

  it('denies insecure transport and denies reading resumes until GuardDuty tagged them clean', () => {
    const { t, id } = dataBucket();
    const policy = Object.values(t.findResources('AWS::S3::BucketPolicy')).find(
      (p) => key((p as { Properties: { Bucket: unknown } }).Properties.Bucket) === key({ Ref: id }),
    ) as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } };
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const resumeDeny = statements.find((s) => s.Sid === 'DenyResumeReadsUntilScannedClean');
    expect(resumeDeny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: expect.arrayContaining(['s3:GetObject']),
      Condition: { StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: 'NO_THREATS_FOUND' } },
    });
    expect(key(resumeDeny?.Resource)).toContain('"/resumes/*"');
  });

  it('excepts only the GuardDuty scanner from the resume read gate, not document-scan or any other function', () => {
    const hub = synthHub();
    const { t, id } = dataBucket();
    const policy = Object.values(t.findResources('AWS::S3::BucketPolicy')).find(
      (p) => key((p as { Properties: { Bucket: unknown } }).Properties.Bucket) === key({ Ref: id }),
    ) as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } };
    const resumeDeny = policy.Properties.PolicyDocument.Statement.find(
      (s) => s.Sid === 'DenyResumeReadsUntilScannedClean',
    );
    const role = hub.stateful.malwareProtectionRole;
    if (!role) throw new Error('dev scans resumes with GuardDuty: no malware-protection role');
    const condition = (resumeDeny?.Condition ?? {}) as Record<string, unknown>;
    expect(condition.ArnNotEquals).toEqual({
      'aws:PrincipalArn': { 'Fn::GetAtt': [logicalIdIn(hub.stateful, role), 'Arn'] },
    });
    // document-scan reads a resume only once it is tagged clean, so it needs (and gets) no exception
    expect(key(resumeDeny)).not.toMatch(/DocumentScan/);
    expect(Object.keys(condition).sort()).toEqual(['ArnNotEquals', 'StringNotEquals']);
  });

  it('scans resumes/ with GuardDuty Malware Protection for S3, tagging on', () => {
    const { t } = dataBucket();
    t.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
      ProtectedResource: { S3Bucket: { ObjectPrefixes: [bucketLayout.resumes] } },
      Actions: { Tagging: { Status: 'ENABLED' } },
    });
  });

  it('keeps access logs in a separate SSE-S3 bucket with public access blocked and SSL enforced', () => {
    const { statefulTemplate: t } = synthHub();
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    expect(Object.keys(t.findResources('AWS::S3::BucketPolicy')).length).toBe(2);
  });
});

describe('stateful stack: queues', () => {
  it('creates every topology queue with a KMS-encrypted DLQ, redrive from the topology and the 6× visibility rule', () => {
    const hub = synthHub();
    const t = hub.statefulTemplate;
    for (const spec of queues) {
      const { queue, deadLetterQueue } = hub.stateful.queues[spec.name];
      const queueId = logicalIdIn(hub.stateful, queue);
      const dlqId = logicalIdIn(hub.stateful, deadLetterQueue);
      const props = (t.toJSON().Resources[queueId] as { Properties: Record<string, unknown> }).Properties;
      expect(props.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: spec.maxReceiveCount,
      });
      expect(spec.maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(key(props.KmsMasterKeyId)).toContain('MessagingKey');
      const visibility = props.VisibilityTimeout as number;
      expect(visibility).toBe(visibilityTimeoutSeconds(spec.name));
      for (const fn of functions) {
        for (const trigger of fn.triggers) {
          if (trigger.type === 'queue' && trigger.queue === spec.name) {
            expect(visibility).toBeGreaterThanOrEqual(
              6 * fn.timeoutSeconds + trigger.maxBatchingWindowSeconds,
            );
          }
        }
      }
      const dlqProps = (t.toJSON().Resources[dlqId] as { Properties: Record<string, unknown> }).Properties;
      expect(key(dlqProps.KmsMasterKeyId)).toContain('MessagingKey');
    }
  });

  it('lets exactly the event rules of the topology, by name, dead-letter into the failed-invocations queue', () => {
    const hub = synthHub();
    const t = hub.statefulTemplate;
    const queueId = logicalIdIn(hub.stateful, hub.stateful.failedInvocations);
    const policy = Object.values(t.findResources('AWS::SQS::QueuePolicy')).find((p) =>
      (p as { Properties: { Queues: unknown[] } }).Properties.Queues.some(
        (q) => key(q) === key({ Ref: queueId }),
      ),
    ) as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } };
    const allows = policy.Properties.PolicyDocument.Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    const condition = (allows[0]?.Condition ?? {}) as { ArnEquals?: { 'aws:SourceArn'?: unknown[] } };
    const sourceArns = condition.ArnEquals?.['aws:SourceArn'] ?? [];
    expect(sourceArns.map(key)).toEqual(
      eventTriggers().map(({ fn, trigger }) =>
        expect.stringContaining(`:rule/${eventRuleName('dev', fn, trigger)}"`),
      ),
    );
    expect(sourceArns.length).toBe(eventTriggers().length);
    // the queue is encrypted with the messaging key: EventBridge may use it, for this account only
    const keyId = logicalIdIn(hub.stateful, hub.stateful.messagingKey);
    const keyPolicy = (t.toJSON().Resources[keyId] as { Properties: { KeyPolicy: { Statement: unknown[] } } })
      .Properties.KeyPolicy.Statement;
    expect(keyPolicy).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });

  it('enforces SSL on every queue', () => {
    const { statefulTemplate: t } = synthHub();
    const queueIds = Object.keys(t.findResources('AWS::SQS::Queue'));
    const policies = Object.values(t.findResources('AWS::SQS::QueuePolicy')) as {
      Properties: { Queues: unknown[]; PolicyDocument: unknown };
    }[];
    for (const id of queueIds) {
      const policy = policies.find((p) => p.Properties.Queues.some((q) => key(q) === key({ Ref: id })));
      expect(key(policy?.Properties.PolicyDocument), id).toContain('"aws:SecureTransport":"false"');
    }
  });
});

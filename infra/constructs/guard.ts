import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { acknowledge } from './nag.js';

/**
 * The second opinion on the templates: AWS Control Tower's proactive controls (CloudFormation Guard rules)
 * through CDK's policy-validation plugin `@cdklabs/cdk-validator-cfnguard`, which runs its bundled
 * `cfn-guard` binary (Linux and macOS, x64 and arm64) on the synthesized templates, offline.
 *
 * A finding is fixed in the stacks or acknowledged here: every control the hub does not meet is listed
 * below with its reason, and `acknowledgeGuard(scope, control)` applies it to one construct and its
 * children (CDK's own `Validations.of(scope).acknowledge`, which suppresses plugin findings by construct
 * path). So a new resource that breaks a control is still reported; only the listed ones are excused.
 */
export const GUARD_PLUGIN_NAME = 'cdk-validator-cfnguard';

/** Controls that are acknowledged somewhere in the hub: the Guard rule name and why the hub differs. */
export const GUARD_ACKNOWLEDGEMENTS = {
  'CT.APIGATEWAY.PR.5': {
    rule: 'api_gw_v2_authorization_type_configured_check',
    reason:
      'No gateway authorizer by design (see the AwsSolutions-APIG4 acknowledgement of each route): webhook ' +
      'signatures and API keys are checked in the function, and the public routes serve no data.',
  },
  'CT.LAMBDA.PR.2': {
    rule: 'lambda_function_public_access_prohibited_check',
    reason:
      'The permission names apigateway.amazonaws.com and a SourceArn of this API and route; the rule only ' +
      'reads a literal string or a local Ref, not the Fn::Join that builds the execute-api ARN.',
  },
  'CT.LAMBDA.PR.3': {
    rule: 'lambda_inside_vpc_check',
    reason:
      'Hub functions run in the VPC; their subnets and security groups come from the stateful stack ' +
      '(Fn::ImportValue), which the rule cannot resolve. test/infra/stateless.test.ts checks VpcConfig.',
  },
  'CT.LAMBDA.PR.3:framework': {
    rule: 'lambda_inside_vpc_check',
    reason:
      'CDK custom-resource framework function: it calls AWS APIs and the CloudFormation response URL ' +
      'only, reads no hub data, and needs no network path into the VPC.',
  },
  'CT.CLOUDWATCH.PR.2': {
    rule: 'cloudwatch_log_group_retention_period_check',
    reason:
      'Retention is a stage decision (StageConfig.logRetention), kept short on purpose: logs hold request ' +
      'metadata such as client IPs, and the durable record (sync runs, deliveries) is in the database.',
  },
  'CT.CLOUDWATCH.PR.3': {
    rule: 'cloudwatch_log_group_encrypted_check',
    reason:
      'CloudWatch Logs encrypts every log group at rest; reading logs is an IAM permission of operators ' +
      'only, so a customer managed key would add a key policy for the logs service and exclude nobody.',
  },
  'CT.RDS.PR.2': {
    rule: 'rds_instance_enhanced_monitoring_enabled_check',
    reason:
      'Serverless v2 capacity, CPU and proxy connections are on the dashboard from CloudWatch metrics; ' +
      'Enhanced Monitoring would add a role with an AWS managed policy (AwsSolutions-IAM4) for OS metrics.',
  },
  'CT.RDS.PR.3': {
    rule: 'rds_cluster_deletion_protection_enabled_check',
    reason: 'A disposable stage, torn down with "cdk destroy"; prod sets deletionProtection.',
  },
  'CT.S3.PR.2': {
    rule: 's3_bucket_logging_enabled_check',
    reason:
      'This bucket is the server-access-log and VPC-flow-log destination; logging it into itself would loop.',
  },
  'CT.S3.PR.4': {
    rule: 's3_event_notifications_enabled_check',
    reason:
      'The hub consumes no S3 event notifications: GuardDuty Malware Protection turns on the delivery it ' +
      'needs itself (its role holds s3:PutBucketNotification) and the hub reacts to its scan-result events.',
  },
  'CT.S3.PR.9': {
    rule: 's3_bucket_object_lock_enabled_check',
    reason:
      'Objects must be deletable: resumes are erased on request (docs/reliability.md §8) and raw payloads, ' +
      'exports and logs expire by lifecycle rule. Object Lock would forbid exactly that.',
  },
  'CT.S3.PR.10': {
    rule: 's3_bucket_default_encryption_kms_check',
    reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS.',
  },
  'CT.S3.PR.11': {
    rule: 's3_bucket_versioning_enabled_check',
    reason:
      'Log objects are written once under unique keys by the log delivery services and expire by ' +
      'lifecycle rule; versioning would only keep noncurrent copies of expired logs.',
  },
  'CT.SQS.PR.1': {
    rule: 'sqs_dlq_check',
    reason:
      'This queue is itself a dead-letter queue; a dead-letter queue has no dead-letter queue of its own.',
  },
} as const satisfies Record<string, { rule: string; reason: string }>;

export type GuardControl = keyof typeof GUARD_ACKNOWLEDGEMENTS;

/** Acknowledges the listed controls for `scope` and everything under it, with the reasons above. */
export function acknowledgeGuard(scope: IConstruct, ...controls: GuardControl[]): void {
  for (const control of controls) {
    const { rule, reason } = GUARD_ACKNOWLEDGEMENTS[control];
    acknowledge(scope, `${GUARD_PLUGIN_NAME}::${rule}`, `${control.replace(/:.*$/, '')}: ${reason}`);
  }
}

/**
 * Every bundled Control Tower rule, none disabled, as a CDK validation plugin named like the package (so the
 * report's "Acknowledge with 'cdk-validator-cfnguard::…'" hints are the ids `acknowledgeGuard` records).
 * Register with `Validations.of(app).addPlugins(new HubGuardChecks())`.
 *
 * The package reports its violations without a severity, and once anything in the app is acknowledged CDK
 * recomputes a report's success as "no violation of severity error or fatal": the findings would still be
 * printed but the synthesis would pass. Every finding is marked an error here, so it fails.
 */
export class HubGuardChecks implements IPolicyValidationPlugin {
  readonly name = GUARD_PLUGIN_NAME;
  readonly version: string | undefined;
  readonly ruleIds: string[] | undefined;
  // cfn-guard's JSON output grows with the templates: both stages together (test/infra/guard.test.ts) pass
  // 2 MB, beyond Node's default 1 MB exec buffer
  private readonly validator = new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 });

  constructor() {
    this.version = this.validator.version;
    this.ruleIds = this.validator.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.validator.validate(context);
    return {
      ...report,
      violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })),
    };
  }
}

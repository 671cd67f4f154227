import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import type { FunctionSpec } from '../topology.js';
import { hubBundling } from './bundling.js';
import { acknowledgeGuard } from './guard.js';
import { acknowledge } from './nag.js';

/** Repository root: entries in the topology are relative to it, and so is `package-lock.json`. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Powertools metrics namespace shared by every function; the function name is the `service` dimension. */
export const METRICS_NAMESPACE = 'AtsHub';

/** Re-exported: the banner is part of the house bundling settings in ./bundling.ts. */
export { ESM_REQUIRE_BANNER } from './bundling.js';

/** The ENI actions Lambda performs with the execution role to attach a function to the VPC. */
export const VPC_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

export interface HubFunctionProps {
  /** The topology entry (or the deploy-time db-migrate spec): name, description, entry, timeout, memory. */
  spec: Pick<FunctionSpec, 'name' | 'description' | 'entry' | 'timeoutSeconds' | 'memoryMb'>;
  config: StageConfig;
  vpc: ec2.IVpc;
  vpcSubnets: ec2.SubnetSelection;
  /** Interface endpoints (SQS, Secrets Manager, KMS): the function gets HTTPS to them. */
  endpointSecurityGroup: ec2.ISecurityGroup;
  /**
   * HTTPS to any address: needed to reach S3 through the gateway endpoint (public S3 addresses routed inside
   * the VPC) and, on stages with NAT, provider APIs and customer webhook endpoints. Without it the function reaches only the interface
   * endpoints and whatever the stack opens explicitly (the proxy, the cluster).
   */
  publicHttpsEgress: boolean;
  environment?: Record<string, string>;
  /** Dead-letter queue of asynchronous invocations (scheduled functions), with the key that encrypts it. */
  deadLetterQueue?: { queue: sqs.IQueue; key: kms.IKey };
  /** Shell commands run after esbuild, e.g. to copy data files next to the bundle. */
  afterBundling?: (inputDir: string, outputDir: string) => string[];
}

/**
 * The house Lambda function: every function of the hub is one of these, so runtime, architecture, bundling,
 * logging, tracing, networking and the execution role are decided once.
 *
 * Bundling and the AWS SDK: esbuild bundles everything, the AWS SDK v3 clients included, at the versions
 * pinned in package-lock.json. The runtime's own SDK copy is never used: its version moves under us and loading
 * it reads many files (docs/performance.md §1.2). Output is a minified ESM `index.mjs` plus the chunks it loads on
 * demand (./bundling.ts), each with a linked, external source map without `sourcesContent`; Node only reads the
 * maps when a stage turns on `--enable-source-maps`, which is off by default.
 *
 * The execution role has no managed policy: logs to its own log group, the VPC ENI actions, X-Ray; the
 * stack adds exactly what the topology's `access` declares.
 */
export class HubFunction extends Construct implements iam.IGrantable, ec2.IConnectable {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly spec: HubFunctionProps['spec'];

  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    super(scope, id);
    const { spec, config } = props;
    this.spec = spec;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${spec.name} (${config.name}): execution role`,
    });
    this.logGroup.grantWrite(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'AttachToTheVpc', actions: VPC_ENI_ACTIONS, resources: ['*'] }),
    );

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${spec.name} (${config.name}): egress to what its topology entry may touch`,
      allowAllOutbound: false,
    });
    if (props.publicHttpsEgress) {
      this.securityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'HTTPS: S3 (gateway endpoint) and, with NAT, external APIs',
      );
    }

    const entry = join(REPO_ROOT, spec.entry);
    const environment: Record<string, string> = {
      STAGE: config.name,
      POWERTOOLS_SERVICE_NAME: spec.name,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: config.lambda.logLevel,
      ...(config.lambda.enableSourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      ...props.environment,
    };

    // While bundling is skipped (tests: `aws:cdk:bundling-stacks: []`) a handler another engineer has not
    // written yet gets a placeholder; a synth that bundles this stack still requires the file.
    const placeholder = !existsSync(entry) && !Stack.of(this).bundlingRequired;
    this.fn = new NodejsFunction(this, 'Function', {
      description: spec.description.slice(0, 256),
      handler: 'index.handler',
      // pinned deliberately to the Node line the code is tested on (Node 22); see the L1 suppression below
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [this.securityGroup],
      environment,
      reservedConcurrentExecutions: config.lambda.reservedConcurrency[spec.name],
      deadLetterQueue: props.deadLetterQueue?.queue,
      // built by ./bundling.ts (code splitting, which NodejsFunction's own bundling cannot do): the benchmarks
      // build with the same settings
      code: placeholder
        ? lambda.Code.fromInline('exports.handler = async () => { throw new Error("not bundled"); };')
        : lambda.Code.fromAsset(REPO_ROOT, {
            assetHashType: AssetHashType.OUTPUT,
            bundling: hubBundling(REPO_ROOT, entry, props.afterBundling),
          }),
    });
    this.fn.connections.allowTo(
      props.endpointSecurityGroup,
      ec2.Port.tcp(443),
      'HTTPS to the interface endpoints',
    );

    if (props.deadLetterQueue) {
      // the Lambda service sends failed asynchronous events with this role; the queue is KMS-encrypted
      props.deadLetterQueue.key.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }

    acknowledge(
      this,
      'AwsSolutions-IAM5',
      'Resource "*" only for the actions that support no resource scoping: the VPC ENI actions Lambda ' +
        'performs with the execution role, and X-Ray PutTraceSegments/PutTelemetryRecords.',
      ['Resource::*'],
    );
    const pinned = 'Runtime pinned deliberately to nodejs22.x, the Node line the hub is built and tested on.';
    acknowledgeGuard(this.logGroup, 'CT.CLOUDWATCH.PR.2', 'CT.CLOUDWATCH.PR.3');
    acknowledgeGuard(this.fn, 'CT.LAMBDA.PR.3');
    acknowledge(this, 'AwsSolutions-L1', pinned);
    acknowledge(this, 'Serverless-LambdaLatestVersion', pinned);
  }

  get grantPrincipal(): iam.IPrincipal {
    return this.fn.grantPrincipal;
  }

  get connections(): ec2.Connections {
    return this.fn.connections;
  }
}

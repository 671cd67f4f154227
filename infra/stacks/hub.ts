import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { type StageConfig, stageConfig } from '../config/stages.js';
import { HubGuardChecks } from '../constructs/guard.js';
import { HubNagChecks } from '../constructs/nag.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export interface Hub {
  config: StageConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export interface BuildHubOptions {
  /** Defaults to the `stage` context value, then dev. */
  stage?: string;
  env?: Environment;
  /** Run the cdk-nag AwsSolutions and Serverless packs on synth; any unacknowledged finding fails it. */
  nag?: boolean;
  /** Run the CloudFormation Guard rules (Control Tower proactive controls) on synth; any unacknowledged finding fails it. */
  guard?: boolean;
}

/** Both stacks of one stage, `Hub-<stage>-Stateful` and `Hub-<stage>-Stateless`. */
export function buildHub(app: App, options: BuildHubOptions = {}): Hub {
  const config = stageConfig(options.stage ?? app.node.tryGetContext('stage'));
  const prefix = `Hub-${config.name}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    config,
    env: options.env,
    description: `ATS integration hub (${config.name}): network, keys, Aurora + RDS Proxy, bucket, queues`,
    terminationProtection: config.name === 'prod',
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    config,
    stateful,
    env: options.env,
    description: `ATS integration hub (${config.name}): functions, API, schedules, migrations, alarms`,
  });
  stateless.addStackDependency(stateful);
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'ats-integration-hub');
    Tags.of(stack).add('stage', config.name);
  }
  if (options.nag) {
    Validations.of(app).addPlugins(new HubNagChecks({ verbose: true }));
  }
  if (options.guard) {
    Validations.of(app).addPlugins(new HubGuardChecks());
  }
  return { config, stateful, stateless };
}

/** Account and region from the CLI's credentials when present; otherwise environment-agnostic. */
export function environmentFromCli(env: NodeJS.ProcessEnv = process.env): Environment | undefined {
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  return account || region ? { account, region } : undefined;
}

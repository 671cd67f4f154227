/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Stage by context: `npx cdk deploy --all -c stage=prod`
 * (default dev). No lookups and no hard-coded physical names, so `npx cdk synth` works offline without
 * credentials. Two policy checks run on every synth, and an unacknowledged finding of either fails it:
 * cdk-nag (infra/constructs/nag.ts) and the CloudFormation Guard rules of Control Tower through the bundled
 * cfn-guard binary (infra/constructs/guard.ts; Linux and macOS only, about 25 s).
 */
import { App } from 'aws-cdk-lib';
import { featureFlags } from './config/feature-flags.js';
import { buildHub, environmentFromCli } from './stacks/hub.js';

const app = new App({ context: { ...featureFlags } });
buildHub(app, { env: environmentFromCli(), nag: true, guard: true });
app.synth();

/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Stage by context: `npx cdk deploy --all -c stage=prod`
 * (default dev). No lookups and no hard-coded physical names, so `npx cdk synth` works offline without
 * credentials; cdk-nag runs on every synth and an unsuppressed finding fails it.
 */
import { App } from 'aws-cdk-lib';
import { featureFlags } from './config/feature-flags.js';
import { buildHub, environmentFromCli } from './stacks/hub.js';

const app = new App({ context: { ...featureFlags } });
buildHub(app, { env: environmentFromCli(), nag: true });
app.synth();

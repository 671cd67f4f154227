import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_FILES, CONTENT_SECURITY_POLICY } from '../../functions/console-web/use-case.js';
import { stages } from '../../infra/config/stages.js';
import { HubFunction } from '../../infra/constructs/hub-function.js';
import { createLambdaContext } from '../../infra/local/lambda-context.js';
import { buildAssets } from '../../infra/stacks/stateless-stack.js';
import { functionByName } from '../../infra/topology.js';
import { httpEvent } from '../support/factories.js';
import { logicalIdIn, synthHub } from './support.js';

/**
 * The console in the deployed stack: two routes of the HTTP API to the console-web function, whose bundle carries
 * the built page (CDK runs the topology's build script after esbuild). Bundled for real here, then the bundle
 * itself answers the page with its security headers.
 */
const spec = functionByName('console-web');
let outdir = '';
let bundle = '';

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'hub-console-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Console');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const fn = new HubFunction(stack, 'ConsoleWeb', {
    spec,
    config: stages.dev,
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    endpointSecurityGroup: new ec2.SecurityGroup(stack, 'Endpoints', { vpc }),
    publicHttpsEgress: false,
    afterBundling: buildAssets(spec.assets!),
  });
  const template = app.synth().getStackByName('Console').template as {
    Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }>;
  };
  const s3Key = template.Resources[logicalIdIn(stack, fn.fn)]?.Properties.Code?.S3Key ?? '';
  bundle = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
}, 240_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('the console in the CDK stack', () => {
  it('routes GET /console and GET /console/{file} of the HTTP API to console-web, without a key', () => {
    const { statelessTemplate } = synthHub();
    const routes = Object.values(statelessTemplate.findResources('AWS::ApiGatewayV2::Route'))
      .map((r) => r.Properties as { RouteKey: string; AuthorizationType?: string })
      .filter((r) => r.RouteKey.includes('/console'));
    expect(routes.map((r) => [r.RouteKey, r.AuthorizationType ?? 'NONE']).sort()).toEqual([
      ['GET /console', 'NONE'],
      ['GET /console/{file}', 'NONE'],
    ]);
  });

  it('ships the built page in the function bundle, next to the handler', () => {
    expect(readdirSync(join(bundle, spec.assets!.folder)).sort()).toEqual([...CONSOLE_FILES].sort());
  });

  it('serves the page from the bundle with a strict CSP and the security headers', async () => {
    const mod = (await import(pathToFileURL(join(bundle, 'index.mjs')).href)) as {
      handler: (
        event: unknown,
        context: unknown,
      ) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
    };
    delete process.env.CONSOLE_ASSETS_DIR;
    const event = httpEvent({ routeKey: 'GET /console', path: '/console' });
    const res = await mod.handler(
      event,
      createLambdaContext({ functionName: 'console-web', timeoutSeconds: 5 }),
    );
    expect([res.statusCode, res.headers['content-security-policy'], res.headers['x-frame-options']]).toEqual([
      200,
      CONTENT_SECURITY_POLICY,
      'DENY',
    ]);
    expect(res.body).toContain('<script type="module" src="/console/app.js"></script>');
  });

  it('keeps scripts to its own origin: no inline script, no eval', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});

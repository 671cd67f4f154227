import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { GUARD_PLUGIN_NAME } from '../../infra/constructs/guard.js';
import { acknowledge, HubNagChecks, listAcknowledgments } from '../../infra/constructs/nag.js';
import { httpRoutes } from '../../infra/topology.js';
import { synthHub } from './support.js';

/**
 * cdk-nag 3 (installed) runs as a CDK validation plugin: `Validations.of(app).addPlugins(...)` in
 * infra/app.ts, where any finding fails `cdk synth`. Here the same packs (AwsSolutions + Serverless, with the
 * hub's acknowledgements) run on the synthesized tree directly, errors and warnings alike.
 */
describe('cdk-nag: AwsSolutions and Serverless packs', () => {
  for (const stage of ['dev', 'prod'] as const) {
    it(`reports no unacknowledged finding in ${stage}`, () => {
      const { app } = synthHub(stage);
      const report = new HubNagChecks({ verbose: true }).validateScope(app);
      const findings = report.violations.flatMap((v) =>
        v.violatingResources.map(
          (r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`,
        ),
      );
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    });
  }

  it('is live: an unprotected bucket, or a pattern that does not match, is reported', () => {
    const app = new App();
    const stack = new Stack(app, 'Probe');
    const bucket = new s3.Bucket(stack, 'Plain');
    acknowledge(bucket, 'AwsSolutions-IAM5', 'a pattern that matches nothing on this bucket', [/^never$/]);
    app.synth();
    const rules = new HubNagChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-S1');
    expect(rules).toContain('AwsSolutions-S10');
  });

  it('gives every acknowledgement a rule id and a reason', () => {
    const { app } = synthHub('dev');
    // aws-cdk-lib acknowledges some of its own built-in CloudFormation validation rules, and the cfn-guard
    // ones have their own test (guard.test.ts); the rest are the nag ones
    const acks = listAcknowledgments(app).filter(
      (a) => !a.id.startsWith('CloudFormation-Validate::') && !a.id.startsWith(`${GUARD_PLUGIN_NAME}::`),
    );
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(20);
    }
    const ids = new Set(acks.map((a) => a.id.replace(/\[.*$/, '')));
    // the expected ones (docs/reliability.md §9.2) and no blanket IAM5: it is always tied to findings
    expect(ids).toContain('AwsSolutions-APIG4');
    expect(ids).toContain('Serverless-LambdaEventSourceMappingDestination');
    expect(acks.filter((a) => a.id === 'AwsSolutions-IAM5')).toEqual([]);
  });

  it('acknowledges APIG4 per route with the reason that matches the route auth', () => {
    const { app } = synthHub('dev');
    const acks = listAcknowledgments(app).filter((a) => a.id === 'AwsSolutions-APIG4');
    for (const { trigger } of httpRoutes()) {
      const ack = acks.find((a) => a.reason.startsWith(`${trigger.method} ${trigger.path}:`));
      expect(ack, `${trigger.method} ${trigger.path}`).toBeDefined();
      const expected = { signature: /HMAC signature/, bearer: /auth middleware/, none: /Public by design/ }[
        trigger.auth
      ];
      expect(ack?.reason).toMatch(expected);
    }
  });
});

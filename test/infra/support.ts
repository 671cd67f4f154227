import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { featureFlags } from '../../infra/config/feature-flags.js';
import type { StageName } from '../../infra/config/stages.js';
import { buildHub, type Hub } from '../../infra/stacks/hub.js';

export interface SynthesizedHub extends Hub {
  app: App;
  stateful: Hub['stateful'];
  stateless: Hub['stateless'];
  statefulTemplate: Template;
  statelessTemplate: Template;
}

const cache = new Map<string, SynthesizedHub>();

/** An app with the hub's feature flags that skips bundling (handler files still missing get a placeholder). */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...featureFlags, 'aws:cdk:bundling-stacks': [], ...context } });
}

/**
 * Both stacks of a stage, synthesized once per test file. Bundling is skipped
 * (`aws:cdk:bundling-stacks: []`): fast, and handler files still missing get a placeholder.
 * test/infra/bundling.test.ts bundles for real.
 */
export function synthHub(stage: StageName = 'dev'): SynthesizedHub {
  const cached = cache.get(stage);
  if (cached) return cached;
  const app = testApp({ stage });
  const hub = buildHub(app);
  const assembly = app.synth();
  const result: SynthesizedHub = {
    ...hub,
    app,
    statefulTemplate: Template.fromJSON(assembly.getStackByName(hub.stateful.stackName).template),
    statelessTemplate: Template.fromJSON(assembly.getStackByName(hub.stateless.stackName).template),
  };
  cache.set(stage, result);
  return result;
}

export type Resolved = unknown;

/** A JSON key for a resolved CloudFormation value (after synth, cross-stack values are `Fn::ImportValue`). */
export function key(value: Resolved): string {
  return JSON.stringify(value);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: Resolved | Resolved[];
  Condition?: Record<string, unknown>;
  Sid?: string;
}

/** Every Allow statement of every AWS::IAM::Policy attached to `role`, flattened to `action → resources`. */
export function policyOf(
  template: Template,
  logicalRoleId: string,
): { statements: Statement[]; pairs: Set<string> } {
  const policies = template.findResources('AWS::IAM::Policy');
  const statements: Statement[] = [];
  for (const policy of Object.values(policies) as {
    Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } };
  }[]) {
    if (!policy.Properties.Roles.some((r) => key(r) === key({ Ref: logicalRoleId }))) continue;
    statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  const pairs = new Set<string>();
  for (const s of statements) {
    for (const action of arr(s.Action))
      for (const resource of arr(s.Resource)) pairs.add(`${action} ${key(resource)}`);
  }
  return { statements, pairs };
}

export function arr<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Logical id of an L2 construct's default resource in `stack`. */
export function logicalIdIn(stack: Stack, construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnElement | undefined;
  if (!resource) throw new Error(`${construct.node.path} has no default resource`);
  return stack.resolve(resource.logicalId) as string;
}

export function logicalIdOf(hub: SynthesizedHub, role: IConstruct): string {
  return logicalIdIn(hub.stateless, role);
}

import {
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  type PolicyViolation,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 replaced `NagSuppressions` with CDK's own `Validations.of(scope).acknowledge({ id, reason })`,
 * and a finding-level acknowledgement must name the finding exactly (`AwsSolutions-IAM5[Resource::…]`).
 * Findings on cross-stack values carry generated export names, so they cannot be named in advance; v2's
 * `appliesTo` with a regex had no such problem. This module keeps both:
 *
 * - `acknowledge(scope, rule, reason)`: whole rule, natively (`Validations.of(scope).acknowledge`);
 * - `acknowledge(scope, rule, reason, ['exact finding', /pattern/])`: exact findings natively, patterns
 *   recorded as construct metadata (`hub:nag-acknowledgment`, kept in the cloud assembly as an audit trail)
 *   and applied by `HubNagChecks` to the findings cdk-nag reports.
 *
 * Every acknowledgement names its rule and gives its reason; an acknowledgement without a reason throws.
 */
export const PATTERN_ACKNOWLEDGMENT_METADATA = 'hub:nag-acknowledgment';

interface PatternAcknowledgment {
  rule: string;
  findings: string[];
  reason: string;
}

export function acknowledge(
  scope: IConstruct,
  rule: string,
  reason: string,
  findings?: readonly (string | RegExp)[],
): void {
  if (reason.trim().length < 20) throw new Error(`acknowledgement of ${rule} needs a real reason`);
  if (!findings) {
    Validations.of(scope).acknowledge({ id: rule, reason });
    return;
  }
  const patterns: string[] = [];
  for (const finding of findings) {
    if (typeof finding === 'string') Validations.of(scope).acknowledge({ id: `${rule}[${finding}]`, reason });
    else patterns.push(finding.source);
  }
  if (patterns.length > 0) {
    const data: PatternAcknowledgment = { rule, findings: patterns, reason };
    scope.node.addMetadata(PATTERN_ACKNOWLEDGMENT_METADATA, data);
  }
}

/** All acknowledgements in a tree: `{ path, id, reason }` (native ones and patterns). */
export function listAcknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  const out: { path: string; id: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          out.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
        }
      } else if (entry.type === PATTERN_ACKNOWLEDGMENT_METADATA) {
        const data = entry.data as PatternAcknowledgment;
        for (const f of data.findings)
          out.push({ path: c.node.path, id: `${data.rule}[/${f}/]`, reason: data.reason });
      }
    }
  }
  return out;
}

/**
 * The cdk-nag packs the hub is held to (AwsSolutions + Serverless), with pattern acknowledgements applied.
 * Register with `Validations.of(app).addPlugins(new HubNagChecks())`; tests call `validateScope(app)` after
 * a synth. Every unacknowledged finding, error or warning, is a violation: the synth fails on it.
 */
export class HubNagChecks implements IPolicyValidationPlugin {
  readonly name = 'hub-cdk-nag';
  readonly version = '1';
  private readonly verbose: boolean;

  constructor(options: { verbose?: boolean } = {}) {
    this.verbose = options.verbose ?? false;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = (context as IPolicyValidationContext & { appConstruct?: IConstruct }).appConstruct;
    if (!root) throw new Error('HubNagChecks needs an aws-cdk-lib that passes the construct tree to plugins');
    return this.validateScope(root);
  }

  validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const packs = [
      new AwsSolutionsChecks(undefined, { verbose: this.verbose }),
      new ServerlessChecks(undefined, { verbose: this.verbose }),
    ];
    const byPath = new Map(scope.node.findAll().map((c) => [c.node.path, c]));
    const violations: PolicyViolation[] = [];
    for (const pack of packs) {
      for (const violation of pack.validateScope(scope).violations) {
        const remaining = violation.violatingResources.filter(
          (r) => !acknowledgedByPattern(byPath.get(r.constructPath ?? ''), violation.ruleName),
        );
        if (remaining.length > 0) violations.push({ ...violation, violatingResources: remaining });
      }
    }
    return { success: violations.length === 0, violations };
  }
}

function acknowledgedByPattern(resource: IConstruct | undefined, ruleName: string): boolean {
  const match = /^([^[]+)\[(.*)\]$/s.exec(ruleName);
  if (!match) return false;
  const [, rule, finding] = match as unknown as [string, string, string];
  for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== PATTERN_ACKNOWLEDGMENT_METADATA) continue;
      const data = entry.data as PatternAcknowledgment;
      if (data.rule === rule && data.findings.some((f) => new RegExp(f).test(finding))) return true;
    }
  }
  return false;
}

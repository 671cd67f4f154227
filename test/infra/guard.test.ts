import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeGuard, GUARD_ACKNOWLEDGEMENTS, HubGuardChecks } from '../../infra/constructs/guard.js';
import { buildHub } from '../../infra/stacks/hub.js';
import { testApp } from './support.js';

interface ReportedConstruct {
  constructPath: string;
}
interface ReportedViolation {
  ruleName: string;
  violatingConstructs: ReportedConstruct[];
}
interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: ReportedViolation[];
    suppressedViolations?: ReportedViolation[];
  }[];
}

/**
 * One synthesis and one cfn-guard run for the whole file (cfn-guard takes ~25 s whatever the template
 * size): both stages of the hub and a probe stack that must be reported. The probe makes the synthesis fail,
 * so the assertions read the validation report CDK writes into the cloud assembly.
 */
let synthError: unknown;
let report: ValidationReport['pluginReports'][number];

beforeAll(() => {
  const app = testApp();
  buildHub(app, { stage: 'dev' });
  buildHub(app, { stage: 'prod' });
  const probe = new Stack(app, 'GuardProbe');
  new s3.CfnBucket(probe, 'Plain');
  acknowledgeGuard(new s3.CfnBucket(probe, 'Acknowledged'), 'CT.S3.PR.9');
  Validations.of(app).addPlugins(new HubGuardChecks());
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  const json = JSON.parse(
    readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  const guard = json.pluginReports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
  if (!guard) throw new Error('no cfn-guard report in the cloud assembly');
  report = guard;
}, 480_000); // two hubs and cfn-guard; well under this on 2 idle cores, the margin is for busy CI runners

function findings(violations: ReportedViolation[] | undefined, pathPrefix: string): string[] {
  return (violations ?? []).flatMap((v) =>
    v.violatingConstructs
      .filter((c) => c.constructPath.startsWith(pathPrefix))
      .map((c) => `${v.ruleName} at ${c.constructPath}`),
  );
}

describe('CloudFormation Guard: Control Tower proactive controls', () => {
  for (const stage of ['dev', 'prod'] as const) {
    it(`reports no unacknowledged finding in ${stage}`, () => {
      expect(findings(report.violations, `Hub-${stage}-`)).toEqual([]);
    });
  }

  it('is live: reports the controls an unencrypted, unversioned bucket breaks', () => {
    const rules = findings(report.violations, 'GuardProbe/Plain');
    expect(rules).toContain('s3_bucket_default_encryption_kms_check at GuardProbe/Plain');
    expect(rules).toContain('s3_bucket_versioning_enabled_check at GuardProbe/Plain');
  });

  it('fails the synthesis on a finding', () => {
    expect(String(synthError)).toMatch(/s3_bucket_default_encryption_kms_check/);
  });

  it('applies an acknowledgement to its construct only', () => {
    const lock = 's3_bucket_object_lock_enabled_check';
    expect(findings(report.violations, 'GuardProbe/')).toContain(`${lock} at GuardProbe/Plain`);
    expect(findings(report.violations, 'GuardProbe/')).not.toContain(`${lock} at GuardProbe/Acknowledged`);
  });

  it('uses every listed acknowledgement somewhere in the hub', () => {
    const suppressed = new Set(
      (report.suppressedViolations ?? [])
        .filter((v) => v.violatingConstructs.some((c) => c.constructPath.startsWith('Hub-')))
        .map((v) => v.ruleName),
    );
    const listed = new Set(Object.values(GUARD_ACKNOWLEDGEMENTS).map((a) => a.rule));
    expect([...listed].filter((rule) => !suppressed.has(rule))).toEqual([]);
  });

  it('lists only rules the package ships', () => {
    const require = createRequire(import.meta.url);
    const rulesDir = join(
      dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
      'rules/control-tower/cfn-guard',
    );
    const shipped = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.guard'))
      .map((f) => readFileSync(join(rulesDir, f), 'utf8'))
      .join('\n');
    for (const [control, { rule }] of Object.entries(GUARD_ACKNOWLEDGEMENTS)) {
      expect(shipped, control).toContain(`rule ${rule} when`);
      expect(shipped, control).toContain(`[${control.replace(/:.*$/, '')}]`);
    }
  });
});

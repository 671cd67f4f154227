import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { stageConfig, stages } from '../../infra/config/stages.js';
import { buildHub, environmentFromCli } from '../../infra/stacks/hub.js';

describe('stage configuration', () => {
  it('defaults to dev and refuses an unknown stage', () => {
    expect(stageConfig().name).toBe('dev');
    expect(stageConfig(undefined).name).toBe('dev');
    expect(stageConfig('prod').name).toBe('prod');
    expect(() => stageConfig('staging')).toThrow(/unknown stage "staging"/);
  });

  it('keeps prod stricter than dev', () => {
    expect(stages.prod.database.deletionProtection).toBe(true);
    expect(stages.dev.database.deletionProtection).toBe(false);
    expect(stages.prod.database.backupRetentionDays).toBeGreaterThan(stages.dev.database.backupRetentionDays);
    expect(stages.prod.logRetention).toBeGreaterThan(stages.dev.logRetention);
    expect(stages.prod.database.minAcu).toBeGreaterThanOrEqual(1);
    for (const stage of Object.values(stages)) {
      expect(stage.secretsPrefix).toBe(`hub/${stage.name}`);
      expect(stage.database.port).not.toBe(5432);
    }
  });

  it('takes account and region from the CLI when present, otherwise stays environment-agnostic', () => {
    expect(environmentFromCli({})).toBeUndefined();
    expect(
      environmentFromCli({ CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' }),
    ).toEqual({
      account: '123456789012',
      region: 'eu-west-1',
    });
  });

  it('names both stacks after the stage chosen by context', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], stage: 'prod' } });
    const hub = buildHub(app);
    expect(hub.stateful.stackName).toBe('Hub-prod-Stateful');
    expect(hub.stateless.stackName).toBe('Hub-prod-Stateless');
    expect(hub.stateful.terminationProtection).toBe(true);
    expect(hub.stateless.dependencies).toContain(hub.stateful);
  });
});

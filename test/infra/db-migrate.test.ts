import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import {
  type DbMigrateDependencies,
  migrateDatabase,
  ownerUrl,
} from '../../functions/db-migrate/use-case.js';
import { MIGRATIONS_DIR } from '../../shared/db/migrate.js';

const base = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL: 'https://example.invalid/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Hub-dev-Stateless/1',
  RequestId: 'req-1',
  LogicalResourceId: 'Migrations',
  ResourceType: 'Custom::HubMigrations',
  ResourceProperties: { ServiceToken: 'x', MigrationsHash: 'abc' },
};

const event = (type: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent =>
  (type === 'Create'
    ? { ...base, RequestType: 'Create' }
    : type === 'Update'
      ? {
          ...base,
          RequestType: 'Update',
          PhysicalResourceId: 'hub-migrations:hub',
          OldResourceProperties: { ServiceToken: 'x' },
        }
      : {
          ...base,
          RequestType: 'Delete',
          PhysicalResourceId: 'hub-migrations:hub',
        }) as CloudFormationCustomResourceEvent;

function deps(overrides: Partial<DbMigrateDependencies> = {}) {
  const ownerCredentials = vi.fn(async () => ({ username: 'hub_owner', password: 'p@ss/word' }));
  const apply = vi.fn(async () => ({
    applied: ['0001_core_schema', '0002_row_level_security'],
    skipped: [],
  }));
  return {
    ownerCredentials,
    apply,
    env: {
      DB_HOST: 'db.cluster.local',
      DB_PORT: '5438',
      DB_NAME: 'hub',
      MIGRATIONS_DIR: '/var/task/migrations',
    },
    ...overrides,
  };
}

describe('db-migrate custom resource handler', () => {
  it('applies the migrations on Create as the owner, over verified TLS, and reports what it applied', async () => {
    const d = deps();
    const out = await migrateDatabase(d, event('Create'));
    expect(d.apply).toHaveBeenCalledWith({
      url: 'postgres://hub_owner@db.cluster.local:5438/hub?sslmode=verify-full',
      password: 'p@ss/word',
      dir: '/var/task/migrations',
    });
    expect(out).toEqual({
      PhysicalResourceId: 'hub-migrations:hub',
      Data: { Applied: '0001_core_schema,0002_row_level_security', Skipped: '0', AppliedCount: 2 },
    });
  });

  it('applies again on Update and keeps the physical id', async () => {
    const d = deps();
    const out = await migrateDatabase(d, event('Update'));
    expect(d.apply).toHaveBeenCalledTimes(1);
    expect(out.PhysicalResourceId).toBe('hub-migrations:hub');
  });

  it('does nothing on Delete: the schema outlives the stack', async () => {
    const d = deps();
    const out = await migrateDatabase(d, event('Delete'));
    expect(d.ownerCredentials).not.toHaveBeenCalled();
    expect(d.apply).not.toHaveBeenCalled();
    expect(out.PhysicalResourceId).toBe('hub-migrations:hub');
  });

  it('fails the deployment when a migration fails', async () => {
    const d = deps({ apply: vi.fn(async () => Promise.reject(new Error('migration 0002 was changed'))) });
    await expect(migrateDatabase(d, event('Create'))).rejects.toThrow('migration 0002 was changed');
  });

  it('falls back to the repository migrations and to the host in the secret', async () => {
    const d = deps({
      ownerCredentials: vi.fn(async () => ({
        username: 'hub_owner',
        password: 'x',
        host: 'h',
        port: 5438,
        dbname: 'hub',
      })),
      env: {},
    });
    await migrateDatabase(d, event('Create'));
    expect(d.apply).toHaveBeenCalledWith(
      expect.objectContaining({
        url: 'postgres://hub_owner@h:5438/hub?sslmode=verify-full',
        dir: MIGRATIONS_DIR,
      }),
    );
    expect(() => ownerUrl({ username: 'u', password: 'p' }, {})).toThrow(/DB_HOST/);
  });
});

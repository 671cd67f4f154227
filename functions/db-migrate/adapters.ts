/** db-migrate's two pieces of I/O: the owner secret in Secrets Manager and a one-connection migration run. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDbClient } from '../../shared/db/client.js';
import { loadMigrations, type MigrationResult, migrate } from '../../shared/db/migrate.js';
import type { OwnerCredentials } from './use-case.js';

const secrets = new SecretsManagerClient({});

export async function ownerCredentialsFromSecret(): Promise<OwnerCredentials> {
  const secretId = process.env.DB_SECRET_ARN;
  if (!secretId) throw new Error('db-migrate: DB_SECRET_ARN is required');
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = JSON.parse(out.SecretString ?? '{}') as Partial<OwnerCredentials>;
  if (!value.username || !value.password)
    throw new Error('db-migrate: the owner secret has no username/password');
  return value as OwnerCredentials;
}

export async function applyMigrations(target: {
  url: string;
  password: string;
  dir: string;
}): Promise<MigrationResult> {
  const sql = createDbClient({
    url: target.url,
    max: 1,
    password: async () => target.password,
    connectTimeoutSeconds: 15,
    application: 'db-migrate',
  });
  try {
    return await migrate(sql, await loadMigrations(target.dir));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * db-migrate: the onEvent handler of a CloudFormation custom resource (aws-cdk-lib custom-resources Provider
 * framework, which answers CloudFormation for us). On Create and Update it connects straight to the Aurora
 * writer as the schema owner (credentials from the cluster's generated secret, read through Secrets
 * Manager) and applies `migrations/`, bundled next to the handler. The SQL creates hub_app and its grants.
 * On Delete it does nothing: dropping a stack must never drop the schema.
 *
 * The stack changes the resource's `MigrationsHash` property whenever a migration file changes, which is
 * what turns a deploy into an Update that reaches this use case. `migrate()` is idempotent (checksummed,
 * advisory-locked), so a repeated Update is harmless.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { MIGRATIONS_DIR, type MigrationResult } from '../../shared/db/migrate.js';
import { logger } from '../../shared/observability/logger.js';

export interface OwnerCredentials {
  username: string;
  password: string;
  host?: string;
  port?: number;
  dbname?: string;
}

export interface DbMigrateDependencies {
  ownerCredentials(): Promise<OwnerCredentials>;
  /** Applies the migrations of `dir` through `url` (no password in it) with `password`. */
  apply(target: { url: string; password: string; dir: string }): Promise<MigrationResult>;
  env: NodeJS.ProcessEnv;
}

export interface DbMigrateResponse {
  PhysicalResourceId: string;
  Data: { Applied: string; Skipped: string; AppliedCount: number };
}

/** TLS with certificate verification (the RDS CA comes from NODE_EXTRA_CA_CERTS, set by the stack). */
export function ownerUrl(credentials: OwnerCredentials, env: NodeJS.ProcessEnv): string {
  const host = env.DB_HOST ?? credentials.host;
  const port = env.DB_PORT ?? (credentials.port === undefined ? undefined : String(credentials.port));
  const database = env.DB_NAME ?? credentials.dbname;
  if (!host || !port || !database) throw new Error('db-migrate: DB_HOST, DB_PORT and DB_NAME are required');
  return `postgres://${encodeURIComponent(credentials.username)}@${host}:${port}/${encodeURIComponent(database)}?sslmode=verify-full`;
}

export async function migrateDatabase(
  deps: DbMigrateDependencies,
  event: CloudFormationCustomResourceEvent,
): Promise<DbMigrateResponse> {
  const physicalId =
    event.RequestType === 'Create' ? `hub-migrations:${deps.env.DB_NAME ?? 'hub'}` : event.PhysicalResourceId;
  if (event.RequestType === 'Delete') {
    logger.info('delete: the schema is kept', { physicalId });
    return { PhysicalResourceId: physicalId, Data: { Applied: '', Skipped: '', AppliedCount: 0 } };
  }
  const credentials = await deps.ownerCredentials();
  const result = await deps.apply({
    url: ownerUrl(credentials, deps.env),
    password: credentials.password,
    dir: deps.env.MIGRATIONS_DIR ?? MIGRATIONS_DIR,
  });
  logger.info('migrations done', {
    requestType: event.RequestType,
    applied: result.applied,
    skipped: result.skipped.length,
  });
  return {
    PhysicalResourceId: physicalId,
    // CloudFormation limits Data to 4 KB: versions are short, but keep only the applied ones in full
    Data: {
      Applied: result.applied.join(',').slice(0, 2000),
      Skipped: String(result.skipped.length),
      AppliedCount: result.applied.length,
    },
  };
}

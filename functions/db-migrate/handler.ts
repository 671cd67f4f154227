/**
 * db-migrate (the custom resource of infra/constructs/database-migrations.ts). Wiring only: the owner
 * secret, the migration runner and the process environment, one use case.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { applyMigrations, ownerCredentialsFromSecret } from './adapters.js';
import { migrateDatabase } from './use-case.js';

export const handler = (event: CloudFormationCustomResourceEvent) =>
  migrateDatabase(
    { ownerCredentials: ownerCredentialsFromSecret, apply: applyMigrations, env: process.env },
    event,
  );

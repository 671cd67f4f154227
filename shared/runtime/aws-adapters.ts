import { S3ObjectStore, s3ClientConfigFromEnv } from '../aws/s3-object-store.js';
import { SecretsManagerStore, secretsManagerClientConfigFromEnv } from '../aws/secrets-manager-store.js';
import { SqsQueue, sqsClientConfigFromEnv } from '../aws/sqs-queue.js';
import type { Env } from '../config/env.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Queue } from '../ports/queue.js';
import type { SecretStore } from '../ports/secrets.js';

/** The AWS adapters as configured by the environment (S3_ENDPOINT points them at local stand-ins). */
export function createObjectStore(e: Env): ObjectStore {
  return new S3ObjectStore({ bucket: e.BUCKET_NAME, clientConfig: s3ClientConfigFromEnv(e) });
}

export function createQueue(e: Env, queueUrl: string | undefined): Queue | undefined {
  return queueUrl ? new SqsQueue({ queueUrl, clientConfig: sqsClientConfigFromEnv(e) }) : undefined;
}

export function createSecretStore(e: Env): SecretStore {
  return new SecretsManagerStore({
    maxAgeSeconds: e.SECRETS_CACHE_SECONDS,
    prefix: e.SECRETS_PREFIX,
    clientConfig: secretsManagerClientConfigFromEnv(e),
  });
}

import type { PostPresigner, S3ObjectStore } from '../aws/s3-object-store.js';
import type { SecretsManagerStore } from '../aws/secrets-manager-store.js';
import type { SqsQueue } from '../aws/sqs-queue.js';
import type { Env } from '../config/env.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Queue } from '../ports/queue.js';
import type { SecretStore } from '../ports/secrets.js';

/**
 * The AWS adapters as configured by the environment (S3_ENDPOINT points them at local stand-ins).
 *
 * Each AWS SDK client is loaded on its port's first call, not when the handler module is imported: a
 * function evaluates only the clients it uses, when it uses them (docs/performance.md §1.2, B3). A function
 * that never touches S3, SQS or Secrets Manager never evaluates that client.
 */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

let postPresigner: PostPresigner | undefined;

/**
 * Gives the object store its POST presigner. Called at module scope by the handlers that hand out upload forms,
 * so only their bundles carry `@aws-sdk/s3-presigned-post`; read at call time, whichever handler built the store.
 */
export function usePostPresigner(presigner: PostPresigner): void {
  postPresigner = presigner;
}

export function createObjectStore(e: Env): ObjectStore {
  const store = lazily<S3ObjectStore>(async () => {
    const { S3ObjectStore, s3ClientConfigFromEnv } = await import('../aws/s3-object-store.js');
    return new S3ObjectStore({
      bucket: e.BUCKET_NAME,
      clientConfig: s3ClientConfigFromEnv(e),
      presigner: (...args) => {
        if (!postPresigner) throw new Error('this function hands out no upload forms (no POST presigner)');
        return postPresigner(...args);
      },
    });
  });
  return {
    put: async (key, body, options) => (await store()).put(key, body, options),
    get: async (key, options) => (await store()).get(key, options),
    delete: async (key) => (await store()).delete(key),
    deleteAllVersions: async (key, options) => (await store()).deleteAllVersions(key, options),
    list: async (prefix) => (await store()).list(prefix),
    getTags: async (key) => (await store()).getTags(key),
    putTags: async (key, tags) => (await store()).putTags(key, tags),
    presignPost: async (input) => (await store()).presignPost(input),
    presignGet: async (key, expiresSeconds) => (await store()).presignGet(key, expiresSeconds),
  };
}

export function createQueue(e: Env, queueUrl: string | undefined): Queue | undefined {
  if (!queueUrl) return undefined;
  const queue = lazily<SqsQueue>(async () => {
    const { SqsQueue } = await import('../aws/sqs-queue.js');
    return new SqsQueue({ queueUrl, region: e.AWS_REGION, endpoint: e.SQS_ENDPOINT ?? e.AWS_ENDPOINT_URL });
  });
  return { sendBatch: async (messages) => (await queue()).sendBatch(messages) };
}

export function createSecretStore(e: Env): SecretStore {
  const store = lazily<SecretsManagerStore>(async () => {
    const { SecretsManagerStore, secretsManagerClientConfigFromEnv } = await import(
      '../aws/secrets-manager-store.js'
    );
    return new SecretsManagerStore({
      maxAgeSeconds: e.SECRETS_CACHE_SECONDS,
      prefix: e.SECRETS_PREFIX,
      ...(e.SECRETS_KMS_KEY_ID ? { kmsKeyId: e.SECRETS_KMS_KEY_ID } : {}),
      clientConfig: secretsManagerClientConfigFromEnv(e),
    });
  });
  return {
    get: async <T extends Record<string, unknown> = Record<string, unknown>>(name: string) =>
      (await store()).get<T>(name),
    put: async (name, value) => (await store()).put(name, value),
  };
}

import { functions } from '../../infra/topology.js';

/** An address where nothing listens: any connection attempt fails at once (B3: no DB, no network). */
export const UNREACHABLE = '127.0.0.1:9';

/**
 * The environment a function sees in AWS (stateless-stack + HubFunction + the Lambda runtime's own
 * variables) on the prod stage, with endpoints replaced by `overrides` (or unreachable ones).
 */
export function lambdaEnvironment(
  fn: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const spec = functions.find((f) => f.name === fn);
  return {
    // Lambda runtime
    AWS_LAMBDA_FUNCTION_NAME: `hub-prod-${fn}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec?.memoryMb ?? 512),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_ENDPOINT_URL: `http://${UNREACHABLE}`,
    TZ: ':UTC',
    // HubFunction (prod stage)
    STAGE: 'prod',
    POWERTOOLS_SERVICE_NAME: fn,
    POWERTOOLS_METRICS_NAMESPACE: 'AtsHub',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // stateless-stack
    DATABASE_APP_URL: `postgres://hub_app@${UNREACHABLE}/hub`,
    DATABASE_APP_USER: 'hub_app',
    DATABASE_IAM_AUTH: 'true',
    DATABASE_PREPARE: 'false',
    BUCKET_NAME: 'hub-prod-bucket',
    SYNC_QUEUE_URL: `http://${UNREACHABLE}/000000000000/hub-prod-sync`,
    NOTIFY_QUEUE_URL: `http://${UNREACHABLE}/000000000000/hub-prod-notify`,
    SECRETS_PREFIX: 'hub/prod',
    PUBLIC_BASE_URL: 'https://api.example.com',
    ...overrides,
  };
}

/** Applies an environment to this process (handlers imported in-process read process.env on first use). */
export function applyEnvironment(env: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    previous.set(k, process.env[k]);
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of previous) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * The credential chain of a function bundle. infra/constructs/bundling.ts aliases the SDK's Node chains
 * (`@aws-sdk/credential-provider-node`, `@aws-sdk/credential-providers`) to this module: in Lambda the runtime
 * puts the execution role's credentials in the environment, so the chain's other links (ini and SSO files,
 * credential processes, web identity, token providers and the STS/SSO clients they carry, IMDS) never run there
 * and only cost init time (docs/performance.md §1.2, B3). Tests and the local runtime load the SDK's own chains.
 *
 * Lambda's variables: https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */

export interface EnvCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  credentialScope?: string;
  accountId?: string;
}

/** The environment's credentials, read on every call (the SDK memoizes them until they near expiry). */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): EnvCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new Error('no AWS credentials in the environment (the Lambda runtime always sets them)');
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
    ...(env.AWS_CREDENTIAL_SCOPE ? { credentialScope: env.AWS_CREDENTIAL_SCOPE } : {}),
    ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
  };
}

type Provider = (init?: unknown) => () => Promise<EnvCredentials>;

/** Stands in for `defaultProvider` of `@aws-sdk/credential-provider-node` (the S3, SQS, Secrets Manager clients). */
export const defaultProvider: Provider = () => async () => credentialsFromEnvironment();

/** Stands in for `fromNodeProviderChain` of `@aws-sdk/credential-providers` (the RDS IAM token signer). */
export const fromNodeProviderChain: Provider = defaultProvider;

/** The SDK chain's refresh rules, kept for the clients that import them with the chain. */
export const credentialsWillNeedRefresh = (credentials?: { expiration?: Date }) =>
  credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials?: { expiration?: Date }) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;

import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { SecretScope } from '../topology.js';

/**
 * Per-stage configuration of the AWS deployment. Everything that differs between dev and prod lives here;
 * the stacks read it and `infra/topology.ts`, and write no stage-specific value of their own.
 */
export type StageName = 'dev' | 'prod';

export interface NetworkConfig {
  /** Availability zones; environment-agnostic stacks resolve at most 2. */
  maxAzs: number;
  /**
   * NAT gateways. 0 = no internet egress at all: the functions reach AWS only through the VPC endpoints,
   * so provider APIs (Greenhouse, Lever, ...) are unreachable and syncs/status pushes fail. > 0 adds public
   * subnets + NAT and puts the functions in private-with-egress subnets; the database stays isolated.
   * See docs/deploy.md, "The NAT decision".
   */
  natGateways: number;
}

export interface DatabaseConfig {
  /** Aurora PostgreSQL major.minor, e.g. '16.6' (an `AuroraPostgresEngineVersion.VER_*` value). */
  engineVersion: '16.6' | '16.8' | '15.10';
  minAcu: number;
  maxAcu: number;
  /** Non-default port (cdk-nag AwsSolutions-RDS11). The proxy always listens on 5432. */
  port: number;
  /** Serverless v2 readers besides the writer. */
  readers: number;
  backupRetentionDays: number;
  deletionProtection: boolean;
  removalPolicy: RemovalPolicy;
  /** Rotation period of the owner (migrator) secret. */
  ownerSecretRotationDays: number;
  /** RDS Proxy: share of max_connections the proxy may open. */
  proxyMaxConnectionsPercent: number;
}

export interface AlarmConfig {
  /** Function `Errors` sum per 5 minutes at or above which the alarm fires. */
  functionErrors: number;
  /** Function `Throttles` sum per 5 minutes at or above which the alarm fires. */
  functionThrottles: number;
  /** `ApproximateAgeOfOldestMessage` (seconds) on a work queue at or above which the alarm fires. */
  oldestMessageAgeSeconds: number;
  /** API 5xx per 5 minutes. */
  api5xx: number;
}

export interface StageConfig {
  name: StageName;
  /** `SECRETS_PREFIX` of the functions; every secret name of the hub starts with it. */
  secretsPrefix: string;
  network: NetworkConfig;
  database: DatabaseConfig;
  /** Retention of every log group (functions, API access logs, database logs). */
  logRetention: RetentionDays;
  /** Buckets, queues, keys and log groups. */
  removalPolicy: RemovalPolicy;
  bucket: {
    /** Days before non-current versions (erased or replaced resumes, raw payloads, exports) are deleted. */
    noncurrentVersionDays: number;
    rawPayloadDays: number;
    exportDays: number;
    accessLogDays: number;
    /** Origins allowed to POST resumes to the presigned URL (browser uploads). Empty = no CORS rule. */
    uploadCorsOrigins: string[];
    /** GuardDuty Malware Protection plan on `resumes/` (tags objects; the bucket policy reads the tag). */
    malwareProtection: boolean;
  };
  api: {
    throttlingRateLimit: number;
    throttlingBurstLimit: number;
    /** Custom domain URL when one fronts the API; otherwise PUBLIC_BASE_URL is the API's own endpoint. */
    publicBaseUrl?: string;
    /** Origins a connect link may return to besides the hub's own (CONNECT_REDIRECT_ALLOWLIST, docs/connect.md). */
    connectRedirectOrigins?: string[];
  };
  lambda: {
    logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
    /**
     * Adds `NODE_OPTIONS=--enable-source-maps`. Off by default: it slows every `.stack` read
     * (docs/performance.md §1.2); the external maps are shipped either way.
     */
    enableSourceMaps: boolean;
    /** Reserved concurrency per function name (absent = unreserved). Caps DB connections (docs/performance.md §5). */
    reservedConcurrency: Readonly<Record<string, number>>;
  };
  alarms: AlarmConfig;
}

/** Where each secret scope of the topology lives under `secretsPrefix` (one secret per integration). */
export const secretScopePaths: Readonly<Record<SecretScope, string>> = {
  providers: 'integrations/',
  webhooks: 'webhooks/',
};

export const stages: Readonly<Record<StageName, StageConfig>> = {
  dev: {
    name: 'dev',
    secretsPrefix: 'hub/dev',
    network: { maxAzs: 2, natGateways: 0 },
    database: {
      engineVersion: '16.6',
      minAcu: 0.5,
      maxAcu: 2,
      port: 5438,
      readers: 0,
      backupRetentionDays: 1,
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
      ownerSecretRotationDays: 30,
      proxyMaxConnectionsPercent: 90,
    },
    logRetention: RetentionDays.TWO_WEEKS,
    removalPolicy: RemovalPolicy.DESTROY,
    bucket: {
      noncurrentVersionDays: 7,
      rawPayloadDays: 14,
      exportDays: 30,
      accessLogDays: 30,
      uploadCorsOrigins: ['*'],
      malwareProtection: true,
    },
    api: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    lambda: { logLevel: 'DEBUG', enableSourceMaps: false, reservedConcurrency: {} },
    alarms: { functionErrors: 5, functionThrottles: 1, oldestMessageAgeSeconds: 900, api5xx: 10 },
  },
  prod: {
    name: 'prod',
    secretsPrefix: 'hub/prod',
    network: { maxAzs: 2, natGateways: 2 },
    database: {
      engineVersion: '16.6',
      minAcu: 1,
      maxAcu: 16,
      port: 5438,
      readers: 1,
      backupRetentionDays: 14,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      ownerSecretRotationDays: 30,
      proxyMaxConnectionsPercent: 90,
    },
    logRetention: RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
    bucket: {
      noncurrentVersionDays: 30,
      rawPayloadDays: 90,
      exportDays: 365,
      accessLogDays: 365,
      // set to the portal's origin(s) before the first browser upload
      uploadCorsOrigins: [],
      malwareProtection: true,
    },
    api: { throttlingRateLimit: 500, throttlingBurstLimit: 1000 },
    lambda: {
      logLevel: 'INFO',
      enableSourceMaps: false,
      // the public entry points are capped so a burst cannot exhaust the proxy's connection pool;
      // one scheduler tick at a time
      reservedConcurrency: {
        'portal-submission': 100,
        'webhook-intake': 100,
        'sync-scheduler': 1,
        'connect-page': 20,
      },
    },
    alarms: { functionErrors: 1, functionThrottles: 1, oldestMessageAgeSeconds: 600, api5xx: 5 },
  },
};

/** The stage named by `-c stage=<name>` (default dev); an unknown name fails the synth. */
export function stageConfig(name: unknown = 'dev'): StageConfig {
  const key = name === undefined || name === null || name === '' ? 'dev' : String(name);
  if (!Object.hasOwn(stages, key)) {
    throw new Error(`unknown stage "${key}"; expected one of ${Object.keys(stages).join(', ')}`);
  }
  return stages[key as StageName];
}

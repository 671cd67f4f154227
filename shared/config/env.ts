import * as z from 'zod';

/** Environment of every function and of the local runtime, parsed once; a bad value fails at start. */
const envSchema = z.object({
  STAGE: z.string().default('local'),
  /** Owner connection: migrations and seeding. */
  DATABASE_URL: z.string().url().optional(),
  /** Runtime connection (role hub_app). Derived from DATABASE_URL when absent. */
  DATABASE_APP_URL: z.string().url().optional(),
  DATABASE_APP_USER: z.string().default('hub_app'),
  DATABASE_APP_PASSWORD: z.string().optional(),
  /** Behind RDS Proxy or PgBouncer in transaction mode, named prepared statements must be off. */
  DATABASE_PREPARE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Connections per execution environment: 1 on Lambda; the local runtime shares one process, so more. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(50).default(1),
  DATABASE_IAM_AUTH: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  AWS_REGION: z.string().default('us-east-1'),
  BUCKET_NAME: z.string().default('hub-local'),
  S3_ENDPOINT: z.string().url().optional(),
  SYNC_QUEUE_URL: z.string().optional(),
  NOTIFY_QUEUE_URL: z.string().optional(),
  PRIVACY_QUEUE_URL: z.string().optional(),
  SQS_ENDPOINT: z.string().url().optional(),
  /** The AWS SDK's own endpoint override (its clients read it themselves); the SQS client's when SQS_ENDPOINT is unset. */
  AWS_ENDPOINT_URL: z.string().url().optional(),
  SECRETS_FILE: z.string().optional(),
  SECRETS_PREFIX: z.string().default('hub'),
  /** Customer-managed key for secrets the hub creates at runtime; the AWS-managed key when absent. */
  SECRETS_KMS_KEY_ID: z.string().optional(),
  SECRETS_CACHE_SECONDS: z.coerce.number().int().positive().default(900),
  PUBLIC_BASE_URL: z.string().default('http://127.0.0.1:3000'),
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(300),
  LOCAL_DIR: z.string().default('.local'),
  /** Origins besides PUBLIC_BASE_URL's that a connect link may return to (comma-separated; docs/connect.md). */
  CONNECT_REDIRECT_ALLOWLIST: z.string().default(''),
  /** Local only: JSON file of provider endpoints for the connect page (fakes); ignored unless STAGE is local. */
  CONNECT_PROVIDERS_FILE: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`invalid environment: ${fields}`);
  }
  return parsed.data;
}

export function env(): Env {
  cached ??= loadEnv();
  return cached;
}

/** Tests and the local runtime change the environment before handlers load; this forgets the parse. */
export function resetEnvCache(): void {
  cached = undefined;
}

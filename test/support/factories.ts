/**
 * The one place tests build what AWS hands a function and check what the hub signs: SQS records and batches,
 * HTTP API (payload v2) events, and a Standard Webhooks verifier.
 *
 * The verifier is written from the spec (docs/providers.md §7 and §9 "Standard Webhooks receiver"), independently of
 * the hub's signer in shared/notifications/signing.ts, so that tests check the emitter against the rules and not
 * against itself. It follows the reference library (standard-webhooks/libraries/javascript): headers
 * `webhook-id`, `webhook-timestamp`, `webhook-signature`; content `{id}.{timestamp}.{body}`; HMAC-SHA256 keyed
 * with the base64-decoded secret (with or without `whsec_`); any `v1,` entry of the space-separated list may
 * match (others are skipped); constant-time comparison; timestamps more than 300 s away from now in either
 * direction are refused; a consumer accepts each webhook-id once.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, SQSEvent, SQSRecord } from 'aws-lambda';

// ------------------------------------------------------------------------------------------------- SQS

export function sqsRecord(
  body: string,
  options: { messageId?: string; receiveCount?: number; groupId?: string; queueArn?: string } = {},
): SQSRecord {
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `rh-${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDARELIABILITY',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(options.groupId ? { MessageGroupId: options.groupId, MessageDeduplicationId: randomUUID() } : {}),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn ?? 'arn:aws:sqs:us-east-1:000000000000:sync',
    awsRegion: 'us-east-1',
  };
}

/** A batch as the event source mapping hands it over; bare bodies become records with fresh ids. */
export const sqsEvent = (items: ReadonlyArray<string | SQSRecord>): SQSEvent => ({
  Records: items.map((item) => (typeof item === 'string' ? sqsRecord(item) : item)),
});

// ---------------------------------------------------------------------------------------------- HTTP API

/** An HTTP API (payload v2) event for a route, as API Gateway hands it to the function. */
export function httpEvent(input: {
  routeKey: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2 {
  const [method] = input.routeKey.split(' ');
  const body =
    input.body === undefined
      ? undefined
      : Buffer.isBuffer(input.body)
        ? input.body.toString('base64')
        : input.body;
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.path,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers: { host: '127.0.0.1:3000', ...(input.headers ?? {}) },
    ...(input.query ? { queryStringParameters: input.query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: method!,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'reliability',
      },
      requestId: `rel-${Math.random().toString(36).slice(2)}`,
      routeKey: input.routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: Buffer.isBuffer(input.body) ? true : (input.isBase64Encoded ?? false),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
  } as APIGatewayProxyEventV2;
}

/**
 * `httpEvent` for `routeKey` with its `{name}` placeholders filled from `params` (as they are: a test may put
 * hostile text there); a body that is neither text nor bytes is sent as JSON.
 */
export function routeEvent(
  routeKey: string,
  input: {
    params?: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: unknown;
    isBase64Encoded?: boolean;
  } = {},
): APIGatewayProxyEventV2 {
  const params = input.params ?? {};
  const path = routeKey
    .split(' ')[1]!
    .replace(/\{(\w+)\}/g, (placeholder, name: string) => params[name] ?? placeholder);
  const { body } = input;
  return httpEvent({
    routeKey,
    path,
    ...(input.params ? { pathParameters: params } : {}),
    ...(input.query ? { query: input.query } : {}),
    headers: input.headers ?? {},
    ...(input.isBase64Encoded === undefined ? {} : { isBase64Encoded: input.isBase64Encoded }),
    ...(body === undefined
      ? {}
      : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
}

// ------------------------------------------------------------------------------------- Standard Webhooks

export const TOLERANCE_SECONDS = 5 * 60;

export type VerificationFailure =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature';

export class WebhookVerificationError extends Error {
  constructor(readonly reason: VerificationFailure) {
    super(reason);
    this.name = 'WebhookVerificationError';
  }
}

function keyOf(secret: string): Buffer {
  const raw = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(raw, 'base64');
  if (key.length === 0) throw new Error('empty secret');
  return key;
}

export interface Verified {
  id: string;
  timestamp: number;
  /** The verified bytes as text; JSON.parse it to read the event. */
  body: string;
}

/** Throws WebhookVerificationError, or returns what was verified. `nowSeconds` is the receiver's clock. */
export function verifyStandardWebhook(input: {
  secret: string;
  body: string | Buffer;
  headers: Record<string, string | string[] | undefined>;
  nowSeconds: number;
  toleranceSeconds?: number;
}): Verified {
  const header = (name: string) => {
    const entry = Object.entries(input.headers).find(([k]) => k.toLowerCase() === name)?.[1];
    return Array.isArray(entry) ? entry[0] : entry;
  };
  const id = header('webhook-id');
  const timestampText = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestampText || !signatures) throw new WebhookVerificationError('missing_headers');
  if (!/^\d{1,12}$/.test(timestampText)) throw new WebhookVerificationError('invalid_timestamp');
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? TOLERANCE_SECONDS;
  if (input.nowSeconds - timestamp > tolerance) throw new WebhookVerificationError('timestamp_too_old');
  if (timestamp - input.nowSeconds > tolerance) throw new WebhookVerificationError('timestamp_too_new');
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const expected = createHmac('sha256', keyOf(input.secret))
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), body]))
    .digest();
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { id, timestamp, body: body.toString('utf8') };
    }
  }
  throw new WebhookVerificationError('no_matching_signature');
}

/** Verification plus the consumer's idempotency: a webhook-id seen before is acknowledged, not applied. */
export class StandardWebhooksConsumer {
  private readonly seen = new Set<string>();
  applied: Verified[] = [];
  duplicates = 0;

  constructor(
    private readonly secret: string,
    private readonly nowSeconds: () => number,
  ) {}

  accept(body: string, headers: Record<string, string | string[] | undefined>): 'applied' | 'duplicate' {
    const verified = verifyStandardWebhook({
      secret: this.secret,
      body,
      headers,
      nowSeconds: this.nowSeconds(),
    });
    if (this.seen.has(verified.id)) {
      this.duplicates += 1;
      return 'duplicate';
    }
    this.seen.add(verified.id);
    this.applied.push(verified);
    return 'applied';
  }
}

/** The verifier's outcome as a verdict, for tables of cases. */
export function standardWebhookVerdict(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSeconds: number,
): 'ok' | VerificationFailure {
  try {
    verifyStandardWebhook({ secret, headers, body, nowSeconds });
    return 'ok';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

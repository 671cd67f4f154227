import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import aws4 from 'aws4';
import { ExponentialBackoff, handleWhen, type RetryPolicy, retry } from 'cockatiel';
import { credentialsFromEnvironment, type EnvCredentials } from './lambda-credentials.js';

/**
 * One signed call of an AWS JSON-protocol service (SQS's `AmazonSQS.*`), without the SDK's middleware stack.
 * The SDK client cost 3.3 ms of CPU per SendMessageBatch on the portal submission's path (docs/performance-results.md,
 * B1): its stack of serde, retry, user-agent and signing middleware for one POST. Here the request is signed by
 * `aws4` (SigV4 with a cached signing key, node:crypto) and sent on a keep-alive socket. Retries as in the SDK's
 * standard mode: 3 attempts, exponential backoff with jitter (cockatiel's), for network faults, 5xx and throttling.
 */
export interface AwsJsonClientOptions {
  /** e.g. `sqs` (the SigV4 service name). */
  service: string;
  /** The `x-amz-target` prefix, e.g. `AmazonSQS`. */
  targetPrefix: string;
  region: string;
  /** Base URL; defaults to `https://<service>.<region>.amazonaws.com`. */
  endpoint?: string | undefined;
  /** Read on every call (Lambda's environment by default, as the function bundles' credential chain does). */
  credentials?: () => EnvCredentials;
  /** Attempts per call, the first included (default 3, as the SDK's standard retry mode). */
  maxAttempts?: number;
  /** First backoff in ms (default 100), growing exponentially with jitter up to 20 s. */
  retryBaseMs?: number;
  /** Socket idle timeout per attempt in ms (default 10 s): a silent peer fails the attempt instead of hanging. */
  timeoutMs?: number;
}

/** A call that did not succeed: the service's error name (`__type` without its namespace) or a network fault. */
export class AwsJsonError extends Error {
  constructor(
    readonly code: string,
    readonly status: number | undefined,
    readonly senderFault: boolean,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Whether the SDK's standard retry mode would try this failure again. */
function isRetryable(error: AwsJsonError): boolean {
  if (error.status === undefined) return true;
  return error.status >= 500 || error.status === 429 || THROTTLING_CODES.has(error.code);
}

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

interface RawResponse {
  status: number;
  text: string;
}

function post(url: URL, headers: Record<string, string | number>, body: string, timeoutMs: number) {
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise<RawResponse>((resolve, reject) => {
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port || undefined,
        path: url.pathname,
        method: 'POST',
        headers,
        agent: secure ? httpsAgent : httpAgent,
        timeout: timeoutMs,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function errorOf(response: RawResponse): AwsJsonError {
  let type = '';
  let message = `HTTP ${response.status}`;
  try {
    const body = JSON.parse(response.text) as { __type?: unknown; message?: unknown; Message?: unknown };
    if (typeof body.__type === 'string') type = body.__type;
    const text = body.message ?? body.Message;
    if (typeof text === 'string') message = text;
  } catch {
    // a proxy's HTML page or an empty body: the status says enough
  }
  // `com.amazonaws.sqs#QueueDoesNotExist` → `QueueDoesNotExist`
  const code = type.slice(type.lastIndexOf('#') + 1).split(':')[0] || `Http${response.status}`;
  return new AwsJsonError(code, response.status, response.status < 500, message);
}

export class AwsJsonClient {
  private readonly url: URL;
  private readonly options: Required<Omit<AwsJsonClientOptions, 'endpoint' | 'maxAttempts' | 'retryBaseMs'>>;
  private readonly retry: RetryPolicy;

  constructor(options: AwsJsonClientOptions) {
    if (!options.region) throw new Error('AwsJsonClient needs a region');
    this.url = new URL(options.endpoint || `https://${options.service}.${options.region}.amazonaws.com`);
    this.options = {
      service: options.service,
      targetPrefix: options.targetPrefix,
      region: options.region,
      credentials: options.credentials ?? (() => credentialsFromEnvironment()),
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    this.retry = retry(
      handleWhen((error) => error instanceof AwsJsonError && isRetryable(error)),
      {
        // cockatiel counts retries, not attempts
        maxAttempts: (options.maxAttempts ?? 3) - 1,
        backoff: new ExponentialBackoff({ initialDelay: options.retryBaseMs ?? 100, maxDelay: 20_000 }),
      },
    );
  }

  /** POSTs `input` as operation `operation`; resolves with the parsed answer or rejects with an AwsJsonError. */
  async call<T>(operation: string, input: unknown): Promise<T> {
    const body = JSON.stringify(input);
    return JSON.parse(await this.retry.execute(() => this.attempt(operation, body))) as T;
  }

  /** One signed POST: the answer's text, or an AwsJsonError thrown. */
  private async attempt(operation: string, body: string): Promise<string> {
    const { accessKeyId, secretAccessKey, sessionToken } = this.options.credentials();
    const signed = aws4.sign(
      {
        host: this.url.host,
        path: this.url.pathname,
        method: 'POST',
        service: this.options.service,
        region: this.options.region,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `${this.options.targetPrefix}.${operation}`,
        },
        body,
      },
      { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    );
    let response: RawResponse;
    try {
      response = await post(
        this.url,
        signed.headers as Record<string, string | number>,
        body,
        this.options.timeoutMs,
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new AwsJsonError(
        typeof code === 'string' ? code : 'NetworkError',
        undefined,
        false,
        String(error),
      );
    }
    if (response.status >= 200 && response.status < 300) return response.text;
    throw errorOf(response);
  }
}

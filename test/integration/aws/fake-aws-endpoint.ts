import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature } from './sigv4-check.js';

/**
 * A tiny AWS JSON-protocol endpoint for tests: each request names its operation in `x-amz-target`
 * (`AmazonSQS.SendMessageBatch`, `secretsmanager.GetSecretValue`, ...); the test answers it.
 */
export interface FakeCall {
  operation: string;
  input: Record<string, unknown>;
}

export type FakeAnswer = { status?: number; body: Record<string, unknown> };

export interface FakeAwsEndpoint {
  url: string;
  calls: FakeCall[];
  count(operation: string): number;
  stop(): Promise<void>;
}

/** An AWS JSON error body; the SDK reads the exception name from `__type`. */
export function awsError(status: number, type: string, message: string): FakeAnswer {
  return { status, body: { __type: type, message, Message: message } };
}

export interface FakeAwsEndpointOptions {
  /**
   * Check every request's SigV4 signature against these credentials, as AWS does: a missing or wrong
   * signature is answered 403 (`MissingAuthenticationToken`, `UnrecognizedClientException`,
   * `InvalidSignatureException`) and never reaches `answer` or `calls`.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const SIGNATURE_ERRORS = {
  missing: awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
  'unknown-key': awsError(
    403,
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
  ),
  mismatch: awsError(
    403,
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided.',
  ),
} as const;

export async function startFakeAwsEndpoint(
  answer: (call: FakeCall) => FakeAnswer,
  options: FakeAwsEndpointOptions = {},
): Promise<FakeAwsEndpoint> {
  const calls: FakeCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const verdict = options.credentials
        ? await checkSignature(
            { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body: text },
            options.credentials,
          )
        : 'valid';
      const target = String(req.headers['x-amz-target'] ?? '');
      const call: FakeCall = {
        operation: target.slice(target.indexOf('.') + 1),
        input: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      let reply: FakeAnswer;
      if (verdict !== 'valid') reply = SIGNATURE_ERRORS[verdict];
      else {
        calls.push(call);
        try {
          reply = answer(call);
        } catch (error) {
          reply = awsError(500, 'InternalFailure', String(error));
        }
      }
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(body),
        'x-amzn-requestid': `req-${calls.length}`,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    count: (operation) => calls.filter((c) => c.operation === operation).length,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

/** What the tests hand an AWS SDK client: the fake's URL, test credentials, and no SDK retries to blur counts. */
export const sdkClientConfig = (endpoint: Pick<FakeAwsEndpoint, 'url'>) => ({
  region: 'us-east-1',
  endpoint: endpoint.url,
  credentials: TEST_CREDENTIALS,
  maxAttempts: 1,
});

/** A Secrets Manager that keeps SecretString per name in `secrets` (no versions). */
function secretsManagerAnswer(secrets: Map<string, string>): (call: FakeCall) => FakeAnswer {
  return (call) => {
    const notFound = awsError(
      400,
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    );
    const id = String(call.input.SecretId ?? call.input.Name);
    switch (call.operation) {
      case 'GetSecretValue': {
        const value = secrets.get(id);
        return value === undefined ? notFound : { body: { ARN: `arn:${id}`, Name: id, SecretString: value } };
      }
      case 'PutSecretValue':
        if (!secrets.has(id)) return notFound;
        secrets.set(id, String(call.input.SecretString));
        return { body: { ARN: `arn:${id}`, Name: id, VersionId: 'v' } };
      case 'CreateSecret':
        if (secrets.has(id)) return awsError(400, 'ResourceExistsException', 'exists');
        secrets.set(id, String(call.input.SecretString));
        return { body: { ARN: `arn:${id}`, Name: id, VersionId: 'v' } };
      default:
        return awsError(400, 'InvalidAction', call.operation);
    }
  };
}

export const startFakeSecretsManager = (secrets: Map<string, string>) =>
  startFakeAwsEndpoint(secretsManagerAnswer(secrets));

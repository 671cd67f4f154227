/**
 * Counting stand-ins for AWS: an SDK middleware that answers Secrets Manager calls in-process (through the
 * real SecretsManagerStore and Powertools' SecretsProvider), and a local AWS JSON-protocol endpoint
 * (`AWS_ENDPOINT_URL_*`) for bundles, whose adapters cannot be replaced from outside.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager-store.js';

export const BENCH_CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'bench-secret-access-key' };

/**
 * A real SecretsManagerStore whose client never leaves the process: GetSecretValue is answered from
 * `values` (by SecretId) by a middleware at the initialize step, and counted.
 */
export function countingSecretsStore(input: {
  values: Map<string, Record<string, unknown>>;
  maxAgeSeconds: number;
  prefix?: string;
}): { store: SecretsManagerStore; calls: () => number } {
  let calls = 0;
  const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: BENCH_CREDENTIALS });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      if (context.commandName !== 'GetSecretValueCommand')
        throw new Error(`unexpected ${context.commandName}`);
      calls += 1;
      const id = (args.input as { SecretId?: string }).SecretId ?? '';
      const value = input.values.get(id);
      if (!value) {
        const error = new Error(`secret ${id} not found`);
        error.name = 'ResourceNotFoundException';
        throw error;
      }
      return {
        output: { SecretString: JSON.stringify(value), Name: id, $metadata: {} },
        response: {},
      } as never;
    },
    { step: 'initialize', name: 'benchSecretsStub' },
  );
  const store = new SecretsManagerStore({
    client,
    maxAgeSeconds: input.maxAgeSeconds,
    ...(input.prefix ? { prefix: input.prefix } : {}),
  });
  return { store, calls: () => calls };
}

export interface FakeAwsEndpoint {
  url: string;
  count(operation: string): number;
  stop(): Promise<void>;
}

/**
 * AWS JSON 1.0/1.1 endpoint for `secretsmanager.GetSecretValue` (from `secrets`) and
 * `AmazonSQS.SendMessageBatch` (every entry accepted); counts calls per operation.
 */
export async function startFakeAwsEndpoint(
  secrets: Map<string, Record<string, unknown>>,
): Promise<FakeAwsEndpoint> {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      const input = (chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}) as Record<
        string,
        unknown
      >;
      let status = 200;
      let body: Record<string, unknown>;
      if (operation === 'GetSecretValue') {
        const id = String(input.SecretId ?? '');
        const value = secrets.get(id);
        if (value) body = { Name: id, SecretString: JSON.stringify(value), VersionId: 'v1' };
        else {
          status = 400;
          body = { __type: 'ResourceNotFoundException', message: 'not found' };
        }
      } else if (operation === 'SendMessageBatch') {
        const entries = (input.Entries ?? []) as { Id: string; MessageBody?: string }[];
        body = {
          Successful: entries.map((e, i) => ({
            Id: e.Id,
            MessageId: `m-${i}`,
            MD5OfMessageBody: createHash('md5')
              .update(e.MessageBody ?? '')
              .digest('hex'),
          })),
          Failed: [],
        };
      } else {
        status = 400;
        body = { __type: 'UnknownOperationException', message: operation };
      }
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': 'bench',
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (operation) => counts.get(operation) ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The same endpoint (no secrets) in a child process: for benchmarks that count the hub's CPU, which must not
 * include the endpoint answering it.
 */
export async function startFakeAwsEndpointProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./aws-stub-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`the AWS endpoint process exited (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
